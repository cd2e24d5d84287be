package dev.webtalk.broker.redis;

import dev.webtalk.RoomId;
import dev.webtalk.spi.Broker;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.Services;
import dev.webtalk.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RedisBroker} against a real Redis: several brokers in one JVM stand for several nodes. Each test
 * uses a channel prefix of its own, so runs sharing one Redis never hear each other.
 */
class RedisBrokerTest {
    private static final RoomId ROOM = RoomId.of("room0001");
    private static final Duration SLOW = Duration.ofSeconds(30);

    private URI redis;
    private String prefix;
    private RedisAdmin admin;
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void connect() {
        redis = Services.redis();
        prefix = "webtalk-test-" + UUID.randomUUID();
        admin = new RedisAdmin(redis);
    }

    @AfterEach
    void closeAll() {
        brokers.forEach(RedisBroker::close);
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void aRoomPublicationReachesTheOtherSubscribedNodesOnly() {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        Node outsider = node("d");
        a.subscribe(ROOM);
        b.subscribe(ROOM);
        c.subscribe(ROOM);
        awaitSubscribers(ROOM, 3);

        a.broker.publish(ROOM, bytes("hello"));
        b.awaitRoomMessages(1);
        c.awaitRoomMessages(1);
        assertEquals("hello", b.roomText(0));
        assertEquals(ROOM, b.receiver.room(0));

        // Redis delivers in the order it ran the PUBLISHes: whoever sees the marker would have seen "hello".
        c.broker.publish(ROOM, bytes("marker"));
        c.broker.broadcast(bytes("marker"));
        a.awaitRoomMessages(1);
        a.awaitBroadcasts(1);
        outsider.awaitBroadcasts(1);
        assertEquals("marker", a.roomText(0), "the publisher never receives its own publication");
        assertEquals(1, a.receiver.roomCount());
        assertEquals(0, outsider.receiver.roomCount(), "a node not subscribed to the room hears nothing of it");
        assertEquals(2, a.broker.stats().received(), "c's publication and broadcast");
    }

    @Test
    void anUnsubscribedNodeStopsReceivingTheRoom() {
        Node a = node("a");
        Node b = node("b");
        Node witness = node("w");
        b.subscribe(ROOM);
        witness.subscribe(ROOM);
        awaitSubscribers(ROOM, 2);
        a.broker.publish(ROOM, bytes("before"));
        b.awaitRoomMessages(1);

        b.broker.unsubscribe(ROOM);
        b.broker.unsubscribe(ROOM);
        awaitSubscribers(ROOM, 1);
        a.broker.publish(ROOM, bytes("after"));
        a.broker.broadcast(bytes("marker"));
        witness.awaitRoomMessages(2);
        b.awaitBroadcasts(1);
        assertEquals(1, b.receiver.roomCount());
        assertEquals("before", b.roomText(0));
    }

    @Test
    void tenThousandPublicationsOfOneRoomArriveInOrder() {
        Node a = node("a");
        Node b = node("b");
        b.subscribe(ROOM);
        awaitSubscribers(ROOM, 1);

        int count = 10_000;
        for (int i = 0; i < count; i++) {
            a.broker.publish(ROOM, ByteBuffer.allocate(4).putInt(i).array());
        }
        Await.until("all " + count + " publications delivered", () -> b.receiver.roomCount() == count, SLOW);
        for (int i = 0; i < count; i++) {
            assertEquals(i, ByteBuffer.wrap(b.receiver.payload(i)).getInt(), "publication at " + i);
        }
        Await.untilEquals("publications confirmed", (long) count, () -> a.broker.stats().sent());
        assertEquals(0, a.broker.stats().dropped());
        assertEquals(count, b.broker.stats().received());
    }

    @Test
    void aBroadcastReachesEveryOtherNode() {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        a.broker.broadcast(bytes("presence"));
        b.awaitBroadcasts(1);
        c.awaitBroadcasts(1);
        assertEquals("presence", new String(b.receiver.broadcast(0), StandardCharsets.UTF_8));

        b.broker.broadcast(bytes("marker"));
        a.awaitBroadcasts(1);
        assertEquals("marker", new String(a.receiver.broadcast(0), StandardCharsets.UTF_8),
                "the broadcaster never receives its own broadcast");
        assertEquals(0, b.receiver.roomCount() + c.receiver.roomCount());
    }

    @Test
    void payloadsArriveByteForByte() {
        Node a = node("a");
        Node b = node("b");
        b.subscribe(ROOM);
        awaitSubscribers(ROOM, 1);

        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] large = new byte[256 * 1024];
        new Random(7).nextBytes(large);
        List<byte[]> payloads = List.of(
                everyByte,
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[0],
                new byte[] {0, 0, 0},
                large);
        for (byte[] payload : payloads) {
            a.broker.publish(ROOM, payload);
            a.broker.broadcast(payload);
        }
        b.awaitRoomMessages(payloads.size());
        b.awaitBroadcasts(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), b.receiver.payload(i), "room payload " + i);
            assertArrayEquals(payloads.get(i), b.receiver.broadcast(i), "broadcast " + i);
        }
    }

    @Test
    void aKilledSubscriberConnectionSignalsOneGapPerReconnectAndDeliveryResumes() {
        Node a = node("a");
        Node b = node("b");
        b.subscribe(ROOM);
        awaitSubscribers(ROOM, 1);
        a.broker.publish(ROOM, bytes("one"));
        b.awaitRoomMessages(1);
        assertEquals(0, b.receiver.gaps.get());

        for (int round = 1; round <= 2; round++) {
            long killed = admin.clientId(prefix + ":b:sub");
            assertTrue(killed > 0, "b's subscriber connection is named in CLIENT LIST");
            admin.kill(killed);

            int gaps = round;
            Await.until("gap " + round + " signalled", () -> b.receiver.gaps.get() == gaps, SLOW);
            assertEquals(1, admin.subscribers(channel(ROOM)), "the room is subscribed again before the gap");
            Await.until("b connected", b.broker::isConnected);
            assertTrue(admin.clientId(prefix + ":b:sub") != killed, "a new connection");

            a.broker.publish(ROOM, bytes("after " + round));
            b.awaitRoomMessages(1 + round);
            assertEquals("after " + round, b.roomText(round));
            assertEquals(round, b.receiver.gaps.get(), "exactly one gap per reconnect");
            assertEquals(round, b.broker.stats().gapsSignalled());
        }
        assertEquals(0, a.receiver.gaps.get(), "the publisher's subscriber connection was not touched");
    }

    @Test
    void aKilledPublisherConnectionIsReopenedAndPublishingResumes() {
        Node a = node("a");
        Node b = node("b");
        b.subscribe(ROOM);
        awaitSubscribers(ROOM, 1);
        long killed = admin.clientId(prefix + ":a:pub");
        admin.kill(killed);

        Await.until("a new publisher connection",
                () -> admin.clientId(prefix + ":a:pub") > 0 && admin.clientId(prefix + ":a:pub") != killed, SLOW);
        Await.until("connected", a.broker::isConnected, SLOW);
        a.broker.publish(ROOM, bytes("resumed"));
        b.awaitRoomMessages(1);
        assertEquals("resumed", b.roomText(0));
        assertEquals(0, b.receiver.gaps.get(), "a publisher's reconnect is no gap for the receivers' connection");
    }

    @Test
    void aRedisOutageDropsPublicationsThenSignalsOneGapWhenRedisIsBack() throws IOException {
        Node a = node("a");
        try (TcpProxy proxy = new TcpProxy(redis)) {
            Node b = node("b", proxy.uri());
            b.subscribe(ROOM);
            awaitSubscribers(ROOM, 1);

            proxy.down();
            Await.until("b disconnected", () -> !b.broker.isConnected(), SLOW);
            awaitSubscribers(ROOM, 0);
            b.broker.publish(ROOM, bytes("lost"));
            a.broker.publish(ROOM, bytes("missed"));
            Await.until("b's publication dropped", () -> b.broker.stats().dropped() >= 1);
            Await.until("a's publication confirmed", () -> a.broker.stats().sent() >= 1);
            assertEquals(0, b.receiver.gaps.get(), "no gap while still down");

            proxy.up();
            Await.until("gap signalled", () -> b.receiver.gaps.get() >= 1, SLOW);
            a.broker.publish(ROOM, bytes("back"));
            b.awaitRoomMessages(1);
            assertEquals("back", b.roomText(0), "what was published during the outage is lost");
            assertEquals(1, b.receiver.gaps.get(), "one gap however many attempts failed meanwhile");
        }
    }

    @Test
    void aBrokerStartedWhileRedisIsDownConnectsWhenItComesUpAndSignalsAGap() throws IOException {
        try (TcpProxy proxy = new TcpProxy(redis)) {
            proxy.down();
            RedisBroker b = broker("b", proxy.uri());
            Recorder recorder = new Recorder();
            b.start(recorder);
            b.subscribe(ROOM);
            b.publish(ROOM, bytes("lost"));
            assertEquals(1, b.stats().dropped());
            Await.until("both connections refused", () -> proxy.refused() >= 2, SLOW);

            proxy.up();
            Await.until("connected", b::isConnected, SLOW);
            assertEquals(1, recorder.gaps.get(), "rooms subscribed before the first connection may have missed publications");
            Node a = node("a");
            a.broker.publish(ROOM, bytes("hi"));
            Await.until("delivered", () -> recorder.roomCount() == 1);
        }
    }

    @Test
    void subscriptionsMadeBeforeStartTakeEffectWhenConnected() {
        RedisBroker b = broker("b");
        b.subscribe(ROOM);
        Recorder recorder = new Recorder();
        b.start(recorder);
        awaitSubscribers(ROOM, 1);
        Node a = node("a");
        a.broker.publish(ROOM, bytes("hi"));
        Await.until("delivered", () -> recorder.roomCount() == 1);
        assertEquals(0, recorder.gaps.get());
    }

    @Test
    void publishingWhileRedisIsUnreachableNeitherBlocksNorThrowsAndCountsTheDrops() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisBroker broker = RedisBroker.create(RedisBrokerOptions.builder(URI.create("redis://127.0.0.1:" + closedPort))
                .channelPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(5))
                .build());
        brokers.add(broker);
        Recorder recorder = new Recorder();
        broker.start(recorder);

        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            broker.subscribe(RoomId.of("room" + i));
            broker.publish(ROOM, bytes("lost " + i));
            broker.broadcast(bytes("lost " + i));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // One call that waited for a connection would take the 5 s command timeout.
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "3000 calls took " + took);
        assertEquals(2000, broker.stats().dropped());
        assertEquals(0, broker.stats().sent());
        assertFalse(broker.isConnected());

        long closing = System.nanoTime();
        broker.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        assertTrue(closeTook.compareTo(Duration.ofSeconds(5)) < 0, "close took " + closeTook);
        assertEquals(0, recorder.gaps.get());
    }

    @Test
    void closeIsIdempotentAndStopsLettucesThreads() {
        Node a = node("a");
        a.subscribe(ROOM);
        Await.until("connected", a.broker::isConnected);

        a.broker.close();
        a.broker.close();
        assertFalse(a.broker.isConnected());
        assertDoesNotThrow(() -> {
            a.broker.publish(ROOM, bytes("late"));
            a.broker.broadcast(bytes("late"));
            a.broker.subscribe(RoomId.of("late0001"));
            a.broker.unsubscribe(ROOM);
        });
        assertEquals(2, a.broker.stats().dropped());
        Await.until("no Lettuce thread left", () -> lettuceThreads().isEmpty(), SLOW);
    }

    private static List<String> lettuceThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && (name.startsWith("lettuce") || name.contains("nioEventLoop"))) {
                names.add(name);
            }
        }
        return names;
    }

    private RedisBroker broker(String nodeId) {
        return broker(nodeId, redis);
    }

    private RedisBroker broker(String nodeId, URI uri) {
        RedisBroker broker = RedisBroker.create(RedisBrokerOptions.builder(uri)
                .channelPrefix(prefix)
                .nodeId(nodeId)
                .build());
        brokers.add(broker);
        return broker;
    }

    /** A started broker, connected. */
    private Node node(String nodeId) {
        return node(nodeId, redis);
    }

    /** A started broker connected to Redis at {@code uri}. */
    private Node node(String nodeId, URI uri) {
        RedisBroker broker = broker(nodeId, uri);
        Recorder recorder = new Recorder();
        broker.start(recorder);
        Await.until(nodeId + " connected", broker::isConnected, SLOW);
        return new Node(broker, recorder);
    }

    private void awaitSubscribers(RoomId room, long count) {
        Await.untilEquals("subscribers of " + room, count, () -> admin.subscribers(channel(room)));
    }

    private byte[] channel(RoomId room) {
        return new Channels(prefix).room(room);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Node(RedisBroker broker, Recorder receiver) {
        void subscribe(RoomId room) {
            broker.subscribe(room);
        }

        void awaitRoomMessages(int count) {
            Await.until(broker.options().nodeId() + " has " + count + " room publication(s)",
                    () -> receiver.roomCount() >= count);
        }

        void awaitBroadcasts(int count) {
            Await.until(broker.options().nodeId() + " has " + count + " broadcast(s)",
                    () -> receiver.broadcastCount() >= count);
        }

        String roomText(int index) {
            return new String(receiver.payload(index), StandardCharsets.UTF_8);
        }
    }

    /** Records what a broker hands its node. */
    private static final class Recorder implements Broker.Receiver {
        private final List<RoomId> rooms = new ArrayList<>();
        private final List<byte[]> payloads = new ArrayList<>();
        private final List<byte[]> broadcasts = new ArrayList<>();
        final AtomicInteger gaps = new AtomicInteger();

        @Override
        public synchronized void onRoomMessage(RoomId room, byte[] payload) {
            rooms.add(room);
            payloads.add(payload);
        }

        @Override
        public synchronized void onBroadcast(byte[] payload) {
            broadcasts.add(payload);
        }

        @Override
        public void onGap() {
            gaps.incrementAndGet();
        }

        synchronized int roomCount() {
            return payloads.size();
        }

        synchronized int broadcastCount() {
            return broadcasts.size();
        }

        synchronized RoomId room(int index) {
            return rooms.get(index);
        }

        synchronized byte[] payload(int index) {
            return payloads.get(index);
        }

        synchronized byte[] broadcast(int index) {
            return broadcasts.get(index);
        }
    }
}
