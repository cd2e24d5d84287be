package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.demo.DemoServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool against a demo server in a process of its own, as with {@code --url} in real use: the
 * tool finds the server's process from the port, and reports that process's CPU and (through jcmd) heap.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchServerProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    private static Process server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = DemoServerProcess.start(dataDir);
        port = DemoServerProcess.awaitUrl(server).getPort();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aUrlRunFindsTheServerProcessAndReportsItsCpuAndHeap() throws Exception {
        assertEquals(server.pid(), LocalProcess.listeningOn(port).pid(), "discovered from the listening port");

        // 20 senders at 50 messages/s in total stay under the separately started demo's 5 messages/s per user
        JsonNode report = bench("--scenario", "fanout", "--connections", "20", "--senders", "20", "--rate", "50",
                "--warmup", "1s", "--duration", "2s");
        assertTrue(report.path("passed").asBoolean(), report.toPrettyString());
        assertTrue(report.path("deliveriesPerSecond").asDouble() > 0);
        assertTrue(report.path("serverCpuSeconds").asDouble() > 0, "the server process's CPU: " + report);
        assertTrue(report.path("processCpuSeconds").isNull(), "no tool+server JVM figure: the tool is not in it");
        assertTrue(report.path("heapBytes").asLong() > 0, "heap through jcmd: " + report);
        List<String> notes = notes(report);
        assertTrue(notes.contains("server = process " + server.pid() + " (java), found listening on port " + port
                + "; CPU from /proc/" + server.pid() + "/stat, heap from jcmd GC.run + GC.heap_info"), notes.toString());
        assertEquals(1, notes.stream().filter(n -> n.startsWith("server")).count(), "no figure missing: " + notes);
    }

    @Test
    void anIdleRunWithAGivenPidCountsHeapPerConnectionOfTheServerOnly() throws Exception {
        JsonNode report = bench("--scenario", "idle", "--connections", "20", "--warmup", "0", "--duration", "1s",
                "--server-pid", Long.toString(server.pid()));
        assertTrue(report.path("passed").asBoolean(), report.toPrettyString());
        assertTrue(report.path("heapPerConnection").isNumber(), "heap before and after connecting: " + report);
        assertTrue(report.path("heapBytes").asLong() > 0);
        List<String> notes = notes(report);
        assertTrue(notes.contains("idle: heap per connection counts the server process only "
                + "(the tool's clients are in another JVM)"), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("server = process " + server.pid() + " (java), given by "
                + "--server-pid")), notes.toString());
    }

    @Test
    void aServerPidThatIsNoProcessIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"--url", "ws://127.0.0.1:" + port + "/ws", "--server-pid", "999999999"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Bench.USAGE_ERROR, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--server-pid 999999999: no such process"));
    }

    private static JsonNode bench(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", URI.create("ws://127.0.0.1:" + port + "/ws").toString(),
                "--json"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String output = err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
        assertEquals(Bench.PASSED, exit, output);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> notes(JsonNode report) {
        List<String> notes = new ArrayList<>();
        report.path("notes").forEach(n -> notes.add(n.asText()));
        return notes;
    }
}
