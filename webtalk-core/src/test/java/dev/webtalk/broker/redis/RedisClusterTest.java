package dev.webtalk.broker.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.Limits;
import dev.webtalk.Principal;
import dev.webtalk.RateLimit;
import dev.webtalk.WebTalk;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.Services;
import dev.webtalk.testing.SharedChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engines relaying through a real Redis: three nodes as one room's chat, presence across them, and a
 * node whose Redis connection is cut in the middle of a conversation missing nothing.
 */
class RedisClusterTest {
    private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, Duration.ofNanos(1));

    private URI redis;
    private String prefix;
    private final SharedChatStore shared = new SharedChatStore(new InMemoryChatStore());
    private final List<WebTalk> nodes = new ArrayList<>();

    @BeforeEach
    void findRedis() {
        redis = Services.redis();
        prefix = "webtalk-cluster-test-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        nodes.forEach(WebTalk::close);
        shared.store().close();
    }

    private WebTalk node(String name) {
        Limits limits = Limits.builder().messageRate(UNTHROTTLED).joinRate(UNTHROTTLED).requestRate(UNTHROTTLED).build();
        RedisBroker broker = RedisBroker.create(RedisBrokerOptions.builder(redis).channelPrefix(prefix).nodeId(name).build());
        WebTalk node = WebTalk.builder().store(shared.view()).broker(broker).limits(limits).passwordIterations(1000)
                .roomThreads(2).catchUpInterval(Duration.ofSeconds(30)).build();
        nodes.add(node);
        return node;
    }

    private static TestClient connect(WebTalk node, String id) {
        return TestClient.connect(node, Principal.user(id, "User " + id));
    }

    @Test
    void threeNodesAreOneRoomAndACutConnectionLosesNothing() throws Exception {
        WebTalk a = node("a");
        WebTalk b = node("b");
        WebTalk c = node("c");
        TestClient ana = connect(a, "u-ana");
        TestClient bo = connect(b, "u-bo");
        TestClient cy = connect(c, "u-cy");
        String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        cy.ok("join", "room", room);
        Await.untilEquals("everyone online, seen from node a", 3, () -> online(ana, room));
        Await.untilEquals("everyone online, seen from node c", 3, () -> online(cy, room));

        try (RedisAdmin admin = new RedisAdmin(redis)) {
            Thread talk = new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    JsonNode reply = (i % 2 == 0 ? ana : cy).request("send", "room", room, "text", "m" + i);
                    if (!"result".equals(reply.path("type").asText())) {
                        throw new AssertionError(reply.toString());
                    }
                }
            });
            talk.start();
            Thread.sleep(20);
            admin.kill(admin.clientId(prefix + ":b:sub")); // node b stops hearing Redis for a moment
            talk.join();
        }

        for (TestClient client : List.of(ana, bo, cy)) {
            List<JsonNode> got = client.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), 60,
                    Duration.ofSeconds(20));
            assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(),
                    got.stream().map(f -> f.path("message").path("seq").asLong()).toList(), client + ": all, in order, once");
            assertEquals(60, client.connection().framesOfType("message").size(), client + ": no duplicate");
        }
        assertTrue(online(bo, room) == 3, "node b still counts everyone after its reconnect");
    }

    private static int online(TestClient client, String room) {
        for (JsonNode r : client.ok("list_rooms").path("rooms")) {
            if (room.equals(r.path("id").asText())) {
                return r.path("online").asInt();
            }
        }
        throw new AssertionError("no room " + room);
    }
}
