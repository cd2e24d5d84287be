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
 * barriers finish on engine threads (usually the room's), which then start what waited behind them.
 */
final class RequestLanes {
    private final int maxQueued;
    private final Executor slowStarts;
    private final Runnable onRefused;
    private final Map<RoomId, Lane> lanes = new HashMap<>(); // guarded by this

    private static final class Lane {
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
        /** A barrier started and has not finished. */
        boolean barrier;
        /** A thread is starting waiting requests; nobody else may start one meanwhile. */
        boolean draining;
    }

    private record Entry(boolean barrier, boolean slowStart, Runnable start) {
    }

    /**
     * @param maxQueued  requests that may wait per room
     * @param slowStarts where a waiting request that may block when it starts (a join hashes a
     *                   password) is started once the barrier before it finished: never on the room's
     *                   lane, whose thread finishes barriers
     * @param onRefused  runs when a request is refused because too many wait (for metrics)
     */
    RequestLanes(int maxQueued, Executor slowStarts, Runnable onRefused) {
        this.maxQueued = maxQueued;
        this.slowStarts = slowStarts;
        this.onRefused = onRefused;
    }

    /**
     * Starts {@code work} now, or after the barriers sent before it for {@code room} finished, and
     * completes with its outcome. A barrier releases the requests behind it before its own outcome
     * is delivered, so by the time the client reads a join's reply, what it sent after the join has
     * started. Fails with {@link RateLimitedException} when too many requests already wait.
     *
     * @param barrier   whether later requests for the room must wait for this one
     * @param slowStart whether starting {@code work} may block (it then never starts on a room's thread)
     */
    <T> CompletableFuture<T> run(RoomId room, boolean barrier, boolean slowStart,
                                 Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Lane lane;
        synchronized (this) {
            lane = lanes.computeIfAbsent(room, k -> new Lane());
            if (lane.waiting.size() >= maxQueued) {
                onRefused.run();
                return CompletableFuture.failedFuture(new RateLimitedException("More than " + maxQueued
                        + " requests wait for an earlier join or leave of room " + room));
            }
            Lane own = lane;
            Runnable start = () -> {
                CompletableFuture<T> outcome;
                try {
                    outcome = work.get();
                } catch (RuntimeException e) {
                    outcome = CompletableFuture.failedFuture(e);
                }
                outcome.whenComplete((value, failure) -> {
                    if (barrier) {
                        barrierDone(room, own);
                    }
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                });
            };
            lane.waiting.add(new Entry(barrier, slowStart, start));
            if (lane.draining || lane.barrier) {
                return result;
            }
            lane.draining = true;
        }
        drain(room, lane, true);
        return result;
    }

    /**
     * Starts waiting requests in order until the lane is empty or a barrier is in flight.
     * {@code mayBlock}: whether this thread may start a slow request (the transport's may; a room's
     * may not).
     */
    private void drain(RoomId room, Lane lane, boolean mayBlock) {
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
                next = lane.waiting.peek();
                if (next.slowStart() && !mayBlock) {
                    break; // still draining: hand the rest to a thread that may block
                }
                lane.waiting.poll();
                if (next.barrier()) {
                    lane.barrier = true;
                }
            }
            next.start().run();
        }
        try {
            slowStarts.execute(() -> drain(room, lane, true));
        } catch (RejectedExecutionException e) {
            drain(room, lane, true);
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
        drain(room, lane, false);
    }
}
