package dev.webtalk.testing;

import dev.webtalk.RoomId;
import dev.webtalk.StoreConflictException;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-process store shared by several engines, as nodes share a database: each engine gets its own
 * {@link #view()}. Writes of all views commit one at a time, and a batch whose first new seq or stream
 * position in a room is not the next one stored is refused with {@link StoreConflictException}, as a
 * store shared by several writers must. Closing a view leaves the store open for the others.
 */
public final class SharedChatStore {
    private final ChatStore store;
    private final Object commits = new Object();
    private final AtomicInteger conflicts = new AtomicInteger();

    public SharedChatStore(ChatStore store) {
        this.store = store;
    }

    /** A view for one more engine. */
    public ChatStore view() {
        return new ForwardingChatStore(store) {
            @Override
            public void apply(List<StoreWrite> batch) {
                synchronized (commits) {
                    checkNumbers(batch);
                    super.apply(batch);
                }
            }

            @Override
            public void close() {
                // the other engines still use it
            }
        };
    }

    /** Batches refused so far because another writer had taken their numbers. */
    public int conflicts() {
        return conflicts.get();
    }

    /** The store itself, for a test's own reads. */
    public ChatStore store() {
        return store;
    }

    private void checkNumbers(List<StoreWrite> batch) {
        Map<RoomId, Long> nextSeq = new HashMap<>();
        Map<RoomId, Long> nextPos = new HashMap<>();
        for (StoreWrite w : batch) {
            if (w instanceof StoreWrite.AppendMessage a) {
                long expected = nextSeq.computeIfAbsent(a.message().roomId(), r -> store.lastSeq(r) + 1);
                check(a.message().seq() == expected);
                nextSeq.put(a.message().roomId(), expected + 1);
            } else if (w instanceof StoreWrite.AppendEvent e) {
                long expected = nextPos.computeIfAbsent(e.event().roomId(), r -> store.lastPos(r) + 1);
                check(e.event().pos() == expected);
                nextPos.put(e.event().roomId(), expected + 1);
            }
        }
    }

    private void check(boolean inSequence) {
        if (!inSequence) {
            conflicts.incrementAndGet();
            throw new StoreConflictException("numbers taken by another writer");
        }
    }
}
