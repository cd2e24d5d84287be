package dev.webtalk.internal;

import dev.webtalk.OverloadedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashingGateTest {

    /** Occupies one turn of {@code gate} until {@code release} counts down; completes once inside. */
    static CompletableFuture<Void> holdATurn(HashingGate gate, CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> gate.run(() -> {
            inside.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the holder got its turn");
        return done;
    }

    @Test
    void aCallerWaitsForATurnThenIsRefusedOverloaded() throws Exception {
        HashingGate gate = new HashingGate(1, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = holdATurn(gate, release);

        OverloadedException refused = assertThrows(OverloadedException.class, () -> gate.run(() -> "never"));
        assertEquals("overloaded", refused.code().wire());

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertEquals("ran", gate.run(() -> "ran"), "a freed turn is taken again");
    }

    @Test
    void neverRunsMoreHashesAtOnceThanItHasTurns() throws Exception {
        HashingGate gate = new HashingGate(2, Duration.ofSeconds(30));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            for (int i = 0; i < 12; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> gate.run(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // stands for the hash's CPU time
                    return inside.decrementAndGet();
                }), callers));
            }
            for (CompletableFuture<Integer> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(2, most.get(), "twelve callers, two turns: two at once, never more");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new HashingGate(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new HashingGate(1, Duration.ofSeconds(-1)));
    }
}
