package dev.webtalk.demo.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency recorders shared by every client of one run. All methods are thread-safe and
 * never block (LongAdder, HdrHistogram {@link Recorder}); latencies are recorded in microseconds.
 */
final class BenchStats {
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    /** Sends not attempted because too many were unanswered (fixed rate faster than the server). */
    final LongAdder skipped = new LongAdder();
    final LongAdder connected = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    /** reactions, reads: the scenario's own requests besides messages ({@code react}, {@code mark_read}). */
    final LongAdder interactionsSent = new LongAdder();
    final LongAdder interactionsAcked = new LongAdder();
    /** Pushes of the type those requests cause ({@code reactions}, {@code read}), at all clients. */
    final LongAdder pushes = new LongAdder();
    /** Every frame the clients received, of any type, and their payload bytes. */
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();

    /** Sender's intended send time to arrival at each receiver. */
    final Recorder deliveryLatency = new Recorder(3);
    /** Sender's intended send time to the acknowledgement (or to a history page's arrival). */
    final Recorder replyLatency = new Recorder(3);
    /** Start of the handshake to the {@code welcome} frame. */
    final Recorder connectLatency = new Recorder(3);
    /** An interaction request's due time (reactions) or send time (mark_read) to its acknowledgement. */
    final Recorder interactionLatency = new Recorder(3);

    static long micros(long fromNanos, long toNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(toNanos - fromNanos));
    }

    /** A point-in-time copy of the counters, to subtract warmup from the measured window. */
    Counts counts() {
        return new Counts(sent.sum(), acked.sum(), delivered.sum(), errors.sum(), disconnects.sum(), skipped.sum(),
                interactionsSent.sum(), interactionsAcked.sum(), pushes.sum(), frames.sum(), bytes.sum());
    }

    /** Counter values at one moment. */
    record Counts(long sent, long acked, long delivered, long errors, long disconnects, long skipped,
                  long interactionsSent, long interactionsAcked, long pushes, long frames, long bytes) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        Counts minus(Counts earlier) {
            return new Counts(sent - earlier.sent, acked - earlier.acked, delivered - earlier.delivered,
                    errors - earlier.errors, disconnects - earlier.disconnects, skipped - earlier.skipped,
                    interactionsSent - earlier.interactionsSent, interactionsAcked - earlier.interactionsAcked,
                    pushes - earlier.pushes, frames - earlier.frames, bytes - earlier.bytes);
        }
    }

    /** An empty histogram of the recorders' shape, to accumulate intervals into. */
    static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }
}
