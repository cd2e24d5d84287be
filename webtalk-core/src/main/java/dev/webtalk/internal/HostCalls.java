package dev.webtalk.internal;

import dev.webtalk.OverloadedException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads ({@code webtalk-host-N}) that run the host's asynchronous calls and complete their futures.
 * A call's own work (store reads, a password hash, streaming an upload) runs here, never on the caller's
 * thread; room work still runs on the room's lane; and the answer is handed back here, so whatever the
 * host chains onto a future never runs on a room's lane or the store writer, where it would hold up
 * rooms. The queue is bounded: past it a call fails at once with {@link OverloadedException}.
 */
public final class HostCalls implements AutoCloseable {
    /** Calls that may wait for a host thread. */
    static final int MAX_QUEUED = 10_000;
    private static final ThreadLocal<Boolean> HOST_THREAD = ThreadLocal.withInitial(() -> false);

    private final ThreadPoolExecutor threads;

    HostCalls(int threadCount) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                    Thread t = new Thread(() -> {
                        HOST_THREAD.set(true);
                        r.run();
                    }, "webtalk-host-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Starts {@code call} on a host thread; the returned future completes on a host thread (or on the
     * thread that attaches a dependent after completion, as with any {@link CompletableFuture}).
     */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    call.get().whenComplete((value, failure) -> complete(result, value, failure));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(threads.isShutdown()
                    ? new OverloadedException("The engine is shutting down")
                    : new OverloadedException("Too many calls waiting; retry later"));
        }
        return result;
    }

    /** Runs a call that answers directly (a store read, say) on a host thread. */
    public <T> CompletableFuture<T> read(Supplier<T> call) {
        return submit(() -> CompletableFuture.completedFuture(call.get()));
    }

    /** Completes {@code result} on a host thread: here when already on one, else handed over. */
    private <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        Runnable completion = () -> {
            if (failure != null) {
                result.completeExceptionally(ClientSession.unwrap(failure));
            } else {
                result.complete(value);
            }
        };
        if (HOST_THREAD.get()) {
            completion.run();
            return;
        }
        try {
            threads.execute(completion);
        } catch (RejectedExecutionException closing) {
            completion.run(); // the engine is closing: nobody else would complete it
        }
    }

    /** Lets queued calls and completions finish (for a while), then stops the threads. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
