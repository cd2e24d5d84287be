package dev.webtalk.demo.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A guest of the demo server on a plain WebSocket, next to the browsers: signs in through
 * {@code POST /api/guest}, sends protocol frames and keeps every frame it receives.
 */
final class SocketUser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final WebSocket socket;
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private SocketUser(String name, WebSocket.Builder builder, URI ws) throws Exception {
        this.name = name;
        this.socket = builder.buildAsync(ws, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
    }

    /** Signs in as a new guest called {@code name} and connects. */
    static SocketUser signIn(URI server, String name) throws Exception {
        HttpResponse<String> guest = HTTP.send(HttpRequest.newBuilder(server.resolve("/api/guest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("name", name).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (guest.statusCode() != 200) {
            throw new IllegalStateException("guest sign-in answered " + guest.statusCode() + ": " + guest.body());
        }
        String token = JSON.readTree(guest.body()).path("token").asText();
        URI ws = URI.create("ws://localhost:" + server.getPort() + "/ws?token=" + token);
        return new SocketUser(name, HTTP.newWebSocketBuilder(), ws);
    }

    String name() {
        return name;
    }

    /** Sends a request (a JSON object without {@code id}); completes with its result or error frame. */
    CompletableFuture<JsonNode> send(String json) {
        String id = "s" + ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            String withId = ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json)).put("id", id).toString();
            socket.sendText(withId, true).join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reply;
    }

    /** Sends a request and waits for a successful result. */
    JsonNode request(String json) throws Exception {
        JsonNode reply = send(json).get(15, TimeUnit.SECONDS);
        if (!"result".equals(reply.path("type").asText())) {
            throw new AssertionError(json + " failed: " + reply);
        }
        return reply;
    }

    List<JsonNode> framesOfType(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    private void received(String text) {
        try {
            JsonNode frame = JSON.readTree(text);
            frames.add(frame);
            CompletableFuture<JsonNode> reply = replies.remove(frame.path("id").asText());
            if (reply != null) {
                reply.complete(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
