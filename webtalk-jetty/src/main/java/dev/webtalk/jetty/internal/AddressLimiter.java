package dev.webtalk.jetty.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts open WebSockets per remote IP address and bounds them. The handshake asks
 * {@link #hasRoom} to refuse early with {@code 429}; the socket takes its slot with {@link #tryTake}
 * when it opens, which is exact even when many handshakes race. Thread-safe.
 */
final class AddressLimiter {
    private final int max;
    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

    AddressLimiter(int max) {
        this.max = max;
    }

    boolean hasRoom(String address) {
        return open.getOrDefault(address, 0) < max;
    }

    /** Counts one more socket from {@code address}; false, counting nothing, at the limit. */
    boolean tryTake(String address) {
        boolean[] taken = {false};
        open.compute(address, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Gives back a slot taken with {@link #tryTake}. */
    void release(String address) {
        open.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }

    int max() {
        return max;
    }
}
