package dev.webtalk.testing;

import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link ChatStore} wrapper that records every committed write and lets a test hold the writer
 * inside {@link #apply} (to pile up pending writes) or make chosen writes fail. Reads go straight to
 * the wrapped store. The record survives {@link #close()}, so a test can check what an engine
 * committed before it closed its store.
 *
 * <p>Threading: {@link #apply} is called by the engine's writer thread; every other method may be
 * called from any thread.
 */
public final class RecordingChatStore extends ForwardingChatStore {
    private final List<StoreWrite> committed = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private volatile CountDownLatch gate;
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile Predicate<StoreWrite> failing = w -> false;
    private volatile boolean closed;

    public RecordingChatStore(ChatStore delegate) {
        super(delegate);
    }

    /** Makes the next {@link #apply} calls wait until {@link #release()}. */
    public void hold() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    /** Lets held and future {@link #apply} calls proceed. */
    public void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until the writer is inside a held {@link #apply}. */
    public void awaitHeld(Duration timeout) {
        try {
            if (!entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The writer did not reach the store within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every batch containing a write that matches fails with a {@link StoreException}. */
    public void failWrites(Predicate<StoreWrite> which) {
        this.failing = Objects.requireNonNull(which, "which");
    }

    /** Every write committed so far, in commit order. */
    public synchronized List<StoreWrite> committed() {
        return List.copyOf(committed);
    }

    /** The messages appended so far, in commit order. */
    public List<Message> appendedMessages() {
        return committed().stream()
                .filter(StoreWrite.AppendMessage.class::isInstance)
                .map(w -> ((StoreWrite.AppendMessage) w).message())
                .toList();
    }

    /** The size of every batch committed so far, in commit order. */
    public synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void apply(List<StoreWrite> batch) {
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while held", e);
            }
        }
        if (batch.stream().anyMatch(failing)) {
            throw new StoreException("injected failure", null);
        }
        super.apply(batch);
        synchronized (this) {
            committed.addAll(batch);
            batchSizes.add(batch.size());
        }
    }

    @Override
    public void close() {
        closed = true;
        super.close();
    }
}
