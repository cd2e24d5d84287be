package dev.webtalk.store.postgres;

import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.StoreConflictException;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several nodes write the same rooms of one database at once: three stores, each with its own pool, and
 * several writer threads per store, each numbering its appends from its own (often stale) memory of the
 * rooms, as an engine's writer does, and on a conflict reading the numbers again and retrying. Whatever
 * the interleaving, each room ends with seqs 1..N and positions 1..M, every message exactly once.
 */
class PostgresSharedRoomsTest {
    private static final int NODES = 3;
    private static final int WRITERS_PER_NODE = 3;
    private static final int GROUPS_PER_WRITER = 60;
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final List<RoomId> ROOMS = List.of(RoomId.of("shared01"), RoomId.of("shared02"));

    private TestSchemas schemas;
    private final List<PostgresChatStore> nodes = new ArrayList<>();

    @BeforeEach
    void openNodes() {
        schemas = new TestSchemas();
        String schema = schemas.newSchema();
        for (int i = 0; i < NODES; i++) {
            nodes.add(PostgresChatStore.open(schemas.options(schema).withPoolSize(WRITERS_PER_NODE + 1)));
        }
        List<StoreWrite> create = new ArrayList<>();
        for (RoomId room : ROOMS) {
            create.add(new StoreWrite.CreateRoom(new Room(room, "Room " + room, UserId.of("owner"), null, T0)));
        }
        nodes.get(0).apply(create);
    }

    @AfterEach
    void closeNodes() throws Exception {
        nodes.forEach(PostgresChatStore::close);
        schemas.close();
    }

    /** One writer's memory of a room's last numbers, like the engine writer's heads. */
    private record Heads(long lastSeq, long lastPos) {
    }

    @Test
    void seqsAndPositionsStayDenseAndUniqueWhenThreeNodesAppendToTheSameRooms() throws Exception {
        AtomicLong conflicts = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(NODES * WRITERS_PER_NODE);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> writers = new ArrayList<>();
        try {
            for (int n = 0; n < NODES; n++) {
                for (int w = 0; w < WRITERS_PER_NODE; w++) {
                    PostgresChatStore node = nodes.get(n);
                    String writer = "n" + n + "w" + w;
                    long seed = 31L * n + w;
                    writers.add(pool.submit(() -> {
                        start.await();
                        return write(node, writer, new SplittableRandom(seed), conflicts);
                    }));
                }
            }
            start.countDown();
            int appended = 0;
            for (Future<Integer> f : writers) {
                appended += f.get(120, TimeUnit.SECONDS); // rethrows any failure but a conflict
            }
            assertEquals(NODES * WRITERS_PER_NODE * GROUPS_PER_WRITER, appended);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "writer threads did not stop");
        }

        assertTrue(conflicts.get() > 0, "the writers never collided: the test proved nothing");
        Set<String> clientIds = new HashSet<>();
        long total = 0;
        for (RoomId room : ROOMS) {
            List<Message> messages = nodes.get(1).messagesAfter(room, 0, Integer.MAX_VALUE);
            List<RoomEvent> events = nodes.get(2).eventsAfter(room, 0, Integer.MAX_VALUE);
            assertEquals(LongStream.rangeClosed(1, messages.size()).boxed().toList(),
                    messages.stream().map(Message::seq).toList(), room + ": seqs not 1..N");
            assertEquals(LongStream.rangeClosed(1, events.size()).boxed().toList(),
                    events.stream().map(RoomEvent::pos).toList(), room + ": positions not 1..M");
            assertEquals(messages.size(), events.size(), room + ": one MESSAGE_POSTED per message");
            assertEquals(messages.stream().map(Message::seq).toList(),
                    events.stream().map(RoomEvent::seq).sorted().toList(), room + ": events name each message once");
            assertEquals(messages.size(), nodes.get(0).lastSeq(room));
            assertEquals(events.size(), nodes.get(0).lastPos(room));
            for (Message m : messages) {
                assertTrue(clientIds.add(m.clientMsgId()), "stored twice: " + m.clientMsgId());
            }
            total += messages.size();
        }
        assertEquals(NODES * WRITERS_PER_NODE * GROUPS_PER_WRITER, total, "messages lost");
    }

    /**
     * Appends GROUPS_PER_WRITER message groups in batches of 1..4 groups over both rooms, numbered from
     * this writer's memory; on a conflict re-reads the rooms' numbers and tries the same groups again.
     */
    private static int write(PostgresChatStore node, String writer, SplittableRandom random, AtomicLong conflicts) {
        Map<RoomId, Heads> heads = new HashMap<>();
        int done = 0;
        while (done < GROUPS_PER_WRITER) {
            int groups = Math.min(1 + random.nextInt(4), GROUPS_PER_WRITER - done);
            List<RoomId> rooms = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                rooms.add(ROOMS.get(random.nextInt(ROOMS.size())));
            }
            for (int attempt = 1; ; attempt++) {
                Map<RoomId, Heads> trial = new HashMap<>(heads);
                List<StoreWrite> batch = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    RoomId room = rooms.get(g);
                    Heads h = trial.computeIfAbsent(room, r -> new Heads(node.lastSeq(r), node.lastPos(r)));
                    long seq = h.lastSeq() + 1;
                    long pos = h.lastPos() + 1;
                    Message m = new Message(room, seq, UserId.of(writer), writer, MessageKind.TEXT, "hi",
                            writer + "-" + (done + g), T0.plusMillis(seq), null);
                    batch.add(new StoreWrite.AppendMessage(m));
                    batch.add(new StoreWrite.AppendEvent(
                            RoomEvent.aboutMessage(room, pos, RoomEvent.Kind.MESSAGE_POSTED, m.createdAt(), seq)));
                    trial.put(room, new Heads(seq, pos));
                }
                try {
                    node.apply(batch);
                    heads = trial;
                    break;
                } catch (StoreConflictException e) {
                    conflicts.incrementAndGet();
                    heads.clear(); // the store is the truth: read the numbers again
                    if (attempt == 1000) {
                        throw new AssertionError(writer + " never got through: " + e.getMessage(), e);
                    }
                }
            }
            done += groups;
        }
        return done;
    }
}
