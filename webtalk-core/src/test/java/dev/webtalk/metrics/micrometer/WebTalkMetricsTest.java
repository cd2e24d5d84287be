package dev.webtalk.metrics.micrometer;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.MessageFilter;
import dev.webtalk.spi.OutboundFrame;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.MutableClock;
import dev.webtalk.testing.RecordingChatStore;
import dev.webtalk.testing.TestClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each meter moves when the engine does what it counts: the engine is driven over the text protocol
 * ({@link TestClient}) and every meter is read from a real {@link SimpleMeterRegistry}.
 */
class WebTalkMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingChatStore store = new RecordingChatStore(new InMemoryChatStore());
    private final MeterRegistry registry = new SimpleMeterRegistry();
    /** Holds a send whose text is "hold" on its room's lane until released. */
    private final CountDownLatch laneHeld = new CountDownLatch(1);
    private final CountDownLatch releaseLane = new CountDownLatch(1);
    private WebTalk chat;
    private WebTalkMetrics metrics;

    private WebTalk start() {
        chat = WebTalk.builder().store(store).clock(MutableClock.create()).roomThreads(2).passwordIterations(1000)
                .messageFilter((author, room, text) -> {
                    if (text.equals("hold")) {
                        laneHeld.countDown();
                        await(releaseLane);
                    }
                    return MessageFilter.Verdict.accept();
                })
                .build();
        metrics = new WebTalkMetrics(chat, Tags.of("node", "test"));
        metrics.bindTo(registry);
        return chat;
    }

    @AfterEach
    void stop() {
        releaseLane.countDown();
        store.release();
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void everyMeterIsRegisteredWithTheHostsTags() {
        start();
        Set<String> names = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            names.add(meter.getId().getName());
            assertEquals("test", meter.getId().getTag("node"), meter.getId().toString());
        }
        assertEquals(new TreeSet<>(List.of("webtalk.connections", "webtalk.connections.dropped",
                "webtalk.connections.opened", "webtalk.connections.queued", "webtalk.errors", "webtalk.fanout.deliveries",
                "webtalk.frames.sent", "webtalk.messages.received", "webtalk.rate.limited", "webtalk.rooms.active",
                "webtalk.rooms.loaded", "webtalk.rooms.queued", "webtalk.store.batch.size", "webtalk.store.commit",
                "webtalk.store.queued", "webtalk.store.writes")), names);
    }

    @Test
    void connectionsMessagesFramesDeliveriesAndStoreBatchesMove() {
        start();
        TestClient ana = TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        assertEquals(1, gauge("webtalk.connections"));
        assertEquals(1, counter("webtalk.connections.opened"));
        assertEquals(1, counter("webtalk.frames.sent"), "the welcome");
        assertEquals(1, counter("webtalk.fanout.deliveries"), "the welcome is a push");

        String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
        ana.ok("join", "room", room);
        TestClient bo = TestClient.connect(chat, Principal.user("u-bo", "Bo"));
        bo.ok("join", "room", room);
        ana.connection().awaitFrame(f -> "member_joined".equals(f.path("type").asText()));
        assertEquals(2, gauge("webtalk.connections"));
        assertEquals(1, gauge("webtalk.rooms.loaded"));
        assertEquals(1, gauge("webtalk.rooms.active"));
        assertTrue(summary("webtalk.store.batch.size").count() >= 1, "the room's creation and joins were committed");

        framesMatch(ana, bo);
        double frames = counter("webtalk.frames.sent");
        double deliveries = counter("webtalk.fanout.deliveries");
        long batches = summary("webtalk.store.batch.size").count();
        long commits = timer("webtalk.store.commit").count();
        double writes = counter("webtalk.store.writes");

        ana.ok("send", "room", room, "text", "hello");
        bo.connection().awaitFrame(f -> "message".equals(f.path("type").asText()));
        ana.connection().awaitFrame(f -> "message".equals(f.path("type").asText()));

        assertEquals(1, counter("webtalk.messages.received"));
        // Counted right after the transport took the frame, so possibly a moment after the client saw it.
        eventually("the message pushed to Ana and to Bo", deliveries + 2, () -> counter("webtalk.fanout.deliveries"));
        eventually("two pushes and Ana's result", frames + 3, () -> counter("webtalk.frames.sent"));
        framesMatch(ana, bo);
        // The message's batch at least (a read marker may follow).
        assertTrue(summary("webtalk.store.batch.size").count() >= batches + 1);
        assertTrue(summary("webtalk.store.batch.size").totalAmount() >= batches + 1);
        assertTrue(timer("webtalk.store.commit").count() >= commits + 1);
        assertTrue(timer("webtalk.store.commit").totalTime(TimeUnit.NANOSECONDS) > 0);
        assertTrue(counter("webtalk.store.writes") >= writes + 2, "the message and its stream event");

        bo.disconnect();
        assertEquals(1, gauge("webtalk.connections"));
        assertEquals(0, counter("webtalk.connections.dropped", "reason", "slow_consumer"), "a plain close is no drop");
    }

    @Test
    void aSlowConsumerDroppedByTheTransportIsCounted() {
        start();
        TestClient ana = TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        TestClient bo = TestClient.connect(chat, Principal.user("u-bo", "Bo"));
        String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);

        bo.session().onDropped(CloseCodes.SLOW_CONSUMER); // what a transport does when Bo stops reading
        ana.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText()));

        assertEquals(1, counter("webtalk.connections.dropped", "reason", "slow_consumer"));
        assertEquals(0, counter("webtalk.connections.dropped", "reason", "not_responding"));
        assertEquals(1, gauge("webtalk.connections"));
        bo.session().onClose(); // the socket goes away later: still one drop
        assertEquals(1, counter("webtalk.connections.dropped", "reason", "slow_consumer"));
    }

    @Test
    void rateLimitRefusalsAndErrorsAreCountedByLimitAndCode() {
        start();
        TestClient ana = TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        TestClient bo = TestClient.connect(chat, Principal.user("u-bo", "Bo"));
        String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        ana.ok("set_room", "room", room, "slowMode", 60);

        bo.ok("send", "room", room, "text", "first");
        assertEquals("rate_limited", bo.error("send", "room", room, "text", "too soon"));
        assertEquals("room_not_found", bo.error("join", "room", "nosuchroom1"));
        bo.sendText("not json");
        bo.connection().awaitFrame(f -> "invalid".equals(f.path("code").asText()));

        assertEquals(1, counter("webtalk.rate.limited", "limit", "slow_mode"));
        assertEquals(0, counter("webtalk.rate.limited", "limit", "messages"));
        eventually("rate_limited errors", 1.0, () -> counter("webtalk.errors", "code", "rate_limited"));
        eventually("room_not_found errors", 1.0, () -> counter("webtalk.errors", "code", "room_not_found"));
        eventually("invalid errors", 1.0, () -> counter("webtalk.errors", "code", "invalid"));
        assertEquals(0, counter("webtalk.errors", "code", "internal"));
    }

    @Test
    void queueDepthsShowWritesRoomTasksAndOutboundFramesWaiting() throws Exception {
        start();
        TestClient ana = TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
        ana.ok("join", "room", room);
        assertEquals(0, gauge("webtalk.store.queued"));
        assertEquals(0, gauge("webtalk.rooms.queued"));

        // The writer is held inside a commit: the next sends wait in its queue.
        store.hold();
        ana.fire("send", "room", room, "text", "one");
        store.awaitHeld(WAIT);
        ana.fire("send", "room", room, "text", "two");
        Await.until("a write waits for the writer", () -> gauge("webtalk.store.queued") >= 1, WAIT);
        store.release();
        Await.until("the writer caught up", () -> gauge("webtalk.store.queued") == 0, WAIT);

        // The room's lane is busy with a send held in a filter: the next send waits on the lane.
        ana.fire("send", "room", room, "text", "hold");
        assertTrue(laneHeld.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        ana.fire("send", "room", room, "text", "behind it");
        Await.until("a task waits on the room's lane", () -> gauge("webtalk.rooms.queued") >= 1, WAIT);
        releaseLane.countDown();
        Await.until("the lane caught up", () -> gauge("webtalk.rooms.queued") == 0, WAIT);

        // A transport that says how many frames it holds for its client.
        chat.connect(Principal.user("u-cy", "Cy"), new Queueing(7));
        chat.connect(Principal.user("u-di", "Di"), new Queueing(5));
        // Their welcomes count while they wait on the fan-out lanes, then the transports' own frames.
        Await.until("only what the transports hold is left", () -> gauge("webtalk.connections.queued") == 12, WAIT);
    }

    @Test
    void closeStopsCounting() {
        start();
        metrics.close();
        TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        assertEquals(0, counter("webtalk.connections.opened"));
        assertEquals(1, gauge("webtalk.connections"), "gauges still read the engine");
    }

    @Test
    void aSecondRegistryCountsToo() {
        start();
        MeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(other);
        TestClient.connect(chat, Principal.user("u-ana", "Ana"));
        assertEquals(1, counter("webtalk.connections.opened"));
        assertEquals(1, other.get("webtalk.connections.opened").counter().count());
    }

    /** A connection whose transport holds {@code queued} frames for its client. */
    private static final class Queueing implements Connection {
        private final FakeConnection delegate = new FakeConnection();
        private final int queued;

        Queueing(int queued) {
            this.queued = queued;
        }

        @Override
        public void send(OutboundFrame frame) {
            delegate.send(frame);
        }

        @Override
        public void close(int code, String reason) {
            delegate.close(code, reason);
        }

        @Override
        public SocketAddress remoteAddress() {
            return delegate.remoteAddress();
        }

        @Override
        public int queuedFrames() {
            return queued;
        }
    }

    /**
     * Every frame the clients received was counted, pushes as deliveries. (A frame is counted right after
     * the transport took it, so possibly a moment after the client saw it.)
     */
    private void framesMatch(TestClient... clients) {
        double all = 0;
        double pushes = 0;
        for (TestClient c : clients) {
            all += c.connection().frames().size();
            pushes += c.connection().frames(f -> !Set.of("result", "error").contains(f.path("type").asText())).size();
        }
        eventually("every frame counted", all, () -> counter("webtalk.frames.sent"));
        eventually("every push counted", pushes, () -> counter("webtalk.fanout.deliveries"));
    }

    private static void eventually(String what, double expected, java.util.function.Supplier<Double> value) {
        Await.untilEquals(what, expected, value);
    }

    private double gauge(String name) {
        Gauge gauge = registry.get(name).gauge();
        return gauge.value();
    }

    private double counter(String name, String... tags) {
        Counter counter = registry.get(name).tags(tags).counter();
        return counter.count();
    }

    private DistributionSummary summary(String name) {
        return registry.get(name).summary();
    }

    private Timer timer(String name) {
        return registry.get(name).timer();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
