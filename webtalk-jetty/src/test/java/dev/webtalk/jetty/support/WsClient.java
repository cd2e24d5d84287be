package dev.webtalk.jetty.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.eclipse.jetty.util.component.LifeCycle;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real Jakarta WebSocket client (Jetty's) speaking the WebTalk protocol, for integration tests.
 * Records every frame it receives; {@link #request} sends a frame with a fresh id and waits for the
 * reply with that id; {@link #await} waits for a frame that matches.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocketContainer container;
    private final Session session;
    private final List<JsonNode> frames = new ArrayList<>();
    private final List<JsonNode> unclaimed = new ArrayList<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();

    private WsClient(WebSocketContainer container, URI uri, String origin) throws Exception {
        this.container = container;
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        if (origin != null) {
                            headers.put("Origin", List.of(origin));
                        }
                    }
                })
                .build();
        this.session = container.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig c) {
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) WsClient.this::received);
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }
        }, config, uri);
    }

    /** Connects as {@code token} ({@code id:name}) without an Origin header, like a non-browser client. */
    public static WsClient connect(TestServer server, String token) throws Exception {
        return connect(server.ws(token), null);
    }

    /** Connects to {@code uri}, sending {@code origin} (may be null) as a browser would. */
    public static WsClient connect(URI uri, String origin) throws Exception {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(1 << 20);
        try {
            return new WsClient(container, uri, origin);
        } catch (Exception e) {
            LifeCycle.stop(container);
            throw e;
        }
    }

    private void received(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            synchronized (frames) {
                frames.add(node);
                unclaimed.add(node);
                frames.notifyAll();
            }
        } catch (IOException e) {
            throw new IllegalStateException("server sent invalid JSON: " + text, e);
        }
    }

    /** Sends a binary frame. */
    public void sendBinary(byte[] bytes) throws IOException {
        session.getBasicRemote().sendBinary(java.nio.ByteBuffer.wrap(bytes));
    }

    /** Sends a raw text frame. */
    public void sendRaw(String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    /** Sends {@code frame} with a fresh id and returns the matching {@code result} or {@code error}. */
    public JsonNode request(ObjectNode frame) throws Exception {
        String id = "r" + ids.incrementAndGet();
        frame.put("id", id);
        sendRaw(JSON.writeValueAsString(frame));
        return awaitAny(f -> id.equals(f.path("id").asText(null)));
    }

    /** Like {@link #request} but fails unless the reply is a {@code result}; returns its body. */
    public JsonNode ok(ObjectNode frame) throws Exception {
        JsonNode reply = request(frame);
        if (!"result".equals(reply.path("type").asText())) {
            throw new AssertionError("expected a result for " + frame + " but got " + reply);
        }
        return reply.path("result");
    }

    /** A new request frame of the given type. */
    public static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Waits for the oldest unclaimed frame of {@code type} matching {@code test}, and claims it. */
    public JsonNode await(String type, Predicate<JsonNode> test) throws InterruptedException {
        return awaitAny(f -> type.equals(f.path("type").asText()) && test.test(f));
    }

    /** Waits for the answer to request {@code id}, a result or an error, and claims it. */
    public JsonNode awaitReply(String id) throws InterruptedException {
        return awaitAny(f -> id.equals(f.path("id").asText()));
    }

    public JsonNode await(String type) throws InterruptedException {
        return await(type, f -> true);
    }

    private JsonNode awaitAny(Predicate<JsonNode> test) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (frames) {
            while (true) {
                for (int i = 0; i < unclaimed.size(); i++) {
                    if (test.test(unclaimed.get(i))) {
                        return unclaimed.remove(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching frame within " + TIMEOUT + "; received: " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
        }
    }

    /** Every frame received so far, in order. */
    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** Waits until the server closes the connection and returns why. */
    public CloseReason awaitClose() throws Exception {
        return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() throws Exception {
        try {
            if (session.isOpen()) {
                session.close();
            }
        } finally {
            LifeCycle.stop(container);
        }
    }
}
