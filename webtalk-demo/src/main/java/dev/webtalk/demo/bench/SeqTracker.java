package dev.webtalk.demo.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks that one receiver sees one room's messages exactly once and in {@code seq} order. The
 * server's {@code seq} is dense per room, so any jump is a gap, any repeat a duplicate, and a seq
 * that fills an earlier gap arrived out of order.
 *
 * <p>Fed from the receiving connection's thread, read by the runner after the run; synchronized,
 * and uncontended in practice.
 */
final class SeqTracker {
    /** Missing seqs remembered to tell "late" from "duplicate"; past this a late one counts as duplicate. */
    private static final int MAX_REMEMBERED_MISSING = 10_000;

    private long last;
    private long received;
    private long gaps;
    private long duplicates;
    private long outOfOrder;
    private final Set<Long> missing = new HashSet<>();

    /** Starts after {@code lastSeen}: the newest seq in the join reply's history, 0 for an empty room. */
    SeqTracker(long lastSeen) {
        this.last = lastSeen;
    }

    /** One {@code message} push for this room. */
    synchronized void onMessage(long seq) {
        received++;
        if (seq == last + 1) {
            last = seq;
        } else if (seq > last + 1) {
            for (long s = last + 1; s < seq && missing.size() < MAX_REMEMBERED_MISSING; s++) {
                missing.add(s);
            }
            gaps += seq - last - 1;
            last = seq;
        } else if (missing.remove(seq)) {
            gaps--;
            outOfOrder++;
        } else {
            duplicates++;
        }
    }

    /** Messages numbered after the newest one received, up to {@code finalSeq}: never arrived. */
    synchronized long missingTail(long finalSeq) {
        return Math.max(0, finalSeq - last);
    }

    synchronized long last() {
        return last;
    }

    synchronized long received() {
        return received;
    }

    /** Seqs skipped over and never filled in later. */
    synchronized long gaps() {
        return gaps;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Seqs that arrived after a higher one (a gap filled late). */
    synchronized long outOfOrder() {
        return outOfOrder;
    }
}
