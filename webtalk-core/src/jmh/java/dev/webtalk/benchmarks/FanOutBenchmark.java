package dev.webtalk.benchmarks;

import dev.webtalk.Limits;
import dev.webtalk.RateLimit;
import dev.webtalk.Message;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.Session;
import dev.webtalk.WebTalk;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out of one message to every connection present in one room.
 *
 * <p>{@link #engineSendToRoom} goes through the real engine: a {@code send} frame enters the sender's
 * session, is decoded, sequenced by the room's actor, committed by the store writer (to an
 * {@link InMemoryChatStore}, so the store costs next to nothing), and pushed to every connection. One
 * operation ends when the last connection has the push. The connections only take the frame's UTF-8
 * payload, as the Jetty adapter does, and count it. After each iteration every connection must hold
 * the very same {@link OutboundFrame} instance as the last push, or the run fails: that is the
 * encode-once rule, checked rather than assumed.
 *
 * <p>{@link #loopSharedFrame} and {@link #loopEncodePerRecipient} take the engine away and compare
 * the two fan-out strategies on their own: one frame handed to every connection, against one
 * encoding per recipient.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FanOutBenchmark {
    private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String PUSH_PREFIX = "{\"type\":\"message\",";
    private static final String JOIN_REPLY_PREFIX = "{\"type\":\"result\",\"id\":\"join\"";

    /** Connections present in the room, the sender's included (it gets the push too). */
    @Param({"1", "1000"})
    public int recipients;

    private final Delivery delivery = new Delivery();
    private WebTalk chat;
    private CountingConnection[] connections;
    private Session sender;
    private String sendPrefix;
    private long sent;
    private ProtocolCodec codec;
    private Message sample;

    @Setup(Level.Trial)
    public void start() {
        // One sender posts every message: the per-user message and request rates would stop it after a burst.
        RateLimit unlimited = new RateLimit(1_000_000_000, java.time.Duration.ofNanos(1));
        chat = WebTalk.builder().store(new InMemoryChatStore())
                .limits(Limits.builder().messageRate(unlimited).requestRate(unlimited).build()).build();
        codec = chat.codec();
        Principal owner = Principal.user("u-owner", "Owner");
        Room room = chat.createRoom(owner, "Fan-out", null);
        sample = Samples.message(room.id(), 1);
        connections = new CountingConnection[recipients];
        Session[] sessions = new Session[recipients];
        for (int i = 0; i < recipients; i++) {
            connections[i] = new CountingConnection(delivery);
            sessions[i] = chat.connect(Principal.user(String.format("u-%05d", i), "User " + i), connections[i]);
            sessions[i].onText("{\"type\":\"join\",\"id\":\"join\",\"room\":\"" + room.id().value() + "\"}");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (CountingConnection c : connections) {
            while (!c.joined) {
                if (c.errors > 0 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("a connection could not join the room");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
        sender = sessions[0];
        sendPrefix = "{\"type\":\"send\",\"id\":\"s\",\"room\":\"" + room.id().value() + "\",\"text\":\""
                + Samples.TEXT + "\",\"clientMsgId\":\"c-";
    }

    @Benchmark
    public void engineSendToRoom() {
        long target = delivery.expect(recipients);
        sender.onText(sendPrefix + (++sent) + "\"}");
        delivery.await(target);
    }

    @Benchmark
    public long loopSharedFrame() {
        OutboundFrame frame = codec.messagePush(sample, sample.seq());
        for (CountingConnection c : connections) {
            c.send(frame);
        }
        return delivery.delivered.get();
    }

    @Benchmark
    public long loopEncodePerRecipient() {
        for (CountingConnection c : connections) {
            c.send(codec.messagePush(sample, sample.seq()));
        }
        return delivery.delivered.get();
    }

    /** Fails the run if a push was encoded more than once or a request failed. */
    @TearDown(Level.Iteration)
    public void checkEncodeOnce() {
        Map<OutboundFrame, Boolean> lastPushes = new IdentityHashMap<>();
        long errors = 0;
        for (CountingConnection c : connections) {
            errors += c.errors;
            if (c.lastPush != null) {
                lastPushes.put(c.lastPush, Boolean.TRUE);
            }
        }
        if (errors > 0) {
            throw new IllegalStateException(errors + " error replies during the iteration");
        }
        if (sent > 0 && lastPushes.size() != 1) {
            throw new IllegalStateException("the last message reached " + recipients + " connections as "
                    + lastPushes.size() + " distinct frames; fan-out must share one");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (sent > 0) {
            System.out.printf("%nencode-once: %d sends, each pushed to %d connections as one shared frame%n",
                    sent, recipients);
        }
        chat.close();
    }

    /** Counts pushes across all connections and wakes the benchmark thread when the last one arrives. */
    static final class Delivery {
        final AtomicLong delivered = new AtomicLong();
        private volatile long target = Long.MAX_VALUE;
        private volatile Thread waiter;

        long expect(int count) {
            waiter = Thread.currentThread();
            long t = delivered.get() + count;
            target = t;
            return t;
        }

        void delivered() {
            if (delivered.incrementAndGet() >= target) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        void await(long t) {
            long deadline = System.nanoTime() + AWAIT_NANOS;
            while (delivered.get() < t) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("fan-out did not complete within 10 s: "
                            + delivered.get() + " of " + t + " delivered");
                }
                LockSupport.parkNanos(AWAIT_NANOS);
            }
            target = Long.MAX_VALUE;
        }
    }

    /** A transport that only takes each frame's bytes and counts them. */
    static final class CountingConnection implements Connection {
        private static final SocketAddress ADDRESS = InetSocketAddress.createUnresolved("bench.invalid", 0);

        private final Delivery delivery;
        volatile boolean joined;
        volatile long errors;
        volatile OutboundFrame lastPush;
        long bytes;

        CountingConnection(Delivery delivery) {
            this.delivery = delivery;
        }

        @Override
        public void send(OutboundFrame frame) {
            String text = frame.text();
            if (text.startsWith(PUSH_PREFIX)) {
                // Like the Jetty adapter: take the shared payload, encoded on the first call only.
                bytes += frame.utf8().remaining();
                lastPush = frame;
                delivery.delivered();
            } else if (text.startsWith(JOIN_REPLY_PREFIX)) {
                joined = true;
            } else if (text.startsWith("{\"type\":\"error\"")) {
                errors++;
            }
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public SocketAddress remoteAddress() {
            return ADDRESS;
        }
    }
}
