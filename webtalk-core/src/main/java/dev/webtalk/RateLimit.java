package dev.webtalk;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: up to {@code burst} actions at once, then one more per {@code refill}.
 * {@code new RateLimit(10, Duration.ofMillis(500))} allows 10 in a burst and 2 per second after that.
 *
 * @param burst bucket size, at least 1
 * @param refill time to earn back one action, positive
 */
public record RateLimit(int burst, Duration refill) {
    public RateLimit {
        Objects.requireNonNull(refill, "refill");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, was " + burst);
        }
        if (refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("refill must be positive, was " + refill);
        }
    }

    /** {@code burst} at once, then {@code perSecond} a second. */
    public static RateLimit perSecond(int burst, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be >= 1, was " + perSecond);
        }
        return new RateLimit(burst, Duration.ofNanos(1_000_000_000L / perSecond));
    }
}
