package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A measurement, not a test of the build (its name matches neither {@code *Test} nor {@code *IT}, so
 * {@code mvn verify} leaves it out): how long the clients of a node killed with SIGKILL take to be back on
 * another node and caught up. Three demo processes on PostgreSQL and Redis ({@link ThreeDemoNodes}), one
 * room, a sender on node 0 at {@value #RATE} messages/s and {@value #READERS} readers spread over the
 * three nodes; after {@value #TRAFFIC_BEFORE_MS} ms of traffic node 1 is killed, and each of its readers
 * reconnects to node 2 at once (no backoff; the web UI waits 250-500 ms before its first retry) and joins
 * with {@code since}. Per reader: <em>noticed</em> (its socket closed), <em>back</em> (the join answered on
 * node 2) and <em>caught up</em> (it holds, without a gap, every message acknowledged before the kill), all
 * measured from the kill. It checks that nothing is lost or repeated but asserts no time. Run:
 * {@code mvn -B -o -pl webtalk-core,webtalk-jetty,webtalk-demo verify -Dtest=none -Dit.test=KilledNodeRecoveryMeasure
 * -Dsurefire.failIfNoSpecifiedTests=false} (the figures go to standard output, lines starting "recovery").
 */
class KilledNodeRecoveryMeasure {
    private static final int ROUNDS = 3;
    private static final int READERS = 30;
    private static final int RATE = 4; // within the default per-user limit of 5 messages/s
    private static final int TRAFFIC_BEFORE_MS = 3000;
    private static final int TRAFFIC_AFTER_MS = 3000;

    @Test
    void measure() throws Exception {
        List<Double> noticed = new ArrayList<>();
        List<Double> back = new ArrayList<>();
        List<Double> caughtUp = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            try (ThreeDemoNodes nodes = ThreeDemoNodes.start()) {
                Round r = round(nodes);
                System.out.printf(Locale.ROOT, "recovery round %d: %d readers moved; noticed %s; back %s; caught up %s%n",
                        round, r.back.size(), summary(r.noticed), summary(r.back), summary(r.caughtUp));
                noticed.addAll(r.noticed);
                back.addAll(r.back);
                caughtUp.addAll(r.caughtUp);
            }
        }
        System.out.printf(Locale.ROOT, "recovery all %d rounds (%d readers): noticed %s; back %s; caught up %s%n",
                ROUNDS, back.size(), summary(noticed), summary(back), summary(caughtUp));
    }

    private record Round(List<Double> noticed, List<Double> back, List<Double> caughtUp) {
    }

    private Round round(ThreeDemoNodes nodes) throws Exception {
        Reader sender = new Reader("Sender", nodes.guest(0, "Sender"));
        sender.connect(nodes, 0);
        String room = ok(sender.socket.request("create_room", "name", "Recovery")).path("room").path("id").asText();
        sender.join(room);
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            Reader reader = new Reader("R" + i, nodes.guest(0, "R" + i));
            reader.node = i % 3;
            reader.connect(nodes, reader.node);
            reader.join(room);
            readers.add(reader);
        }

        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] stopAt = {Long.MAX_VALUE};
        Thread talk = new Thread(() -> {
            try {
                long next = System.nanoTime();
                for (int i = 0; System.nanoTime() < stopAt[0]; i++) {
                    JsonNode reply = sender.socket.request("send", "room", room, "text", "m" + i, "clientMsgId", "m" + i);
                    ok(reply);
                    acked.incrementAndGet();
                    next += 1_000_000_000L / RATE;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "sender");
        talk.start();
        Thread.sleep(TRAFFIC_BEFORE_MS);

        // The same steps on a quiet path, for comparison: a reader of node 2 reconnects to node 2 and resumes.
        Reader probe = readers.get(2);
        long probeStart = System.nanoTime();
        probe.connect(nodes, 2);
        long probeConnected = System.nanoTime();
        probe.join(room);
        long probeBack = System.nanoTime();
        System.out.printf(Locale.ROOT, "recovery baseline (no failure): connect %.0f ms, join %.0f ms%n",
                (probeConnected - probeStart) / 1e6, (probeBack - probeConnected) / 1e6);

        int ackedBeforeKill = acked.get();
        List<Reader> moved = readers.stream().filter(r -> r.node == 1).toList();
        List<Thread> movers = new ArrayList<>();
        long killedAt = System.nanoTime();
        nodes.kill(1);
        for (Reader r : moved) {
            Thread t = new Thread(() -> {
                try {
                    while (!r.socket.isClosed()) {
                        Thread.onSpinWait();
                        Thread.sleep(0, 200_000);
                    }
                    r.noticedAt = System.nanoTime();
                    r.connect(nodes, 2);
                    r.connectedAt = System.nanoTime();
                    r.join(room);
                    r.backAt = System.nanoTime();
                    while (r.contiguous() < ackedBeforeKill) {
                        Thread.sleep(1);
                    }
                    r.caughtUpAt = System.nanoTime();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "mover-" + r.name);
            movers.add(t);
            t.start();
        }
        for (Thread t : movers) {
            t.join(60_000);
        }
        Thread.sleep(TRAFFIC_AFTER_MS);
        stopAt[0] = System.nanoTime();
        talk.join(30_000);
        assertNull(failure.get(), () -> "failed: " + failure.get());

        int total = acked.get();
        for (Reader r : readers) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (r.contiguous() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(total, r.contiguous(), r.name + " holds every acknowledged message, no gap");
            assertEquals(total, r.count(), () -> r.name + " holds no message twice or beyond: " + r.log);
            r.socket.close();
        }
        sender.socket.close();

        System.out.printf(Locale.ROOT, "recovery overlap: %d pushes repeated a join result's messages%n",
                moved.stream().mapToInt(r -> r.overlap).sum());
        List<Double> connects = new ArrayList<>();
        List<Double> joins = new ArrayList<>();
        for (Reader r : moved) {
            connects.add((r.connectedAt - r.noticedAt) / 1e6);
            joins.add((r.backAt - r.connectedAt) / 1e6);
        }
        System.out.printf(Locale.ROOT, "recovery steps: connect to node 2 %s; join since %s%n", summary(connects), summary(joins));
        List<Double> noticed = new ArrayList<>();
        List<Double> back = new ArrayList<>();
        List<Double> caughtUp = new ArrayList<>();
        for (Reader r : moved) {
            noticed.add((r.noticedAt - killedAt) / 1e6);
            back.add((r.backAt - killedAt) / 1e6);
            caughtUp.add((r.caughtUpAt - killedAt) / 1e6);
        }
        return new Round(noticed, back, caughtUp);
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.0f ms, max %.0f ms", sorted.get((sorted.size() - 1) / 2),
                sorted.get(sorted.size() - 1));
    }

    private static JsonNode ok(JsonNode reply) {
        if (reply == null || !"result".equals(reply.path("type").asText())) {
            throw new AssertionError("not a result: " + reply);
        }
        return reply.path("result");
    }

    /** One client's copy of the room, kept by the protocol's rules (as ClusterDemoIT's users do). */
    private static final class Reader {
        final String name;
        final String token;
        volatile ClusterSocket socket;
        int node;
        String room;
        long pos = -1;
        int applied;
        /** The position of the last join result; pushes at or below it may repeat what it held. */
        long joinedAt = -1;
        /** Pushes that repeated what the join result held. */
        int overlap;
        final TreeMap<Long, Integer> seqs = new TreeMap<>();
        volatile long noticedAt;
        volatile long connectedAt;
        volatile long backAt;
        volatile long caughtUpAt;
        /** What was applied, for a failure's message. */
        final StringBuffer log = new StringBuffer();

        Reader(String name, String token) {
            this.name = name;
            this.token = token;
        }

        void connect(ThreeDemoNodes nodes, int node) throws Exception {
            if (socket != null) {
                catchUp();
            }
            socket = ClusterSocket.open(nodes.url(node), token);
            synchronized (seqs) {
                applied = 0;
            }
        }

        void join(String room) throws Exception {
            this.room = room;
            long since = pos;
            JsonNode reply = pos < 0 ? socket.request("join", "room", room) : socket.request("join", "room", room, "since", pos);
            JsonNode result = ok(reply);
            synchronized (seqs) {
                result.path(result.has("missed") ? "missed" : "history").forEach(m -> seqs.merge(m.path("seq").asLong(), 1,
                        (a, b) -> result.has("missed") ? a : a + b));
                pos = Math.max(pos, result.path("pos").asLong());
                joinedAt = result.path("pos").asLong();
                applied = socket.frames().indexOf(reply) + 1;
                List<Long> got = new ArrayList<>();
                result.path(result.has("missed") ? "missed" : "history").forEach(m -> got.add(m.path("seq").asLong()));
                log.append(" join(since ").append(since).append(") pos=").append(result.path("pos").asLong())
                        .append(" seqs=").append(got).append(" skipped ").append(applied - 1).append(" frames;");
            }
        }

        /** Applies the pushes received since the last call; counts each seq's arrivals as pushes. */
        void catchUp() {
            synchronized (seqs) {
                List<JsonNode> frames = socket.frames();
                for (; applied < frames.size(); applied++) {
                    JsonNode f = frames.get(applied);
                    if ("message".equals(f.path("type").asText()) && room.equals(f.path("message").path("room").asText())) {
                        if (f.path("pos").asLong() <= joinedAt) {
                            overlap++; // also in the join result: allowed (PROTOCOL.md, join), applied by seq
                            continue;
                        }
                        seqs.merge(f.path("message").path("seq").asLong(), 1, Integer::sum);
                        log.append(" push seq ").append(f.path("message").path("seq").asLong()).append(" pos ")
                                .append(f.path("pos").asLong()).append(';');
                        pos = Math.max(pos, f.path("pos").asLong());
                    }
                }
            }
        }

        /** The highest n such that seqs 1..n are all held. */
        long contiguous() {
            catchUp();
            synchronized (seqs) {
                long n = 0;
                while (seqs.containsKey(n + 1)) {
                    n++;
                }
                return n;
            }
        }

        /** Messages held, counting a seq pushed twice (after the join's overlap) twice. */
        int count() {
            synchronized (seqs) {
                return seqs.values().stream().mapToInt(Integer::intValue).sum();
            }
        }
    }
}
