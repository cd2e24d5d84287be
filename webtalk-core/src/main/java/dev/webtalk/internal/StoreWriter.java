package dev.webtalk.internal;

import dev.webtalk.OverloadedException;
import dev.webtalk.RoomId;
import dev.webtalk.StoreConflictException;
import dev.webtalk.StoreException;
import dev.webtalk.StoreUnavailableException;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.EngineObserver;
import dev.webtalk.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's single writer. Callers submit groups of writes and get a future that completes once the
 * group is committed; the writer thread commits everything that is waiting as one batch (group commit),
 * which gives throughput without giving up durability. Futures complete in submission order, on the
 * writer thread, so continuations must only hand off (e.g. to a room's {@link SerialExecutor}).
 *
 * <p>A room's message seqs and event-stream positions are numbered here, as each group is committed
 * ({@link #submit(RoomId, RoomChange)}), not when it is queued: a group that fails takes no number, so
 * a room's seqs and positions stay dense whatever fails and when, and the groups after it simply take
 * the next ones. The writer keeps each room's next numbers in memory, read from the store on first use
 * and read again after any failure (the store is the truth).
 *
 * <p>Several engines (nodes of a cluster) may write one shared store; then another writer can take the
 * numbers this one guessed, and the store refuses the batch with {@link StoreConflictException}. The
 * writer reads the rooms' numbers again and retries the same groups, up to {@value #CONFLICT_ATTEMPTS}
 * times as a batch and as many again for each group alone, pausing a random millisecond or few from the
 * third try on so that writers racing for one room fall out of step; a submitter sees a conflict only
 * when a room is contended that hard.
 *
 * <p>The queue is bounded: when it is full, {@code submit} fails at once with {@link OverloadedException}
 * instead of letting memory grow.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    /**
     * Builds a room's writes once the writer knows the room's next numbers: the writes may append
     * messages numbered {@code nextSeq}, {@code nextSeq + 1}, … and stream events at {@code nextPos},
     * {@code nextPos + 1}, … in that order, nothing else of the room's numbering. Called on the writer
     * thread, possibly more than once (a retry after a failed batch), so it must only build.
     */
    @FunctionalInterface
    public interface RoomChange {
        List<StoreWrite> build(long nextSeq, long nextPos);
    }

    /** A room's next message seq and stream position. */
    private record Heads(long nextSeq, long nextPos) {
    }

    private record Pending(RoomId room, RoomChange change, CompletableFuture<List<StoreWrite>> done) {
    }

    /** Tries of one batch (or one group) that the store refuses as a numbering conflict. */
    static final int CONFLICT_ATTEMPTS = 8;

    private static final Pending STOP = new Pending(null, (s, p) -> List.of(), new CompletableFuture<>());

    private final ChatStore store;
    private final BlockingQueue<Pending> queue;
    private final int batchMax;
    private final Thread thread;
    /** Told of every committed batch; a supplier, as the engine's observers change while it runs. */
    private final Supplier<EngineObserver> observer;
    private final Object admission = new Object();
    /** Each room's next numbers as committed; a missing room is read from the store. Writer thread only. */
    private final Map<RoomId, Heads> heads = new HashMap<>();
    private boolean closed; // guarded by admission

    public StoreWriter(ChatStore store, int capacity, int batchMax) {
        this(store, capacity, batchMax, () -> EngineObserver.NONE);
    }

    /** @param observer told of each committed batch's size and commit time (on the writer thread) */
    public StoreWriter(ChatStore store, int capacity, int batchMax, Supplier<EngineObserver> observer) {
        this.store = store;
        this.observer = observer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchMax = batchMax;
        this.thread = new Thread(this::run, "webtalk-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a change to {@code room} that the writer numbers as it commits it (see {@link RoomChange});
     * the future completes with the writes as committed.
     */
    public CompletableFuture<List<StoreWrite>> submit(RoomId room, RoomChange change) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(change, "change");
        return enqueue(new Pending(room, change, new CompletableFuture<>()));
    }

    /**
     * Queues writes that take no seq or position, to commit together, atomically.
     *
     * @throws IllegalArgumentException if one of them appends a message or an event (those are numbered:
     *     use {@link #submit(RoomId, RoomChange)})
     */
    public CompletableFuture<Void> submit(List<StoreWrite> writes) {
        List<StoreWrite> fixed = List.copyOf(writes);
        for (StoreWrite w : fixed) {
            if (w instanceof StoreWrite.AppendMessage || w instanceof StoreWrite.AppendEvent) {
                throw new IllegalArgumentException("numbered writes go through submit(room, change): " + w);
            }
        }
        return enqueue(new Pending(null, (s, p) -> fixed, new CompletableFuture<>())).thenApply(w -> null);
    }

    /** Queues one write that takes no seq or position. */
    public CompletableFuture<Void> submit(StoreWrite write) {
        return submit(List.of(write));
    }

    private CompletableFuture<List<StoreWrite>> enqueue(Pending pending) {
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
        List<Pending> groups = batch;
        for (int attempt = 1; ; attempt++) {
            // Number every group as if the whole batch commits; only a commit makes the numbers final.
            Map<RoomId, Heads> trial = new HashMap<>();
            List<Pending> built = new ArrayList<>(groups.size());
            List<List<StoreWrite>> writesOf = new ArrayList<>(groups.size());
            List<StoreWrite> all = new ArrayList<>();
            for (Pending p : groups) {
                try {
                    List<StoreWrite> writes = build(p, trial);
                    built.add(p);
                    writesOf.add(writes);
                    all.addAll(writes);
                } catch (RuntimeException e) {
                    failed(p, e);
                }
            }
            if (built.isEmpty()) {
                return;
            }
            try {
                apply(built.size(), all);
            } catch (StoreConflictException conflict) {
                forget(built);
                if (attempt < CONFLICT_ATTEMPTS) {
                    groups = built; // another writer took our numbers: the same groups, numbered afresh
                    pauseAfterConflict(attempt);
                    continue;
                }
                built.forEach(this::commitAlone); // still contended: each group on its own tries
                return;
            } catch (StoreUnavailableException unreachable) {
                // Not one bad group: the store is away. Trying each group alone would only wait again.
                forget(built);
                LOG.warn("Store unreachable, {} writes refused: {}", built.size(), unreachable.toString());
                built.forEach(p -> p.done().completeExceptionally(unreachable));
                return;
            } catch (RuntimeException batchFailure) {
                forget(built);
                commitEachAlone(built, batchFailure);
                return;
            }
            heads.putAll(trial);
            for (int i = 0; i < built.size(); i++) {
                committed(built.get(i), writesOf.get(i));
            }
            return;
        }
    }

    /**
     * One bad group must not fail the others that happened to share its transaction: each goes alone,
     * numbered afresh, so a failed one leaves no hole for those after it.
     */
    private void commitEachAlone(List<Pending> groups, RuntimeException batchFailure) {
        if (groups.size() == 1) {
            failed(groups.get(0), batchFailure);
            return;
        }
        for (Pending p : groups) {
            commitAlone(p);
        }
    }

    private void commitAlone(Pending p) {
        for (int attempt = 1; ; attempt++) {
            Map<RoomId, Heads> trial = new HashMap<>();
            List<StoreWrite> writes;
            try {
                writes = build(p, trial);
                apply(1, writes);
            } catch (StoreConflictException conflict) {
                forget(List.of(p));
                if (attempt < CONFLICT_ATTEMPTS) {
                    pauseAfterConflict(attempt);
                    continue;
                }
                failed(p, conflict);
                return;
            } catch (RuntimeException e) {
                forget(List.of(p));
                failed(p, e);
                return;
            }
            heads.putAll(trial);
            committed(p, writes);
            return;
        }
    }

    /**
     * Writers of several nodes that keep refusing each other's numbers for one room retry in lock step;
     * from the second conflict on, a random pause of up to a few milliseconds lets one of them win.
     */
    private static void pauseAfterConflict(int attempt) {
        if (attempt < 2) {
            return;
        }
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 8)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits one batch of {@code groups} write groups and reports its size and commit time. */
    private void apply(int groups, List<StoreWrite> writes) {
        long start = System.nanoTime();
        store.apply(writes);
        observer.get().storeBatchCommitted(groups, writes.size(), System.nanoTime() - start);
    }

    /** Builds a group's writes with its room's next numbers from {@code trial}, and advances them there. */
    private List<StoreWrite> build(Pending p, Map<RoomId, Heads> trial) {
        if (p.room() == null) {
            return p.change().build(0, 0);
        }
        Heads next = trial.get(p.room());
        if (next == null) {
            next = heads.get(p.room());
        }
        if (next == null) {
            next = new Heads(store.lastSeq(p.room()) + 1, store.lastPos(p.room()) + 1);
        }
        List<StoreWrite> writes = List.copyOf(p.change().build(next.nextSeq(), next.nextPos()));
        long seq = next.nextSeq();
        long pos = next.nextPos();
        for (StoreWrite w : writes) {
            if (w instanceof StoreWrite.AppendMessage a) {
                checkNumber("message seq", a.message().roomId(), a.message().seq(), p.room(), seq++);
            } else if (w instanceof StoreWrite.AppendEvent e) {
                checkNumber("event position", e.event().roomId(), e.event().pos(), p.room(), pos++);
            }
        }
        trial.put(p.room(), new Heads(seq, pos));
        return writes;
    }

    private static void checkNumber(String what, RoomId room, long number, RoomId expectedRoom, long expected) {
        if (!room.equals(expectedRoom) || number != expected) {
            throw new IllegalStateException(what + " " + room + "/" + number + " where " + expectedRoom + "/"
                    + expected + " was next");
        }
    }

    /**
     * After a failed commit the store may or may not hold part of what was tried (a commit whose outcome
     * is unknown, another writer of the same database): the rooms' next numbers are read again.
     */
    private void forget(List<Pending> failed) {
        for (Pending p : failed) {
            if (p.room() != null) {
                heads.remove(p.room());
            }
        }
    }

    private void committed(Pending p, List<StoreWrite> writes) {
        for (StoreWrite w : writes) {
            if (w instanceof StoreWrite.DeleteRoom d) {
                heads.remove(d.roomId());
            }
        }
        p.done().complete(writes);
    }

    private static void failed(Pending p, RuntimeException e) {
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
