package dev.webtalk.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a timeout passes, for state that no frame or latch announces
 * (e.g. a counter the engine updates on its own thread). It never asserts after a fixed sleep: it
 * returns as soon as the condition holds.
 */
public final class Await {
    private Await() {
    }

    /** Waits up to {@code timeout} for {@code condition}; fails with {@code what} otherwise. */
    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits up to {@link FakeConnection#DEFAULT_TIMEOUT} for {@code condition}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, FakeConnection.DEFAULT_TIMEOUT);
    }

    /** Waits until {@code value} yields something other than {@code null}, and returns it. */
    public static <T> T value(String what, Supplier<T> value) {
        Object[] found = new Object[1];
        until(what, () -> (found[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) found[0];
        return result;
    }

    /** Waits until {@code value} yields {@code expected}; the failure shows the last value seen. */
    public static <T> void untilEquals(String what, T expected, Supplier<T> value) {
        Object[] last = new Object[1];
        try {
            until(what, () -> {
                last[0] = value.get();
                return expected.equals(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (expected " + expected + ", last saw " + last[0] + ")", e);
        }
    }
}
