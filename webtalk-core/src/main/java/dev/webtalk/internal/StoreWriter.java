package dev.webtalk.internal;

import dev.webtalk.OverloadedException;
import dev.webtalk.StoreException;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The store's single writer. Callers submit groups of writes and get a future that completes once the
 * group is committed; the writer thread commits everything that is waiting as one batch (group commit),
 * which gives throughput without giving up durability. Futures complete in submission order, on the
 * writer thread, so continuations must only hand off (e.g. to a room's {@link SerialExecutor}).
 *
 * <p>The queue is bounded: when it is full, {@link #submit} fails at once with {@link OverloadedException}
 * instead of letting memory grow.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private record Pending(List<StoreWrite> writes, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

    private final ChatStore store;
    private final BlockingQueue<Pending> queue;
    private final int batchMax;
    private final Thread thread;
    private final Object admission = new Object();
    private boolean closed; // guarded by admission

    public StoreWriter(ChatStore store, int capacity, int batchMax) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchMax = batchMax;
        this.thread = new Thread(this::run, "webtalk-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues writes to commit together, atomically. */
    public CompletableFuture<Void> submit(List<StoreWrite> writes) {
        Pending pending = new Pending(List.copyOf(writes), new CompletableFuture<>());
        // Check and enqueue under one lock with close(), so nothing is queued behind STOP, where the
        // writer would never see it and its future would never complete. Cheap: offer() takes the
        // queue's own lock anyway.
        synchronized (admission) {
            if (closed) {
                pending.done().completeExceptionally(new OverloadedException("The engine is shutting down"));
            } else if (!queue.offer(pending)) {
                pending.done().completeExceptionally(new OverloadedException("Too many pending writes; retry later"));
            }
        }
        return pending.done();
    }

    /** Queues one write. */
    public CompletableFuture<Void> submit(StoreWrite write) {
        return submit(List.of(write));
    }

    /** Writes waiting now (for stats and tests). */
    public int pending() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchMax);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, batchMax - 1);
            if (batch.remove(STOP)) {
                stopping = true;
                queue.drainTo(batch); // nothing is accepted after close: finish what came before it
            }
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<StoreWrite> writes = new ArrayList<>();
        batch.forEach(p -> writes.addAll(p.writes()));
        try {
            store.apply(writes);
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                fail(batch.get(0), batchFailure);
                return;
            }
            // One bad group must not fail the others that happened to share its transaction.
            for (Pending p : batch) {
                try {
                    store.apply(p.writes());
                    p.done().complete(null);
                } catch (RuntimeException e) {
                    fail(p, e);
                }
            }
        }
    }

    private static void fail(Pending p, RuntimeException e) {
        LOG.warn("Store write failed: {}", e.toString());
        p.done().completeExceptionally(e instanceof StoreException ? e : new StoreException("Store write failed", e));
    }

    /** Stops accepting writes, commits everything already queued, and waits for the writer to finish. */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
