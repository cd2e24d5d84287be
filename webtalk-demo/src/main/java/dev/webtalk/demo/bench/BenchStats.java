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

    /** Sender's intended send time to arrival at each receiver. */
    final Recorder deliveryLatency = new Recorder(3);
    /** Sender's intended send time to the acknowledgement (or to a history page's arrival). */
    final Recorder replyLatency = new Recorder(3);
    /** Start of the handshake to the {@code welcome} frame. */
    final Recorder connectLatency = new Recorder(3);

    static long micros(long fromNanos, long toNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(toNanos - fromNanos));
    }

    /** A point-in-time copy of the counters, to subtract warmup from the measured window. */
    Counts counts() {
        return new Counts(sent.sum(), acked.sum(), delivered.sum(), errors.sum(), disconnects.sum(), skipped.sum());
    }

    /** Counter values at one moment. */
    record Counts(long sent, long acked, long delivered, long errors, long disconnects, long skipped) {
        Counts minus(Counts earlier) {
            return new Counts(sent - earlier.sent, acked - earlier.acked, delivered - earlier.delivered,
                    errors - earlier.errors, disconnects - earlier.disconnects, skipped - earlier.skipped);
        }
    }

    /** An empty histogram of the recorders' shape, to accumulate intervals into. */
    static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }
}
