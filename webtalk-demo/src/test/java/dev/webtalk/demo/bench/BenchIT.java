package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool end to end: an embedded demo server, real sockets, a short fan-out. */
class BenchIT {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anEmbeddedFanoutDeliversEveryMessageInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--embedded", "--scenario", "fanout", "--connections", "8",
                        "--senders", "2", "--rate", "50", "--warmup", "500ms", "--duration", "2s", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertEquals(Bench.PASSED, exit, progress + out.toString(StandardCharsets.UTF_8));
        assertTrue(progress.contains("[webtalk fanout] measure"), "a progress line each second: " + progress);

        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(report.path("passed").asBoolean());
        assertEquals("fanout", report.path("scenario").asText());
        assertEquals(8, report.path("connections").asInt());
        assertEquals(0, report.path("connectFailures").asLong());
        assertTrue(report.path("connectSeconds").asDouble() > 0);
        JsonNode order = report.path("order");
        assertEquals(8, order.path("streams").asLong(), "every receiver checked");
        assertEquals(0, order.path("gaps").asLong());
        assertEquals(0, order.path("duplicates").asLong());
        assertEquals(0, order.path("outOfOrder").asLong());
        assertEquals(0, order.path("missing").asLong());
        assertTrue(report.path("acked").asLong() > 0);
        assertTrue(report.path("delivered").asLong() >= report.path("acked").asLong(),
                "each message reaches 8 receivers");
        assertTrue(report.path("deliveriesPerSecond").asDouble() > 0);
        assertEquals(0, report.path("errors").asLong());
        assertEquals(0, report.path("disconnects").asLong());
        JsonNode latency = report.path("latency");
        assertTrue(latency.path("count").asLong() > 0);
        assertTrue(latency.path("p50").asDouble() <= latency.path("p99").asDouble());
        assertTrue(latency.path("p99").asDouble() <= latency.path("max").asDouble());
        assertTrue(latency.has("p90") && latency.has("p999"));
        assertTrue(report.path("serverCpuSeconds").isNumber(), "embedded: CPU from this JVM");
        assertTrue(report.path("heapBytes").asLong() > 0, "embedded: heap from this JVM");
    }

    /**
     * A reaction storm: 20 users in one room react to one message after another, 5 times a second each
     * (100 reactions a second). The server gathers the changes to a message for 100 ms into one push, so
     * each member gets about 10 pushes a second instead of the 100 reactions: the test asks for a
     * third at most, a margin a busy machine cannot erase (a late timer only gathers more).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReactionStormReachesEachMemberInAFewCoalescedPushes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--embedded", "--scenario", "reactions", "--connections", "20",
                        "--rate", "100", "--warmup", "1s", "--duration", "3s", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertEquals(Bench.PASSED, exit, progress + out.toString(StandardCharsets.UTF_8));
        assertTrue(progress.contains("[webtalk reactions] measure"), progress);

        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(report.path("passed").asBoolean());
        assertEquals(0, report.path("errors").asLong(), report.path("notes").toString());
        assertEquals(0, report.path("disconnects").asLong());
        assertEquals(0, report.path("skipped").asLong());
        JsonNode reactions = report.path("interaction");
        assertEquals("react", reactions.path("request").asText());
        assertEquals("reactions", reactions.path("push").asText());
        long acked = reactions.path("acked").asLong();
        assertTrue(acked >= 100, "about 300 reactions in 3 s: " + reactions);
        long sent = reactions.path("sent").asLong();
        assertTrue(sent >= 200 && sent <= 400, "the pacer held about 100 a second: " + reactions);
        double perClient = reactions.path("pushes").asDouble() / 20;
        assertTrue(perClient > 0, "every member hears of the reactions: " + reactions);
        assertTrue(perClient * 3 <= acked, "coalesced: " + perClient + " pushes per member for " + acked
                + " reactions: " + reactions);
        assertTrue(reactions.path("requestsPerPush").asDouble() >= 3, reactions.toString());
        assertTrue(reactions.path("maxPushesPerClientPerSecond").asDouble()
                >= reactions.path("pushesPerClientPerSecond").asDouble() - 1e-9, reactions.toString()); // equal when all got as many
        assertTrue(reactions.path("frames").asLong() >= reactions.path("pushes").asLong() + acked,
                "the replies and the pushes, at least: " + reactions);
        JsonNode ack = reactions.path("ackLatency");
        assertTrue(ack.path("count").asLong() > 0 && ack.path("p50").asDouble() <= ack.path("p99").asDouble(),
                ack.toString());
        assertTrue(reactions.path("serverCpuMsPerRequest").isNumber(), "embedded: CPU from this JVM");
    }

    /**
     * Read-mark traffic: 12 users in 3 rooms, 10 messages a second into each; every user marks its room
     * read as messages arrive, at most once a second, while every message still reaches everyone in order.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readMarksFlowAtMostOnceASecondPerUserWhileEveryMessageArrives() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--embedded", "--scenario", "reads", "--connections", "12",
                        "--rooms", "3", "--rate", "30", "--warmup", "1s", "--duration", "3s", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertEquals(Bench.PASSED, exit, progress + out.toString(StandardCharsets.UTF_8));
        assertTrue(progress.contains("mark_read"), progress);

        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(0, report.path("errors").asLong(), report.path("notes").toString());
        assertEquals(0, report.path("disconnects").asLong());
        assertEquals(12, report.path("order").path("streams").asLong(), "every receiver checked");
        assertTrue(report.path("order").path("ok").asBoolean(), report.path("order").toString());
        assertTrue(report.path("delivered").asLong() > 0);
        assertTrue(report.path("latency").path("count").asLong() > 0, "delivery latency alongside");
        JsonNode reads = report.path("interaction");
        assertEquals("mark_read", reads.path("request").asText());
        assertEquals("read", reads.path("push").asText());
        long marks = reads.path("acked").asLong();
        assertTrue(marks >= 12, "each user marked in the 3 s window: " + reads);
        // At most one a second per user: 3 s of marks, plus one at each end of the window.
        assertTrue(reads.path("sent").asLong() <= 12 * 5, "no more than once a second per user: " + reads);
        assertTrue(reads.path("pushes").asLong() > 0, "read pushes reach the user's connections: " + reads);
        assertTrue(reads.path("ackLatency").path("count").asLong() > 0, reads.toString());
        assertTrue(reads.path("serverCpuMsPerRequest").isNumber(), "embedded: CPU from this JVM");
    }

    /**
     * A ramp against a demo server with its default limits: one sender may post 5 messages a second
     * after a burst of 20, so the ramp must hold low rates and stop at the first step the server refuses
     * (rate_limited), well before its step bound. The latency limit is set out of reach so that a busy
     * test machine cannot end the ramp first (RampTest covers that rule).
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRampRaisesTheRateUntilTheServerRefusesAndReportsTheLastStepThatHeld(@TempDir Path dataDir) throws Exception {
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Bench.run(new String[]{"--url", "ws://127.0.0.1:" + server.uri().getPort() + "/ws",
                            "--scenario", "fanout", "--connections", "4", "--senders", "1", "--ramp", "--rate", "2",
                            "--step", "1s", "--p99-limit", "30s", "--warmup", "0", "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String progress = err.toString(StandardCharsets.UTF_8);
            assertEquals(Bench.PASSED, exit, progress + out.toString(StandardCharsets.UTF_8));
            assertTrue(progress.contains("[webtalk fanout] 2/s"), "a progress line per second of each step: " + progress);

            JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            JsonNode steps = report.path("ramp");
            assertTrue(steps.size() >= 2 && steps.size() < 20, "held some steps, then stopped: " + steps);
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                assertEquals(i < steps.size() - 1, step.path("held").asBoolean(), "only the last step broke: " + steps);
                if (i > 0) {
                    assertTrue(step.path("rate").asInt() > steps.get(i - 1).path("rate").asInt(), "rates rise: " + steps);
                }
            }
            JsonNode last = steps.get(steps.size() - 1);
            assertTrue(last.path("errors").asLong() > 0, "stopped by the server's refusals: " + last);
            int held = steps.get(steps.size() - 2).path("rate").asInt();
            assertEquals("ramp, held " + held + "/s", report.path("rate").asText());
            assertTrue(report.path("notes").toString().contains("rate_limited"), report.path("notes").toString());
            assertEquals(0, report.path("errors").asLong(), "the figures are the held step's");
            assertTrue(report.path("order").path("ok").asBoolean(), "refused messages are not gaps");
        }
    }

    /**
     * The firehose: a baseline server that pushes every send as a burst of 8 messages, batched per socket.
     * Every receiver must get every one of them, in order, through the tool's own client; the report
     * carries the client's CPU next to the server's.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFirehoseBaselineReachesEveryReceiverInOrderAndTheReportShowsBothSidesCpu() throws Exception {
        try (BaselineServer server = BaselineServer.start(0, 8)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Bench.run(new String[]{"--url", server.url().toString(), "--no-auth", "--connections", "6",
                            "--senders", "2", "--rate", "max", "--window", "2", "--warmup", "500ms", "--duration", "2s",
                            "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String progress = err.toString(StandardCharsets.UTF_8);
            assertEquals(Bench.PASSED, exit, progress + out.toString(StandardCharsets.UTF_8));

            JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            JsonNode order = report.path("order");
            assertTrue(order.path("ok").asBoolean(), "every burst complete and in order: " + order);
            assertEquals(6, order.path("streams").asLong());
            long acked = report.path("acked").asLong();
            long delivered = report.path("delivered").asLong();
            assertTrue(acked > 0, report.toString());
            assertTrue(delivered >= acked * 8 * 6 / 2, "about 8 pushes to each of 6 per send: " + acked + " sends, "
                    + delivered + " deliveries");
            JsonNode client = report.path("client");
            assertEquals("nio", client.path("kind").asText(), client.toString());
            assertEquals(1, client.path("ioThreads").asInt());
            assertTrue(client.path("cpuSeconds").asDouble() > 0, client.toString());
            assertTrue(client.path("busiestIoThreadShare").asDouble() > 0, client.toString());
            assertTrue(report.path("clientCpuMicrosPerDelivery").asDouble() > 0, report.toString());
            assertTrue(report.path("serverCpuSeconds").isNumber(), "the baseline runs in this JVM: " + report);
            assertTrue(report.path("notes").toString().contains("client CPU = the tool's threads"), report.toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jettysClientStillRunsAFanout() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--embedded", "--client", "jetty", "--connections", "6", "--senders", "2",
                        "--rate", "40", "--warmup", "500ms", "--duration", "2s", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Bench.PASSED, exit, err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(report.path("order").path("ok").asBoolean(), report.path("order").toString());
        assertTrue(report.path("delivered").asLong() >= report.path("acked").asLong());
        assertEquals("jetty", report.path("client").path("kind").asText());
        assertEquals(0, report.path("client").path("ioThreads").asInt(), "a pool, not threads of its own");
        assertTrue(report.path("client").path("busiestIoThreadShare").isNull());
    }

    @Test
    void aBadCommandLineIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--url", "ws://192.0.2.10:8080/ws"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Bench.USAGE_ERROR, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--allow-remote"));
    }
}
