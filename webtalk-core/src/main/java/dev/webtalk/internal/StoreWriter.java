package dev.webtalk.internal;

import dev.webtalk.Message;
import dev.webtalk.OverloadedException;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * Per room, the lowest seq whose append failed and is not in the store. A room's seqs are dense: its
     * appends queued behind a failed one (numbered before the room knew of the failure) would leave a
     * gap, so they fail too, until the room, having resynced its next seq from the store, appends that
     * seq again. Writer thread only.
     */
    private final Map<RoomId, Long> holes = new HashMap<>();
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
        List<Pending> runnable = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (appendsAboveHole(p)) {
                failAboveHole(p);
            } else {
                runnable.add(p);
            }
        }
        if (runnable.isEmpty()) {
            return;
        }
        List<StoreWrite> writes = new ArrayList<>();
        runnable.forEach(p -> writes.addAll(p.writes()));
        try {
            store.apply(writes);
            runnable.forEach(this::committed);
        } catch (RuntimeException batchFailure) {
            if (runnable.size() == 1) {
                failed(runnable.get(0), batchFailure);
                return;
            }
            // One bad group must not fail the others that happened to share its transaction.
            for (Pending p : runnable) {
                if (appendsAboveHole(p)) {
                    failAboveHole(p); // an earlier group of this batch left the hole
                    continue;
                }
                try {
                    store.apply(p.writes());
                    committed(p);
                } catch (RuntimeException e) {
                    failed(p, e);
                }
            }
        }
    }

    private void committed(Pending p) {
        for (StoreWrite w : p.writes()) {
            if (w instanceof StoreWrite.AppendMessage a) {
                holes.remove(a.message().roomId(), a.message().seq()); // the hole is filled
            } else if (w instanceof StoreWrite.DeleteRoom d) {
                holes.remove(d.roomId());
            }
        }
        p.done().complete(null);
    }

    private void failed(Pending p, RuntimeException e) {
        LOG.warn("Store write failed: {}", e.toString());
        p.done().completeExceptionally(e instanceof StoreException ? e : new StoreException("Store write failed", e));
        for (StoreWrite w : p.writes()) {
            if (w instanceof StoreWrite.AppendMessage a && !stored(a.message().roomId(), a.message().seq())) {
                holes.merge(a.message().roomId(), a.message().seq(), Math::min);
            }
        }
    }

    /** Whether {@code seq} of {@code room} is in the store (a failed append may have lost to a duplicate). */
    private boolean stored(RoomId room, long seq) {
        try {
            List<Message> at = store.messagesAfter(room, seq - 1, 1);
            return !at.isEmpty() && at.get(0).seq() == seq;
        } catch (RuntimeException e) {
            return false; // cannot tell: treat it as a hole, the safe side
        }
    }

    private boolean appendsAboveHole(Pending p) {
        for (StoreWrite w : p.writes()) {
            if (w instanceof StoreWrite.AppendMessage a) {
                Long hole = holes.get(a.message().roomId());
                if (hole != null && a.message().seq() > hole) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void failAboveHole(Pending p) {
        p.done().completeExceptionally(new StoreException(
                "Not stored: an earlier message of the room could not be stored; send it again", null));
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
