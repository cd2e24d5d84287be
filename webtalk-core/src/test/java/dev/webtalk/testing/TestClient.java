package dev.webtalk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.Principal;
import dev.webtalk.Session;
import dev.webtalk.WebTalk;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol-level client over a {@link FakeConnection}: writes request frames as JSON text into
 * {@link Session#onText}, the way a transport would, and reads the replies the engine sends back.
 * Request ids are generated ({@code "r1"}, {@code "r2"}, …), so every reply can be matched.
 *
 * <p>Request fields are given as alternating names and values: {@code request("join", "room", id)}.
 * Values may be strings, numbers, booleans or {@code null}.
 *
 * <p>Threading: one thread at a time may send on a client, as {@link Session#onText} requires.
 */
public final class TestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Principal principal;
    private final FakeConnection connection;
    private final Session session;
    private final AtomicInteger ids = new AtomicInteger();

    private TestClient(Principal principal, FakeConnection connection, Session session) {
        this.principal = principal;
        this.connection = connection;
        this.session = session;
    }

    /** Connects {@code principal} to the engine over a new {@link FakeConnection}. */
    public static TestClient connect(WebTalk chat, Principal principal) {
        FakeConnection connection = new FakeConnection();
        Session session = chat.connect(principal, connection);
        return new TestClient(principal, connection, session);
    }

    public Principal principal() {
        return principal;
    }

    public FakeConnection connection() {
        return connection;
    }

    public Session session() {
        return session;
    }

    /** Feeds one raw text frame to the engine. */
    public void sendText(String text) {
        session.onText(text);
    }

    /** Sends a request without an id (no result comes back; an error still does). */
    public void tell(String type, Object... fields) {
        sendText(frame(null, type, fields));
    }

    /** Sends a request with a fresh id and returns the id without waiting for the reply. */
    public String fire(String type, Object... fields) {
        String id = "r" + ids.incrementAndGet();
        sendText(frame(id, type, fields));
        return id;
    }

    /** Sends a request and waits for its reply: a {@code result} or an {@code error} frame. */
    public JsonNode request(String type, Object... fields) {
        return connection.awaitReply(fire(type, fields));
    }

    /** Sends a request that must succeed and returns the {@code result} object. */
    public JsonNode ok(String type, Object... fields) {
        JsonNode reply = request(type, fields);
        if (!"result".equals(reply.path("type").asText())) {
            throw new AssertionError(type + " should have succeeded, got " + reply);
        }
        return reply.get("result");
    }

    /** Sends a request that must fail and returns the error {@code code}. */
    public String error(String type, Object... fields) {
        JsonNode reply = request(type, fields);
        if (!"error".equals(reply.path("type").asText())) {
            throw new AssertionError(type + " should have failed, got " + reply);
        }
        return reply.path("code").asText();
    }

    /** The transport reports the socket closed. */
    public void disconnect() {
        session.onClose();
    }

    /** Builds a request frame; {@code id} may be {@code null}. */
    public static String frame(String id, String type, Object... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields must be name/value pairs");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        if (id != null) {
            node.put("id", id);
        }
        for (int i = 0; i < fields.length; i += 2) {
            node.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TestClient[" + principal.id() + ", " + connection + "]";
    }
}
