package dev.webtalk.demo.bench;

import java.time.Duration;

/**
 * When one simulated user of the {@code reads} scenario marks its room read. Like a client that reads
 * as messages arrive: a message marks the newest seq received at once, unless the last mark was less
 * than {@code every} ago; then the mark waits until that time is up and takes whatever came meanwhile.
 * So a user sends at most one {@code mark_read} per {@code every}, and its marker is never more than
 * {@code every} behind what it has received.
 *
 * <p>Fed by the connection's thread ({@link #onMessage}) and the runner's ticker ({@link #due});
 * synchronized, and uncontended in practice.
 */
final class ReadPacer {
    private final long everyNanos;
    private long newest;
    private long marked;
    private long markedAt;
    private boolean everMarked;

    /**
     * @param every    the shortest gap between two marks
     * @param readUpTo the seq the user has read already (a new member starts with everything read)
     */
    ReadPacer(Duration every, long readUpTo) {
        this.everyNanos = every.toNanos();
        this.newest = readUpTo;
        this.marked = readUpTo;
    }

    /** Message {@code seq} arrived at {@code now} ({@link System#nanoTime}): the seq to mark now, or 0 to wait. */
    synchronized long onMessage(long seq, long now) {
        newest = Math.max(newest, seq);
        return due(now);
    }

    /** The seq to mark at {@code now}, or 0: only if something came since the last mark, and that mark is old enough. */
    synchronized long due(long now) {
        if (newest <= marked || everMarked && now - markedAt < everyNanos) {
            return 0;
        }
        marked = newest;
        markedAt = now;
        everMarked = true;
        return marked;
    }
}
