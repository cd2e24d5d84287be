package dev.webtalk.broker.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.Limits;
import dev.webtalk.Principal;
import dev.webtalk.RateLimit;
import dev.webtalk.WebTalk;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.RedisServer;
import dev.webtalk.testing.SharedChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three engines relaying through a Redis server of the test's own, which is killed (SIGKILL) in the
 * middle of a conversation on every node and started again on the same port: every acknowledged message
 * reaches every client on every node, once, in the stream's order, and the nodes talk through Redis again
 * afterwards, without a restart of their own.
 */
class RedisRestartTest {
    private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, Duration.ofNanos(1));
    private static final int PER_SENDER = 120;

    private RedisServer redis;
    private final SharedChatStore shared = new SharedChatStore(new InMemoryChatStore());
    private final List<WebTalk> nodes = new ArrayList<>();
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        nodes.forEach(WebTalk::close);
        shared.store().close();
        if (redis != null) {
            redis.close();
        }
    }

    private WebTalk node(String name) {
        Limits limits = Limits.builder().messageRate(UNTHROTTLED).joinRate(UNTHROTTLED).requestRate(UNTHROTTLED).build();
        RedisBroker broker = RedisBroker.create(RedisBrokerOptions.builder(redis.uri()).nodeId(name).build());
        brokers.add(broker);
        // No periodic catch-up within the test: what the restart lost must be found through the broker's
        // gap signal and the next events.
        WebTalk node = WebTalk.builder().store(shared.view()).broker(broker).limits(limits).passwordIterations(1000)
                .roomThreads(2).catchUpInterval(Duration.ofMinutes(5)).build();
        nodes.add(node);
        return node;
    }

    @Test
    void aRealRedisRestartUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        List<WebTalk> three = List.of(node("a"), node("b"), node("c"));
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(TestClient.connect(three.get(i % 3), Principal.user("u-" + i, "User " + i)));
        }
        String room = clients.get(0).ok("create_room", "name", "General").path("room").path("id").asText();
        for (TestClient c : clients) {
            c.ok("join", "room", room);
        }
        Await.until("the brokers are connected", () -> brokers.stream().allMatch(RedisBroker::isConnected));

        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (TestClient sender : clients.subList(0, 3)) { // one on each node
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < PER_SENDER; i++) {
                        JsonNode reply = sender.request("send", "room", room, "text", sender + " " + i);
                        if (!"result".equals(reply.path("type").asText())) {
                            throw new AssertionError(reply.toString());
                        }
                        acknowledged.incrementAndGet();
                        Thread.sleep(8);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            senders.add(t);
            t.start();
        }

        Await.until("traffic before the restart", () -> acknowledged.get() >= 60);
        redis.kill();
        int atKill = acknowledged.get();
        Await.until("messages acknowledged while Redis is down", () -> acknowledged.get() >= atKill + 60
                || failure.get() != null, Duration.ofSeconds(30));
        assertTrue(brokers.stream().noneMatch(RedisBroker::isConnected), "every node noticed Redis went away");
        redis.restart();
        for (Thread t : senders) {
            t.join(120_000);
        }
        assertNull(failure.get(), () -> "a sender failed: " + failure.get());
        assertEquals(3 * PER_SENDER, acknowledged.get());

        int total = 3 * PER_SENDER;
        for (TestClient client : clients) {
            List<Long> seqs = client.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), total,
                    Duration.ofSeconds(30)).stream().map(f -> f.path("message").path("seq").asLong()).toList();
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), seqs, client + ": every message, once, in order");
            assertEquals(total, client.connection().framesOfType("message").size(), client + ": no duplicate");
        }
        Await.until("the brokers are connected again", () -> brokers.stream().allMatch(RedisBroker::isConnected));
        for (RedisBroker broker : brokers) {
            assertTrue(broker.stats().gapsSignalled() >= 1, broker + " told its engine about the gap: " + broker.stats());
        }
        long receivedBefore = brokers.get(1).stats().received();
        clients.get(0).ok("send", "room", room, "text", "after");
        for (TestClient client : clients) {
            client.connection().awaitFrame(f -> "after".equals(f.path("message").path("text").asText()));
        }
        assertTrue(brokers.get(1).stats().received() > receivedBefore, "node b hears node a through Redis again");
    }
}
