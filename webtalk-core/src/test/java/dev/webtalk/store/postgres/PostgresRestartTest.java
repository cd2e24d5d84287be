package dev.webtalk.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.Limits;
import dev.webtalk.Message;
import dev.webtalk.Principal;
import dev.webtalk.RateLimit;
import dev.webtalk.RoomId;
import dev.webtalk.WebTalk;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.BrokerHub;
import dev.webtalk.testing.PostgresServer;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three engines on a PostgreSQL server of the test's own, which is stopped ({@code pg_ctl stop -m
 * immediate}, as a crash) in the middle of a conversation on every node and started again: while it is
 * down, sends are refused with {@code unavailable}; afterwards the same nodes (no restart) take the
 * retried messages, and every acknowledged message is stored once, densely numbered, and held by every
 * client once, in order.
 */
class PostgresRestartTest {
    private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, Duration.ofNanos(1));
    private static final int PER_SENDER = 60;

    private PostgresServer postgres;
    private final BrokerHub hub = new BrokerHub();
    private final List<WebTalk> nodes = new ArrayList<>();
    private final List<PostgresDatabase> databases = new ArrayList<>();

    @BeforeEach
    void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterEach
    void stop() {
        nodes.forEach(WebTalk::close);
        databases.forEach(PostgresDatabase::close);
        hub.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    private WebTalk node() {
        PostgresDatabase db = PostgresDatabase.open(PostgresDatabase.Options.of(postgres.url()).withPoolSize(3)
                .withConnectTimeout(Duration.ofSeconds(1)));
        databases.add(db);
        Limits limits = Limits.builder().messageRate(UNTHROTTLED).joinRate(UNTHROTTLED).requestRate(UNTHROTTLED).build();
        WebTalk node = WebTalk.builder().store(db.chatStore()).broker(hub.node()).limits(limits)
                .passwordIterations(1000).roomThreads(2).catchUpInterval(Duration.ofSeconds(1)).build();
        nodes.add(node);
        return node;
    }

    @Test
    void aRealPostgresRestartUnderLoadSaysUnavailableThenLosesNothing() throws Exception {
        List<WebTalk> three = List.of(node(), node(), node());
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(TestClient.connect(three.get(i % 3), Principal.user("u-" + i, "User " + i)));
        }
        String room = clients.get(0).ok("create_room", "name", "General").path("room").path("id").asText();
        for (TestClient c : clients) {
            c.ok("join", "room", room);
        }

        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Set<String> otherErrors = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (TestClient sender : clients.subList(0, 3)) { // one on each node
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < PER_SENDER; i++) {
                        String id = sender.principal().id().value() + "-" + i;
                        while (true) {
                            JsonNode reply = sender.request("send", "room", room, "text", id, "clientMsgId", id);
                            if ("result".equals(reply.path("type").asText())) {
                                break;
                            }
                            if ("unavailable".equals(reply.path("code").asText())) {
                                refused.incrementAndGet();
                            } else {
                                otherErrors.add(reply.toString());
                            }
                            Thread.sleep(50); // the same message again, as a client would retry it
                        }
                        acknowledged.incrementAndGet();
                        Thread.sleep(10);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            senders.add(t);
            t.start();
        }

        Await.until("traffic before the stop", () -> acknowledged.get() >= 40);
        postgres.stop("immediate");
        Await.until("every sender refused while PostgreSQL is down", () -> refused.get() >= 6 || failure.get() != null,
                Duration.ofSeconds(30));
        int ackedWhileDown = acknowledged.get();
        Thread.sleep(300);
        assertEquals(ackedWhileDown, acknowledged.get(), "nothing is acknowledged while the database is down");
        postgres.startServer();
        for (Thread t : senders) {
            t.join(120_000);
        }
        assertNull(failure.get(), () -> "a sender failed: " + failure.get());
        assertEquals(Set.of(), otherErrors, "while PostgreSQL is down, sends fail with unavailable and nothing else");
        assertEquals(3 * PER_SENDER, acknowledged.get());

        int total = 3 * PER_SENDER;
        for (TestClient client : clients) {
            List<Long> seqs = client.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), total,
                    Duration.ofSeconds(30)).stream().map(f -> f.path("message").path("seq").asLong()).toList();
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), seqs, client + ": every message, once, in order");
            assertEquals(total, client.connection().framesOfType("message").size(), client + ": no duplicate");
        }
        List<Message> stored = databases.get(0).chatStore().messagesAfter(RoomId.of(room), 0, 10_000);
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), stored.stream().map(Message::seq).toList(),
                "dense in the store");
        List<String> expected = new ArrayList<>();
        for (TestClient sender : clients.subList(0, 3)) {
            for (int i = 0; i < PER_SENDER; i++) {
                expected.add(sender.principal().id().value() + "-" + i);
            }
        }
        assertEquals(expected.stream().sorted().toList(), stored.stream().map(Message::text).sorted().toList(),
                "every acknowledged message stored exactly once");
        assertTrue(refused.get() > 0);
    }
}
