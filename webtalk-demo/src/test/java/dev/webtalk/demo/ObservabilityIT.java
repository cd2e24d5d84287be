package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.Services;
import dev.webtalk.testing.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's operational endpoints over real HTTP: {@code /metrics} in Prometheus text format behind its
 * token, {@code /health} (liveness) and {@code /ready}, which turns 503 while PostgreSQL is unreachable
 * (cut off behind a {@link TcpProxy}) and 200 again once it is back.
 */
class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "scrape-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private HttpResponse<String> get(DemoServer server, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedInPrometheusTextToTheScraperOnly() throws Exception {
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir).withMetricsToken(TOKEN))) {
            assertEquals(401, get(server, "/metrics", null).statusCode());
            HttpResponse<String> wrong = get(server, "/metrics", TOKEN + "x");
            assertEquals(401, wrong.statusCode());
            assertEquals("unauthorized", JSON.readTree(wrong.body()).path("error").path("code").asText());

            // A guest chats: a connection, a message, its push, a store commit.
            String token = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/guest"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ana\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("token").asText();
            LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://localhost:" + server.uri().getPort() + "/ws?token=" + token),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                    try {
                                        frames.add(JSON.readTree(data.toString()));
                                    } catch (Exception e) {
                                        throw new AssertionError(e);
                                    }
                                    ws.request(1);
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"create_room\",\"id\":\"c\",\"name\":\"Ops\"}", true).get(10, TimeUnit.SECONDS);
            String room = awaitReply(frames, "c").path("result").path("room").path("id").asText();
            socket.sendText("{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room + "\"}", true).get(10, TimeUnit.SECONDS);
            awaitReply(frames, "j");
            socket.sendText("{\"type\":\"send\",\"id\":\"s\",\"room\":\"" + room + "\",\"text\":\"hi\"}", true)
                    .get(10, TimeUnit.SECONDS);
            awaitReply(frames, "s");

            HttpResponse<String> scrape = get(server, "/metrics", TOKEN);
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    scrape.headers().toString());
            String text = scrape.body();
            for (String name : List.of("webtalk_connections", "webtalk_connections_opened_total",
                    "webtalk_connections_dropped_total", "webtalk_connections_queued", "webtalk_rooms_loaded",
                    "webtalk_rooms_active", "webtalk_rooms_queued", "webtalk_messages_received_total",
                    "webtalk_frames_sent_total", "webtalk_fanout_deliveries_total", "webtalk_store_batch_size_count",
                    "webtalk_store_commit_seconds_count", "webtalk_store_commit_seconds_sum", "webtalk_store_queued",
                    "webtalk_store_writes_total", "webtalk_rate_limited_total", "webtalk_errors_total",
                    "jvm_memory_used_bytes")) {
                assertTrue(text.contains("\n" + name + "{") || text.contains("\n" + name + " "), name + " in:\n" + text);
            }
            assertEquals(1.0, value(text, "webtalk_connections"));
            assertEquals(1.0, value(text, "webtalk_messages_received_total"));
            assertEquals(1.0, value(text, "webtalk_rooms_active"));
            assertTrue(value(text, "webtalk_store_commit_seconds_count") >= 3, "room, join and message committed");
            assertTrue(text.contains("webtalk_errors_total{code=\"rate_limited\"} 0.0"), "every code is listed");
            assertTrue(text.contains("webtalk_rate_limited_total{limit=\"slow_mode\"} 0.0"), "every limit is listed");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutATokenThereIsNoMetricsEndpointButTheProbesAnswer() throws Exception {
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir))) {
            assertEquals(404, get(server, "/metrics", TOKEN).statusCode());
            HttpResponse<String> health = get(server, "/health", null);
            assertEquals(200, health.statusCode());
            assertEquals("up", JSON.readTree(health.body()).path("status").asText());
            HttpResponse<String> ready = get(server, "/ready", null);
            assertEquals(200, ready.statusCode());
            assertEquals("ready", JSON.readTree(ready.body()).path("status").asText());
            assertTrue(ready.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        }
    }

    @Test
    void readyTurns503WhilePostgresIsUnreachableAndBackWhenItReturns() throws Exception {
        String postgres = Services.postgres();
        URI url = URI.create(postgres.substring("jdbc:".length()));
        int port = url.getPort() < 0 ? 5432 : url.getPort();
        String schema = "wt_ready_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try (TcpProxy proxy = new TcpProxy(url.getHost(), port)) {
            String viaProxy = postgres.replace(":" + port + "/", ":" + proxy.port() + "/")
                    + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir, null,
                    SqliteChatStore.Synchronous.NORMAL, viaProxy, null))) {
                assertEquals(200, get(server, "/ready", null).statusCode());

                proxy.down();
                HttpResponse<String> down = Await.value("/ready says 503", () -> {
                    HttpResponse<String> r = probe(server, "/ready");
                    return r.statusCode() == 503 ? r : null;
                });
                JsonNode body = JSON.readTree(down.body());
                assertEquals("unavailable", body.path("status").asText(), down.body());
                assertTrue(body.path("reason").asText().startsWith("store_"), down.body());
                assertTrue(!down.body().contains("127.0.0.1") && !down.body().contains("postgres"), "no detail: " + down.body());
                assertEquals(200, get(server, "/health", null).statusCode(), "alive all the same");

                proxy.up();
                Await.until("/ready says 200 again", () -> probe(server, "/ready").statusCode() == 200, Duration.ofSeconds(60));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private HttpResponse<String> probe(DemoServer server, String path) {
        try {
            return get(server, path, null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode awaitReply(LinkedBlockingQueue<JsonNode> frames, String id) throws InterruptedException {
        while (true) {
            JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, "no reply to " + id);
            if (id.equals(frame.path("id").asText(null))) {
                assertEquals("result", frame.path("type").asText(), frame.toString());
                return frame;
            }
        }
    }

    /** The value of an untagged sample. */
    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), name + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
