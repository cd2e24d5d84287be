package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.store.sqlite.SqliteMaintenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise under the worst crash a process can have: the demo host runs as a child
 * process, senders record every acknowledged message, the process is killed with SIGKILL at random
 * moments, restarted on the same data directory, and history must hold every acknowledged message
 * exactly once, in per-room order, in a database that passes {@code integrity_check}.
 */
class CrashDurabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CYCLES = 4;
    private static final int SENDERS = 4;

    @TempDir
    Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(20261125L);

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        Map<String, String> tokens = new HashMap<>();
        String room = null;
        Map<String, Long> acked = new ConcurrentHashMap<>(); // text -> seq it was acknowledged with
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Process server = startServer();
            try {
                URI base = DemoServerProcess.awaitUrl(server);
                if (room == null) {
                    for (int s = 0; s < SENDERS; s++) {
                        tokens.put("sender" + s, guestToken(base, "Sender " + s));
                    }
                    room = createRoom(base, tokens.get("sender0"));
                }
                verify(base, tokens.get("sender0"), room, acked);
                runSendersUntilKilled(base, tokens, room, cycle, acked, server);
            } finally {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Process last = startServer();
        try {
            URI base = DemoServerProcess.awaitUrl(last);
            verify(base, tokens.get("sender0"), room, acked);
            try (Sender watcher = Sender.connect(http, base, tokens.get("sender1"))) {
                watcher.request(JSON.createObjectNode().put("type", "join").put("room", room));
                last.destroy(); // SIGTERM: graceful stop
                assertEquals(1001, watcher.closeStatus.get(20, TimeUnit.SECONDS),
                        "connected clients are told the server is going away");
            }
            assertTrue(last.waitFor(20, TimeUnit.SECONDS), "the server stops on SIGTERM");
            assertEquals(143, last.exitValue(), "stopped by the signal, after the shutdown hook ran");
        } finally {
            last.destroyForcibly();
        }
        assertTrue(acked.size() > CYCLES * SENDERS, "the senders got messages through: " + acked.size());
        assertEquals(List.of(), SqliteMaintenance.check(dataDir.resolve(DemoServer.DATABASE_FILE)));
    }

    private Process startServer() throws IOException {
        return DemoServerProcess.start(dataDir);
    }

    private String guestToken(URI base, String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/guest"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("token").asText();
    }

    private String createRoom(URI base, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/rooms"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Crash test\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("room").path("id").asText();
    }

    /** Senders send (each waiting for its acknowledgement) until the server is killed at a random moment. */
    private void runSendersUntilKilled(URI base, Map<String, String> tokens, String room, int cycle,
                                       Map<String, Long> acked, Process server) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger ackedThisCycle = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            for (int s = 0; s < SENDERS; s++) {
                String token = tokens.get("sender" + s);
                String prefix = "c" + cycle + "-s" + s + "-";
                senders.submit(() -> {
                    try (Sender sender = Sender.connect(http, base, token)) {
                        sender.request(JSON.createObjectNode().put("type", "join").put("room", room));
                        for (int i = 0; !killed.get(); i++) {
                            String text = prefix + i;
                            JsonNode reply = sender.request(JSON.createObjectNode().put("type", "send")
                                    .put("room", room).put("text", text).put("clientMsgId", text));
                            acked.put(text, reply.path("result").path("message").path("seq").asLong());
                            ackedThisCycle.incrementAndGet();
                        }
                    } catch (Exception connectionLost) {
                        // expected once the server is killed
                    }
                    return null;
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ackedThisCycle.get() < 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Thread.sleep(200 + random.nextInt(800)); // a random moment mid-traffic, not a timing assertion
            killed.set(true);
            server.destroyForcibly(); // SIGKILL
            server.waitFor(10, TimeUnit.SECONDS);
        } finally {
            senders.shutdown();
            assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    /** History holds every acknowledged message exactly once, with the seq it was acknowledged with. */
    private void verify(URI base, String token, String room, Map<String, Long> acked) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        Long before = null;
        while (true) {
            String query = "?limit=100" + (before == null ? "" : "&before=" + before);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    base.resolve("/api/rooms/" + room + "/messages" + query))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode page = JSON.readTree(response.body());
            List<JsonNode> messages = new ArrayList<>();
            page.path("messages").forEach(messages::add);
            all.addAll(0, messages);
            if (!page.path("hasMore").asBoolean() || messages.isEmpty()) {
                break;
            }
            before = messages.get(0).path("seq").asLong();
        }
        Map<String, Long> stored = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).path("seq").asLong(), "seq is dense and ordered");
            Long previous = stored.put(all.get(i).path("text").asText(), all.get(i).path("seq").asLong());
            assertEquals(null, previous, "stored once: " + all.get(i));
        }
        acked.forEach((text, seq) -> assertEquals(seq, stored.get(text), "acknowledged message " + text));
    }

    /** One WebSocket client that sends one request at a time and waits for its reply. */
    private static final class Sender implements AutoCloseable, WebSocket.Listener {
        private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private final AtomicInteger ids = new AtomicInteger();
        final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
        private WebSocket socket;

        static Sender connect(HttpClient http, URI base, String token) throws Exception {
            Sender sender = new Sender();
            sender.socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://" + base.getAuthority() + "/ws?token=" + token), sender)
                    .get(10, TimeUnit.SECONDS);
            return sender;
        }

        /** Sends {@code frame} and returns its result, waiting out {@code rate_limited} like a polite client. */
        JsonNode request(ObjectNode frame) throws Exception {
            String id = Integer.toString(ids.incrementAndGet());
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            socket.sendText(frame.put("id", id).toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode answer = reply.get(10, TimeUnit.SECONDS);
            if ("rate_limited".equals(answer.path("code").asText())) {
                Thread.sleep(Math.max(1, answer.path("retryAfterMs").asLong(100)));
                return request(frame); // the same clientMsgId: stored once however often it is sent
            }
            if (!"result".equals(answer.path("type").asText())) {
                throw new IllegalStateException("refused: " + answer);
            }
            return answer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> reply = pending.remove(frame.path("id").asText(""));
                    if (reply != null) {
                        reply.complete(frame);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closeStatus.complete(status);
            pending.values().forEach(f -> f.completeExceptionally(new IOException("closed " + status)));
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
