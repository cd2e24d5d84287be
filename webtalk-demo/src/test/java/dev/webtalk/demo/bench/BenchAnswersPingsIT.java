package dev.webtalk.demo.bench;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server checks that clients still read by pinging them (closing with 4005 those that do not
 * answer); both of the bench's clients answer, so an idle run longer than many pings passes.
 */
class BenchAnswersPingsIT {

    @ParameterizedTest(name = "--client {0}")
    @ValueSource(strings = {"nio", "jetty"})
    void bothClientsAnswerTheServersPings(String client, @TempDir Path dataDir) throws Exception {
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir), UnaryOperator.identity(),
                adapter -> adapter.pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(300)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Bench.run(new String[]{"--url", "ws://127.0.0.1:" + server.uri().getPort() + "/ws",
                            "--client", client, "--scenario", "idle", "--connections", "4", "--warmup", "0",
                            "--duration", "3", "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(Bench.PASSED, exit, err.toString(StandardCharsets.UTF_8) + report);
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report);
            assertEquals(0, json.findValues("disconnects").stream().mapToLong(com.fasterxml.jackson.databind.JsonNode::asLong).sum(),
                    "no connection was closed for not answering pings: " + report);
            assertEquals(false, report.contains("close_4005"), report);
        }
    }
}
