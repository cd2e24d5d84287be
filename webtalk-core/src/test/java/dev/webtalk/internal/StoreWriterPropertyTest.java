package dev.webtalk.internal;

import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.RecordingChatStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;


import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room's seqs and stream positions stay dense whatever fails and when: random runs of posts to two
 * rooms, some of them failing in the store, some in batches held back so that failures share a
 * transaction with good writes. Afterwards each room holds exactly the posts that were acknowledged,
 * numbered 1..n with the numbers their acknowledgements carried, and nothing that failed.
 */
class StoreWriterPropertyTest {
    private static final RoomId A = RoomId.of("RoomAAAA");
    private static final RoomId B = RoomId.of("RoomBBBB");
    private static final UserId ANA = UserId.of("u-ana");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** One submission: to room A or B, failing in the store or not; {@code hold} first holds the store. */
    record Step(boolean roomA, boolean fails, boolean hold) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = net.jqwik.api.Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 4).map(i -> i == 0),   // about one in five fails
                Arbitraries.integers().between(0, 9).map(i -> i == 0))   // about one in ten holds the store
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void seqsAndPositionsStayDenseWhateverFails(@ForAll("runs") List<Step> run) throws Exception {
        InMemoryChatStore inner = new InMemoryChatStore();
        RecordingChatStore store = new RecordingChatStore(inner);
        Set<String> doomed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && doomed.contains(a.message().text()));
        StoreWriter writer = new StoreWriter(store, 10_000, 8);
        try {
            writer.submit(List.of(new StoreWrite.CreateRoom(new Room(A, "A", ANA, null, T0)),
                    new StoreWrite.CreateRoom(new Room(B, "B", ANA, null, T0)))).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<List<StoreWrite>>> futures = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            boolean held = false;
            for (int i = 0; i < run.size(); i++) {
                Step step = run.get(i);
                String text = "t" + i;
                if (step.fails()) {
                    doomed.add(text);
                }
                if (step.hold() && !held) {
                    store.hold();
                    held = true;
                }
                RoomId room = step.roomA() ? A : B;
                texts.add(text);
                futures.add(writer.submit(room, post(room, text)));
                if (held && step.hold() && i % 3 == 0) {
                    store.release(); // let what piled up go as one batch
                    held = false;
                }
            }
            if (held) {
                store.release();
            }
            for (RoomId room : List.of(A, B)) {
                List<String> acknowledged = new ArrayList<>();
                List<Long> ackedSeqs = new ArrayList<>();
                for (int i = 0; i < run.size(); i++) {
                    if (!(run.get(i).roomA() ? A : B).equals(room)) {
                        continue;
                    }
                    try {
                        List<StoreWrite> writes = futures.get(i).get(10, TimeUnit.SECONDS);
                        acknowledged.add(texts.get(i));
                        ackedSeqs.add(Committed.message(writes).seq());
                        assertEquals(Committed.message(writes).seq(), Committed.pos(writes),
                                "only posts here, so each seq is its position");
                    } catch (ExecutionException e) {
                        assertTrue(run.get(i).fails(), "only doomed posts fail: " + e.getCause());
                    }
                }
                List<Message> stored = inner.messagesAfter(room, 0, 1000);
                assertEquals(acknowledged, stored.stream().map(Message::text).toList(), "exactly the acknowledged, in order");
                List<Long> dense = LongStream.rangeClosed(1, stored.size()).boxed().toList();
                assertEquals(dense, stored.stream().map(Message::seq).toList(), "seqs dense");
                assertEquals(dense, ackedSeqs, "acknowledged with the seqs they are stored at");
                assertEquals(dense, inner.eventsAfter(room, 0, 1000).stream().map(RoomEvent::pos).toList(), "positions dense");
            }
        } finally {
            store.release();
            writer.close();
        }
    }

    private static StoreWriter.RoomChange post(RoomId room, String text) {
        return (seq, pos) -> List.of(
                new StoreWrite.AppendMessage(new Message(room, seq, ANA, "Ana", MessageKind.TEXT, text, null, T0, null)),
                new StoreWrite.AppendEvent(RoomEvent.aboutMessage(room, pos, RoomEvent.Kind.MESSAGE_POSTED, T0, seq)));
    }

}
