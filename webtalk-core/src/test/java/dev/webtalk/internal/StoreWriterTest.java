package dev.webtalk.internal;

import dev.webtalk.MessageKind;
import dev.webtalk.Message;
import dev.webtalk.OverloadedException;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.RecordingChatStore;
import dev.webtalk.testing.SharedChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreWriterTest {
    private static final RoomId ROOM = RoomId.of("Room0001");
    private static final UserId ANA = UserId.of("u-ana");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final InMemoryChatStore inner = new InMemoryChatStore();
    private final RecordingChatStore store = new RecordingChatStore(inner);
    private StoreWriter writer;

    private StoreWriter start(int capacity, int batchMax) {
        writer = new StoreWriter(store, capacity, batchMax);
        join(writer.submit(new StoreWrite.CreateRoom(new Room(ROOM, "General", ANA, null, T0))));
        return writer;
    }

    @AfterEach
    void stop() {
        store.release();
        if (writer != null) {
            writer.close();
        }
    }

    /** A message posted to {@code room} with its stream event, numbered by the writer. */
    private static StoreWriter.RoomChange post(RoomId room, String text) {
        return (seq, pos) -> List.of(
                new StoreWrite.AppendMessage(new Message(room, seq, ANA, "Ana", MessageKind.TEXT, text, null, T0, null)),
                new StoreWrite.AppendEvent(RoomEvent.aboutMessage(room, pos, RoomEvent.Kind.MESSAGE_POSTED, T0, seq)));
    }

    private CompletableFuture<List<StoreWrite>> append(long n) {
        return writer.submit(ROOM, post(ROOM, "m" + n));
    }

    private static List<String> texts(InMemoryChatStore s, RoomId room) {
        return s.messagesAfter(room, 0, 10_000).stream().map(Message::text).toList();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("write failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("write never completed", e);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void groupsWaitingWritesIntoOneBatchAndCompletesInOrder() {
        start(1000, 512);
        store.hold();
        CompletableFuture<List<StoreWrite>> first = append(1);
        store.awaitHeld(Duration.ofSeconds(5));
        ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<List<StoreWrite>>> rest = new ArrayList<>();
        for (long seq = 2; seq <= 101; seq++) {
            long s = seq;
            rest.add((append(seq)).whenComplete((v, e) -> completions.add(s)));
        }
        assertEquals(100, writer.pending());
        store.release();

        join(first);
        rest.forEach(StoreWriterTest::join);

        assertEquals(List.of(1, 2, 200), store.batchSizes(), "create room, the held post (message + event), then one group commit");
        assertEquals(LongStream.rangeClosed(2, 101).boxed().toList(), List.copyOf(completions));
        assertEquals(101, store.lastSeq(ROOM));
    }

    @Test
    void batchesAreCappedAtBatchMax() {
        start(1000, 10);
        store.hold();
        CompletableFuture<List<StoreWrite>> first = append(1);
        store.awaitHeld(Duration.ofSeconds(5));
        List<CompletableFuture<List<StoreWrite>>> rest = new ArrayList<>();
        for (long seq = 2; seq <= 26; seq++) {
            rest.add((append(seq)));
        }
        store.release();
        join(first);
        rest.forEach(StoreWriterTest::join);

        assertEquals(List.of(1, 2, 20, 20, 10), store.batchSizes(), "batchMax counts groups of two writes");
    }

    @Test
    void aFailingGroupFailsAloneEvenWhenBatchedWithOthers() {
        start(1000, 512);
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && a.message().text().equals("bad"));
        store.hold();
        CompletableFuture<List<StoreWrite>> first = append(1);
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<List<StoreWrite>> good = writer.submit(ROOM, post(ROOM, "good"));
        CompletableFuture<List<StoreWrite>> bad = writer.submit(ROOM, post(ROOM, "bad"));
        CompletableFuture<List<StoreWrite>> alsoGood = writer.submit(ROOM, post(ROOM, "also good"));
        store.release();

        join(first);
        join(good);
        join(alsoGood);
        assertInstanceOf(StoreException.class, failure(bad));
        assertEquals(List.of("m1", "good", "also good"), texts(inner, ROOM));
    }

    /**
     * Numbers are given as groups commit, so a group that fails takes none: the room's later groups, in
     * the same batch or after it, take the next seq and position, and nothing is ever skipped. Other
     * rooms are not affected.
     */
    @Test
    void aFailedGroupTakesNoNumberSoLaterOnesStayDense() {
        start(1000, 512);
        RoomId other = RoomId.of("Room0002");
        join(writer.submit(new StoreWrite.CreateRoom(new Room(other, "Other", ANA, null, T0))));
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && a.message().text().equals("bad"));
        store.hold();
        CompletableFuture<List<StoreWrite>> first = append(1);
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<List<StoreWrite>> failing = writer.submit(ROOM, post(ROOM, "bad"));
        CompletableFuture<List<StoreWrite>> behind = writer.submit(ROOM, post(ROOM, "behind"));
        CompletableFuture<List<StoreWrite>> otherRoom = writer.submit(other, post(other, "elsewhere"));
        store.release();

        join(first);
        assertInstanceOf(StoreException.class, failure(failing));
        List<StoreWrite> stored = join(behind);
        assertEquals(2, Committed.message(stored).seq(), "behind takes the seq the failed one never had");
        assertEquals(2, Committed.pos(stored));
        join(otherRoom);
        assertEquals(List.of("m1", "behind"), texts(inner, ROOM));
        assertEquals(List.of("elsewhere"), texts(inner, other));
        assertEquals(List.of(1L, 2L), inner.eventsAfter(ROOM, 0, 10).stream().map(RoomEvent::pos).toList());

        store.failWrites(w -> false);
        assertEquals(3, Committed.message(join(writer.submit(ROOM, post(ROOM, "later")))).seq());
    }

    /**
     * Two writers on one store, as two nodes of a cluster on one database: each guesses the room's next
     * numbers from its own memory, the store refuses stale guesses as conflicts (as a shared store
     * must), and the writers retry. Every post is stored exactly once and the room's seqs and positions
     * end dense.
     */
    @Test
    void writersSharingAStoreRetryConflictsAndKeepNumbersDense() throws Exception {
        start(1000, 512);
        SharedChatStore shared = new SharedChatStore(inner);
        try (StoreWriter nodeA = new StoreWriter(shared.view(), 10_000, 64);
             StoreWriter nodeB = new StoreWriter(shared.view(), 10_000, 64)) {
            // Each writer remembers the room's next numbers; B's post makes A's memory stale for sure.
            join(nodeA.submit(ROOM, post(ROOM, "a-first")));
            join(nodeB.submit(ROOM, post(ROOM, "b-first")));
            join(nodeA.submit(ROOM, post(ROOM, "a-second")));
            assertTrue(shared.conflicts() > 0, "A's stale guess was refused, and retried");
            // Then both at once, from two threads.
            int perNode = 400;
            List<CompletableFuture<List<StoreWrite>>> all = new ArrayList<>();
            Thread b = new Thread(() -> {
                for (int i = 0; i < perNode; i++) {
                    synchronized (all) {
                        all.add(nodeB.submit(ROOM, post(ROOM, "b" + i)));
                    }
                }
            });
            b.start();
            for (int i = 0; i < perNode; i++) {
                synchronized (all) {
                    all.add(nodeA.submit(ROOM, post(ROOM, "a" + i)));
                }
            }
            b.join();
            List<CompletableFuture<List<StoreWrite>>> submitted;
            synchronized (all) {
                submitted = List.copyOf(all);
            }
            submitted.forEach(StoreWriterTest::join);
        }
        List<Message> stored = inner.messagesAfter(ROOM, 0, 10_000);
        assertEquals(List.of("a-first", "b-first", "a-second"), stored.subList(0, 3).stream().map(Message::text).toList());
        assertEquals(LongStream.rangeClosed(1, 803).boxed().toList(), stored.stream().map(Message::seq).toList());
        assertEquals(803, stored.stream().map(Message::text).distinct().count(), "each post once");
        assertEquals(LongStream.rangeClosed(1, 803).boxed().toList(),
                inner.eventsAfter(ROOM, 0, 10_000).stream().map(RoomEvent::pos).toList());
        for (String node : List.of("a", "b")) {
            List<String> order = stored.stream().map(Message::text).filter(t -> t.matches(node + "\\d+")).toList();
            assertEquals(LongStream.range(0, 400).mapToObj(i -> node + i).toList(), order,
                    "one writer's posts keep their submission order");
        }
    }

    @Test
    void injectedStoreFailuresReachTheSubmitter() {
        start(1000, 512);
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && a.message().seq() == 1);

        assertInstanceOf(StoreException.class, failure(append(1)));
        store.failWrites(w -> false);
        assertEquals(1, Committed.message(join(append(1))).seq());
    }

    @Test
    void aFullQueueRefusesAtOnceWithOverloaded() {
        start(2, 512);
        store.hold();
        CompletableFuture<List<StoreWrite>> inStore = (append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<List<StoreWrite>> queued1 = (append(2));
        CompletableFuture<List<StoreWrite>> queued2 = (append(3));

        CompletableFuture<List<StoreWrite>> refused = (append(4));

        assertTrue(refused.isCompletedExceptionally());
        assertInstanceOf(OverloadedException.class, failure(refused));
        store.release();
        join(inStore);
        join(queued1);
        join(queued2);
        assertEquals(3, store.lastSeq(ROOM));
    }

    @Test
    void closeCommitsWhatWasQueuedAndRefusesLaterWrites() {
        start(1000, 512);
        store.hold();
        CompletableFuture<List<StoreWrite>> first = append(1);
        store.awaitHeld(Duration.ofSeconds(5));
        List<CompletableFuture<List<StoreWrite>>> queued = new ArrayList<>();
        for (long seq = 2; seq <= 50; seq++) {
            queued.add((append(seq)));
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        store.release();
        join(closing);

        join(first);
        queued.forEach(StoreWriterTest::join);
        assertEquals(50, store.lastSeq(ROOM));
        assertInstanceOf(OverloadedException.class, failure((append(51))));
    }

    @Test
    void everyWriteSubmittedDuringCloseCompletesOneWayOrTheOther() throws Exception {
        for (int round = 0; round < 20; round++) {
            RecordingChatStore roundStore = new RecordingChatStore(new InMemoryChatStore());
            StoreWriter w = new StoreWriter(roundStore, 10_000, 512);
            join(w.submit(new StoreWrite.CreateRoom(new Room(ROOM, "General", ANA, null, T0))));
            List<CompletableFuture<List<StoreWrite>>> submitted = new ArrayList<>();
            CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
                for (long seq = 1; seq <= 5_000; seq++) {
                    submitted.add(w.submit(ROOM, post(ROOM, "m" + seq)));
                }
            });
            w.close();
            submitter.get(10, TimeUnit.SECONDS);

            for (CompletableFuture<List<StoreWrite>> f : submitted) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertInstanceOf(OverloadedException.class, e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("round " + round + ": a write submitted during close never completed", e);
                }
            }
            long committed = submitted.stream().filter(f -> !f.isCompletedExceptionally()).count();
            assertEquals(committed, roundStore.lastSeq(ROOM), "exactly the acknowledged writes are stored");
            assertFalse(roundStore.isClosed(), "the writer does not own the store");
        }
    }
}
