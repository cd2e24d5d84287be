package dev.webtalk.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.Limits;
import dev.webtalk.Principal;
import dev.webtalk.RateLimit;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.WebTalk;
import dev.webtalk.testing.BrokerHub;
import dev.webtalk.testing.TcpProxy;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engines on one PostgreSQL database: several nodes writing one room keep its seqs and positions dense
 * and every client's view identical; a node that loses its database answers {@code unavailable} while
 * it is gone and carries on, without a restart, when it is back.
 */
class PostgresClusterTest {
    private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, Duration.ofNanos(1));

    private TestSchemas schemas;
    private String schema;
    private final BrokerHub hub = new BrokerHub();
    private final List<WebTalk> nodes = new ArrayList<>();
    private final List<PostgresDatabase> databases = new ArrayList<>();

    @BeforeEach
    void createSchema() {
        schemas = new TestSchemas();
        schema = schemas.newSchema();
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(WebTalk::close);
        databases.forEach(PostgresDatabase::close);
        hub.close();
        schemas.close();
    }

    private WebTalk node(PostgresDatabase.Options options) {
        PostgresDatabase db = PostgresDatabase.open(options);
        databases.add(db);
        Limits limits = Limits.builder().messageRate(UNTHROTTLED).joinRate(UNTHROTTLED).requestRate(UNTHROTTLED).build();
        WebTalk node = WebTalk.builder().store(db.chatStore()).broker(hub.node()).limits(limits)
                .passwordIterations(1000).roomThreads(2).catchUpInterval(Duration.ofMillis(500)).build();
        nodes.add(node);
        return node;
    }

    private static TestClient connect(WebTalk node, String id) {
        return TestClient.connect(node, Principal.user(id, "User " + id));
    }

    @Test
    void threeNodesWritingOneRoomKeepItDenseAndEveryoneSeesOneOrder() throws Exception {
        List<WebTalk> three = List.of(node(schemas.options(schema)), node(schemas.options(schema)), node(schemas.options(schema)));
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(connect(three.get(i % 3), "u-" + i));
        }
        String room = clients.get(0).ok("create_room", "name", "General").path("room").path("id").asText();
        for (TestClient c : clients) {
            c.ok("join", "room", room);
        }
        List<Thread> senders = new ArrayList<>();
        for (TestClient c : clients) {
            Thread t = new Thread(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    ids.add(c.fire("send", "room", room, "text", "#" + i));
                }
                ids.forEach(id -> assertEquals("result", c.connection().awaitReply(id).path("type").asText()));
            });
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join();
        }

        List<Long> firstOrder = null;
        for (TestClient c : clients) {
            List<Long> seqs = c.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), 150,
                    Duration.ofSeconds(20)).stream().map(f -> f.path("message").path("seq").asLong()).toList();
            assertEquals(LongStream.rangeClosed(1, 150).boxed().toList(), seqs.stream().sorted().toList(), c + ": every message once");
            firstOrder = firstOrder == null ? seqs : firstOrder;
            assertEquals(firstOrder, seqs, c + ": the same order as everyone");
        }
        List<RoomEvent> stream = databases.get(0).chatStore().eventsAfter(RoomId.of(room), 0, 10_000);
        assertEquals(LongStream.rangeClosed(1, stream.size()).boxed().toList(), stream.stream().map(RoomEvent::pos).toList(),
                "the stream's positions are dense");
    }

    @Test
    void aNodeThatLosesItsDatabaseSaysUnavailableAndRecoversWithoutARestart() throws Exception {
        URI url = URI.create(schemas.url().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(url.getHost(), url.getPort() < 0 ? 5432 : url.getPort())) {
            String viaProxy = schemas.url().replace(":" + (url.getPort() < 0 ? 5432 : url.getPort()) + "/", ":" + proxy.port() + "/");
            WebTalk a = node(PostgresDatabase.Options.of(viaProxy).withSchema(schema).withPoolSize(3)
                    .withConnectTimeout(Duration.ofSeconds(1)));
            WebTalk b = node(schemas.options(schema));
            TestClient ana = connect(a, "u-ana");
            TestClient bo = connect(b, "u-bo");
            String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
            ana.ok("join", "room", room);
            bo.ok("join", "room", room);
            ana.ok("send", "room", room, "text", "before");
            a.checkStore();

            proxy.down();
            assertThrows(dev.webtalk.StoreUnavailableException.class, a::checkStore, "a readiness probe sees it");
            b.checkStore();
            JsonNode refused = ana.request("send", "room", room, "text", "during", "clientMsgId", "c-during");
            assertEquals("unavailable", refused.path("code").asText(), refused.toString());
            assertTrue(!refused.path("message").asText().contains("127.0.0.1"), "no server detail: " + refused);
            bo.ok("send", "room", room, "text", "from the other node");
            ana.connection().awaitFrame(f -> "message".equals(f.path("type").asText())
                    && "from the other node".equals(f.path("message").path("text").asText()));

            proxy.up();
            dev.webtalk.testing.Await.until("node a's store answers again", () -> {
                try {
                    a.checkStore();
                    return true;
                } catch (dev.webtalk.StoreException e) {
                    return false;
                }
            });
            dev.webtalk.testing.Await.until("node a writes again", () -> "result".equals(
                    ana.request("send", "room", room, "text", "during", "clientMsgId", "c-during").path("type").asText()));
            JsonNode after = bo.connection().awaitFrame(f -> "message".equals(f.path("type").asText())
                    && "during".equals(f.path("message").path("text").asText()));
            assertEquals(3, after.path("message").path("seq").asLong(), "no seq lost to the outage");
            for (TestClient c : List.of(ana, bo)) {
                List<Long> seqs = c.connection().framesOfType("message").stream()
                        .map(f -> f.path("message").path("seq").asLong()).toList();
                assertEquals(List.of(1L, 2L, 3L), seqs, c + " saw each message once, in order");
            }
        }
    }
}
