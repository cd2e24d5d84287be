package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import dev.webtalk.demo.bench.Bench;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench} with one {@code --url} per node spreads its clients over a cluster, and the fan-out checks hold. */
class BenchOverNodesIT {

    @Test
    void aFanOutSpreadOverTwoNodesDeliversEveryMessageInOrderToEveryClient(@TempDir Path dataDir) throws Exception {
        String postgres = Services.postgres();
        URI redis = Services.redis();
        String schema = "wt_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String store = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        DemoConfig config = new DemoConfig(0, dataDir, "bench-over-nodes", SqliteChatStore.Synchronous.NORMAL, store, redis);
        try (DemoServer one = DemoServer.start(config); DemoServer two = DemoServer.start(config)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Bench.run(new String[]{"--url", "ws://127.0.0.1:" + one.uri().getPort() + "/ws",
                            "--url", "ws://127.0.0.1:" + two.uri().getPort() + "/ws",
                            "--scenario", "fanout", "--connections", "6", "--senders", "2", "--rate", "4",
                            "--warmup", "1", "--duration", "3", "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(Bench.PASSED, exit, err.toString(StandardCharsets.UTF_8) + report);
            JsonNode json = new ObjectMapper().readTree(report);
            assertEquals(0, json.findValues("errors").stream().mapToLong(JsonNode::asLong).sum(), report);
            assertEquals(0, json.findValues("disconnects").stream().mapToLong(JsonNode::asLong).sum(), report);
            long acked = json.path("acked").asLong();
            assertTrue(acked > 0, "messages were sent: " + report);
            assertTrue(json.path("delivered").asLong() >= acked * 4,
                    "each reached the receivers on both nodes (6 clients, 2 of them senders): " + report);
            JsonNode order = json.path("order");
            assertEquals(6, order.path("streams").asLong(), "every client's stream was checked: " + order);
            assertEquals(0, order.path("gaps").asLong() + order.path("duplicates").asLong()
                    + order.path("outOfOrder").asLong() + order.path("missing").asLong(), "in order, none lost: " + order);
        } finally {
            try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
