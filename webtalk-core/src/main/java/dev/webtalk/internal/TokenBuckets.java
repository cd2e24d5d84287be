package dev.webtalk.internal;

import dev.webtalk.RateLimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (a user, a user in a room), on the engine's clock, so tests move time
 * instead of sleeping. Buckets that have refilled completely are forgotten now and then, so idle users
 * cost no memory. Thread-safe.
 */
final class TokenBuckets<K> {
    private final RateLimit limit;
    private final long refillNanos;
    private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();
    private int sinceSweep;

    /** Tokens (scaled to nanoseconds of refill time) and when they were counted. */
    private static final class Bucket {
        long credit; // in nanos of refill: a full bucket holds burst * refillNanos
        Instant at;

        Bucket(long credit, Instant at) {
            this.credit = credit;
            this.at = at;
        }
    }

    TokenBuckets(RateLimit limit) {
        this.limit = limit;
        this.refillNanos = limit.refill().toNanos();
    }

    /** Takes one token for {@code key}; returns {@link Duration#ZERO}, or how long until a token is free. */
    Duration take(K key, Instant now) {
        sweepNowAndThen(now);
        Duration[] wait = {Duration.ZERO};
        buckets.compute(key, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(capacity(), now) : refill(b, now);
            if (bucket.credit >= refillNanos) {
                bucket.credit -= refillNanos;
            } else {
                wait[0] = Duration.ofNanos(refillNanos - bucket.credit);
            }
            return bucket;
        });
        return wait[0];
    }

    /** Forgets {@code key}'s bucket: it is full again. */
    void reset(K key) {
        buckets.remove(key);
    }

    private long capacity() {
        return Math.multiplyExact((long) limit.burst(), refillNanos);
    }

    private Bucket refill(Bucket b, Instant now) {
        long elapsed = Duration.between(b.at, now).toNanos();
        if (elapsed > 0) {
            b.credit = Math.min(capacity(), b.credit + elapsed);
            b.at = now;
        }
        return b;
    }

    private void sweepNowAndThen(Instant now) {
        if (++sinceSweep < 4096) { // a racy counter is fine: it only spaces the sweeps out
            return;
        }
        sinceSweep = 0;
        for (Iterator<Map.Entry<K, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Bucket> e = it.next();
            if (Duration.between(e.getValue().at, now).toNanos() >= capacity()) {
                buckets.remove(e.getKey(), e.getValue());
            }
        }
    }
}
