package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JS client (the file this adapter serves at {@code /webtalk/client.js}) run in Node against a real
 * server: join, send, receive, lose the connection mid-send, resume with {@code since} — nothing lost,
 * nothing doubled (src/test/js/it/resume-scenario.mjs). Skipped when {@code node} is not installed.
 */
class ClientInNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCENARIO = Path.of("src/test/js/it/resume-scenario.mjs");
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(nodeVersion() != null, "node is not installed: the JS client's Node IT is skipped");
        server = TestServer.start(new InMemoryChatStore());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The output of {@code node --version}, or null when there is no node on the PATH. */
    private static String nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void aConnectionCutMidSendLosesAndDoublesNothing() throws Exception {
        Path log = Files.createTempFile("webtalk-client-node", ".log");
        Process node = new ProcessBuilder("node", SCENARIO.toString(), "http://127.0.0.1:" + server.port())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = node.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertTrue(finished, "the scenario did not finish: " + output);
        assertEquals(0, node.exitValue(), "the scenario failed: " + String.join("\n", output));

        JsonNode result = JSON.readTree(output.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line: " + output)).substring("RESULT ".length()));
        assertTrue(result.path("anaSockets").asInt() >= 2, "Ana reconnected: " + result);
        // The server's own view: five messages, each stored once.
        List<String> stored = server.chat().history(dev.webtalk.Principal.user("u-bo", "Bo"),
                dev.webtalk.RoomId.of(result.path("room").asText()), null, 100).messages().stream()
                .map(m -> m.text()).toList();
        assertEquals(5, stored.size(), stored.toString());
        assertEquals(5, stored.stream().distinct().count(), stored.toString());
    }
}
