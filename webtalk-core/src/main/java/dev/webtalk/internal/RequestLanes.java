package dev.webtalk.internal;

import dev.webtalk.RateLimitedException;
import dev.webtalk.RoomId;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Orders one connection's requests per room, so they take effect in the order sent. A membership
 * change ({@code join}, {@code leave}, {@code delete_room}) is a barrier: requests for the same room
 * sent after it start only once it has finished (its store write committed and its presence change
 * made); requests sent before it, and requests between two barriers, start at once and in order, so
 * pipelined sends still share group commits. Other rooms and other connections never wait here.
 *
 * <p>Waiting requests are bounded per room ({@code maxQueued}); past it a request fails
 * {@code rate_limited} at once. Thread-safe: {@link #run} is called from the transport's thread,
 * barriers finish on engine threads.
 */
final class RequestLanes {
    private final int maxQueued;
    private final Executor resumeOn;
    private final Map<RoomId, Lane> lanes = new HashMap<>(); // guarded by this

    private static final class Lane {
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
        /** A barrier started and has not finished. */
        boolean barrier;
        /** A thread is starting waiting requests; nobody else may start one meanwhile. */
        boolean draining;
    }

    private record Entry(boolean barrier, Runnable start, CompletableFuture<?> done) {
    }

    /**
     * @param maxQueued requests that may wait per room
     * @param resumeOn  where waiting requests start once a barrier finished (not the room's lane: a
     *                  waiting join may hash a password)
     */
    RequestLanes(int maxQueued, Executor resumeOn) {
        this.maxQueued = maxQueued;
        this.resumeOn = resumeOn;
    }

    /**
     * Starts {@code work} now, or after the barriers sent before it for {@code room} finished, and
     * completes with its outcome. Fails with {@link RateLimitedException} when too many requests
     * already wait for the room.
     */
    <T> CompletableFuture<T> run(RoomId room, boolean barrier, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> outcome;
            try {
                outcome = work.get();
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        Lane lane;
        synchronized (this) {
            lane = lanes.computeIfAbsent(room, k -> new Lane());
            if (lane.waiting.size() >= maxQueued) {
                return CompletableFuture.failedFuture(new RateLimitedException("More than " + maxQueued
                        + " requests wait for an earlier join or leave of room " + room));
            }
            lane.waiting.add(new Entry(barrier, start, result));
            if (lane.draining || lane.barrier) {
                return result;
            }
            lane.draining = true;
        }
        drain(room, lane);
        return result;
    }

    /** Starts waiting requests in order until the lane is empty or a barrier is in flight. */
    private void drain(RoomId room, Lane lane) {
        while (true) {
            Entry next;
            synchronized (this) {
                if (lane.barrier || lane.waiting.isEmpty()) {
                    lane.draining = false;
                    if (!lane.barrier) {
                        lanes.remove(room, lane);
                    }
                    return;
                }
                next = lane.waiting.poll();
                if (next.barrier()) {
                    lane.barrier = true;
                }
            }
            next.start().run();
            if (next.barrier()) {
                next.done().whenComplete((v, failure) -> barrierDone(room, lane));
            }
        }
    }

    private void barrierDone(RoomId room, Lane lane) {
        synchronized (this) {
            lane.barrier = false;
            if (lane.draining) {
                return; // the draining thread sees the barrier gone on its next turn
            }
            lane.draining = true;
        }
        try {
            resumeOn.execute(() -> drain(room, lane));
        } catch (RejectedExecutionException e) {
            drain(room, lane); // the engine is shutting down: still answer what waits
        }
    }
}
