package dev.webtalk.internal;

import dev.webtalk.MessageKind;
import dev.webtalk.Message;
import dev.webtalk.OverloadedException;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.RecordingChatStore;
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

    private final RecordingChatStore store = new RecordingChatStore(new InMemoryChatStore());
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

    private static StoreWrite append(long seq) {
        return new StoreWrite.AppendMessage(new Message(ROOM, seq, ANA, "Ana", MessageKind.TEXT, "m" + seq, null, T0, null));
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
        CompletableFuture<Void> first = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (long seq = 2; seq <= 101; seq++) {
            long s = seq;
            rest.add(writer.submit(append(seq)).whenComplete((v, e) -> completions.add(s)));
        }
        assertEquals(100, writer.pending());
        store.release();

        join(first);
        rest.forEach(StoreWriterTest::join);

        assertEquals(List.of(1, 1, 100), store.batchSizes(), "create room, the held write, then one group commit");
        assertEquals(LongStream.rangeClosed(2, 101).boxed().toList(), List.copyOf(completions));
        assertEquals(101, store.lastSeq(ROOM));
    }

    @Test
    void batchesAreCappedAtBatchMax() {
        start(1000, 10);
        store.hold();
        CompletableFuture<Void> first = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (long seq = 2; seq <= 26; seq++) {
            rest.add(writer.submit(append(seq)));
        }
        store.release();
        join(first);
        rest.forEach(StoreWriterTest::join);

        assertEquals(List.of(1, 1, 10, 10, 5), store.batchSizes());
    }

    @Test
    void aFailingGroupFailsAloneEvenWhenBatchedWithOthers() {
        start(1000, 512);
        store.hold();
        CompletableFuture<Void> first = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<Void> good = writer.submit(append(2));
        CompletableFuture<Void> duplicate = writer.submit(append(2)); // same seq twice: the store refuses it
        CompletableFuture<Void> alsoGood = writer.submit(List.of(append(3), append(4)));
        store.release();

        join(first);
        join(good);
        join(alsoGood);
        assertInstanceOf(StoreException.class, failure(duplicate));
        assertEquals(4, store.lastSeq(ROOM));
    }

    /**
     * A room numbers its messages before they are stored, so when one fails, the ones queued behind it
     * must fail too: storing them would leave a seq missing for good. Other rooms are not affected, and
     * once the failed seq is stored the room goes on.
     */
    @Test
    void aFailedAppendFailsTheRoomsLaterAppendsSoNoSeqIsSkipped() {
        start(1000, 512);
        RoomId other = RoomId.of("Room0002");
        join(writer.submit(new StoreWrite.CreateRoom(new Room(other, "Other", ANA, null, T0))));
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && a.message().roomId().equals(ROOM)
                && a.message().seq() == 2);
        store.hold();
        CompletableFuture<Void> first = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<Void> failing = writer.submit(append(2));
        CompletableFuture<Void> behind = writer.submit(append(3));
        CompletableFuture<Void> otherRoom = writer.submit(new StoreWrite.AppendMessage(
                new Message(other, 1, ANA, "Ana", MessageKind.TEXT, "elsewhere", null, T0, null)));
        store.release();

        join(first);
        assertInstanceOf(StoreException.class, failure(failing));
        assertTrue(failure(behind).getMessage().contains("earlier message"), "seq 3 would leave 2 missing");
        join(otherRoom);
        assertEquals(1, store.lastSeq(ROOM));
        assertEquals(1, store.lastSeq(other));

        store.failWrites(w -> false);
        assertTrue(failure(writer.submit(append(3))).getMessage().contains("earlier message"),
                "still: the hole is at 2, in a later batch too");
        join(writer.submit(append(2)));
        join(writer.submit(append(3)));
        assertEquals(List.of(1L, 2L, 3L), store.messagesAfter(ROOM, 0, 10).stream().map(Message::seq).toList());
    }

    @Test
    void injectedStoreFailuresReachTheSubmitter() {
        start(1000, 512);
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && a.message().seq() == 1);

        assertInstanceOf(StoreException.class, failure(writer.submit(append(1))));
        store.failWrites(w -> false);
        join(writer.submit(append(1)));
    }

    @Test
    void aFullQueueRefusesAtOnceWithOverloaded() {
        start(2, 512);
        store.hold();
        CompletableFuture<Void> inStore = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<Void> queued1 = writer.submit(append(2));
        CompletableFuture<Void> queued2 = writer.submit(append(3));

        CompletableFuture<Void> refused = writer.submit(append(4));

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
        CompletableFuture<Void> first = writer.submit(append(1));
        store.awaitHeld(Duration.ofSeconds(5));
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (long seq = 2; seq <= 50; seq++) {
            queued.add(writer.submit(append(seq)));
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        store.release();
        join(closing);

        join(first);
        queued.forEach(StoreWriterTest::join);
        assertEquals(50, store.lastSeq(ROOM));
        assertInstanceOf(OverloadedException.class, failure(writer.submit(append(51))));
    }

    @Test
    void everyWriteSubmittedDuringCloseCompletesOneWayOrTheOther() throws Exception {
        for (int round = 0; round < 20; round++) {
            RecordingChatStore roundStore = new RecordingChatStore(new InMemoryChatStore());
            StoreWriter w = new StoreWriter(roundStore, 10_000, 512);
            join(w.submit(new StoreWrite.CreateRoom(new Room(ROOM, "General", ANA, null, T0))));
            List<CompletableFuture<Void>> submitted = new ArrayList<>();
            CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
                for (long seq = 1; seq <= 5_000; seq++) {
                    submitted.add(w.submit(append(seq)));
                }
            });
            w.close();
            submitter.get(10, TimeUnit.SECONDS);

            for (CompletableFuture<Void> f : submitted) {
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
