package dev.webtalk.internal;

import dev.webtalk.OverloadedException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bound on how many password hashes run at once. Each PBKDF2 hash takes a core for a tenth of a
 * second or more, and per-user and per-address limits do not stop guesses spread over many users or
 * addresses; so at most {@code permits} hashes run together (by default one per core), a caller waits
 * up to {@code wait} for a turn, and is then refused with {@link OverloadedException} ({@code overloaded})
 * instead of queueing without end on the CPU. Thread-safe.
 */
final class HashingGate {
    /** How long a caller waits for a turn by default before it is refused. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    private final Semaphore turns;
    private final long waitNanos;

    /** @param permits hashes that may run at once (>= 1); {@code wait}: how long a caller waits for one */
    public HashingGate(int permits, Duration wait) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, was " + permits);
        }
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("wait must be >= 0");
        }
        this.turns = new Semaphore(permits, true);
        this.waitNanos = wait.toNanos();
    }

    /** One hash at a time per core, {@link #DEFAULT_WAIT} for a turn. */
    public static HashingGate perCore() {
        return new HashingGate(Runtime.getRuntime().availableProcessors(), DEFAULT_WAIT);
    }

    /**
     * Runs {@code hashing} once a turn is free.
     *
     * @throws OverloadedException when no turn came within the wait (or the wait was interrupted)
     */
    public <T> T run(Supplier<T> hashing) {
        boolean entered;
        try {
            entered = turns.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entered = false;
        }
        if (!entered) {
            throw new OverloadedException("Too many password checks at once; retry in a moment");
        }
        try {
            return hashing.get();
        } finally {
            turns.release();
        }
    }
}
