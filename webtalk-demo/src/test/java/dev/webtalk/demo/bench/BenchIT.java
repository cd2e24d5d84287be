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

    @Test
    void aBadCommandLineIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--url", "ws://192.0.2.10:8080/ws"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Bench.USAGE_ERROR, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--allow-remote"));
    }
}
