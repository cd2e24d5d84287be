package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One chat connection to one node, for the cluster tests: records every frame, answers requests, and
 * says when the node went away (a killed node closes it abnormally).
 */
final class ClusterSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    private ClusterSocket(URI node, String token) throws Exception {
        URI ws = URI.create("ws://" + node.getHost() + ":" + node.getPort() + "/ws?token=" + token);
        socket = HTTP.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonNode frame;
                    try {
                        frame = JSON.readTree(partial.toString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                    synchronized (frames) {
                        frames.add(frame);
                        frames.notifyAll();
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                gone();
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                gone();
            }
        }).get(10, TimeUnit.SECONDS);
        await(f -> "welcome".equals(f.path("type").asText()), Duration.ofSeconds(10));
    }

    static ClusterSocket open(URI node, String token) throws Exception {
        return new ClusterSocket(node, token);
    }

    private void gone() {
        closed = true;
        synchronized (frames) {
            frames.notifyAll();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Sends a request; the reply, or {@code null} when the node went away first. */
    JsonNode request(String type, Object... fields) throws InterruptedException {
        ObjectNode frame = JSON.createObjectNode().put("type", type);
        String id = "r" + ids.incrementAndGet();
        frame.put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            frame.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        try {
            socket.sendText(frame.toString(), true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
        return await(f -> id.equals(f.path("id").asText()), Duration.ofSeconds(15));
    }

    /** The first frame matching {@code test}, or {@code null} when the socket closed or time ran out. */
    JsonNode await(Predicate<JsonNode> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonNode f : frames) {
                    if (test.test(f)) {
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
        }
    }

    List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
