package dev.webtalk.demo.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated user: a WebSocket speaking WebTalk protocol v2 over Jetty's core WebSocket client.
 * Requests get an {@code id} and a future completed by the matching {@code result} (or failed by the
 * {@code error}); {@code message} pushes go to the {@link Listener} with their arrival time.
 *
 * <p>Jetty calls {@link #onFrame} for one connection at a time (the next frame is demanded only after
 * the previous one was handled), so per-connection state such as the {@link SeqTracker}s is only
 * written by one thread at a time.
 */
final class BenchClient implements FrameHandler {
    /** Called on the connection's Jetty thread; must not block. */
    interface Listener {
        /** Every frame, before it is handled: its {@code type} (empty if none) and its payload's size. */
        void onFrame(BenchClient client, String type, int bytes);

        void onMessage(BenchClient client, String room, long seq, String text, long arrivedNanos);

        /** An {@code error} frame without an {@code id}. */
        void onUnsolicitedError(BenchClient client, String code);

        void onClosed(BenchClient client, int code, String reason);
    }

    /** An {@code error} reply. */
    static final class ServerError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        ServerError(String code, String message) {
            super(code + ": " + message, null, false, false);
            this.code = code;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final int index;
    private final Listener listener;
    private final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, SeqTracker> trackers = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    /** Pushes the listener chose to count here (one type per scenario), to tell the clients' shares apart. */
    private final AtomicLong counted = new AtomicLong();
    private volatile CoreSession session;
    private volatile boolean closing;
    private ByteArrayOutputStream fragments;

    BenchClient(int index, Listener listener) {
        this.index = index;
        this.listener = listener;
    }

    /** Completes with the {@code welcome} frame, the sign that the server accepted this user. */
    CompletableFuture<JsonNode> welcome() {
        return welcome;
    }

    /** Sends {@code frame} with a fresh {@code id}; the future completes with the reply's {@code result}. */
    CompletableFuture<JsonNode> request(ObjectNode frame) {
        String id = Long.toString(nextId.incrementAndGet());
        frame.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        send(frame).whenComplete((ok, failure) -> {
            if (failure != null && pending.remove(id) != null) {
                reply.completeExceptionally(failure);
            }
        });
        return reply;
    }

    /** Sends a frame that expects no reply (e.g. a keep-alive {@code ping} without {@code id}). */
    CompletableFuture<Void> send(ObjectNode frame) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        CoreSession s = session;
        if (s == null || !s.isOutputOpen()) {
            written.completeExceptionally(new IOException("connection " + index + " is not open"));
            return written;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            written.completeExceptionally(e);
            return written;
        }
        s.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(bytes)),
                Callback.from(() -> written.complete(null), written::completeExceptionally), false);
        return written;
    }

    static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Starts checking the order of {@code room}'s messages after {@code lastSeen}. */
    void track(String room, long lastSeen) {
        trackers.put(room, new SeqTracker(lastSeen));
    }

    SeqTracker tracker(String room) {
        return trackers.get(room);
    }

    Map<String, SeqTracker> trackers() {
        return trackers;
    }

    /** Counts one push for {@link #counted()}; called by the listener on this connection's thread. */
    void count() {
        counted.incrementAndGet();
    }

    /** Pushes counted so far. */
    long counted() {
        return counted.get();
    }

    /** Requests not answered yet. */
    int unanswered() {
        return pending.size();
    }

    boolean isOpen() {
        CoreSession s = session;
        return s != null && s.isOutputOpen() && !closing;
    }

    /** Closes normally; the close is not counted as a disconnect. */
    void close() {
        closing = true;
        CoreSession s = session;
        if (s != null) {
            s.close(CloseStatus.NORMAL, "bench done", Callback.NOOP);
        }
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        long arrived = System.nanoTime();
        byte opcode = frame.getOpCode();
        try {
            if (opcode == OpCode.TEXT && frame.isFin()) {
                onText(BufferUtil.toArray(frame.getPayload()), arrived);
            } else if (opcode == OpCode.TEXT || opcode == OpCode.CONTINUATION) {
                if (fragments == null) {
                    fragments = new ByteArrayOutputStream();
                }
                fragments.writeBytes(BufferUtil.toArray(frame.getPayload()));
                if (frame.isFin()) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    onText(whole, arrived);
                }
            }
        } finally {
            callback.succeeded();
            if (opcode != OpCode.CLOSE) {
                session.demand();
            }
        }
    }

    private void onText(byte[] utf8, long arrived) {
        Push push;
        JsonNode node;
        try {
            // Most frames are pushes the tool only counts or ignores: read those field by field, without
            // building a tree (the tool's parsing, not the server, used to bound its runs). Replies,
            // rarer and needed whole, still become trees.
            push = Push.read(JSON.getFactory(), utf8);
            listener.onFrame(this, push.type(), utf8.length);
            if (push.type().equals("message")) {
                listener.onMessage(this, push.room(), push.seq(), push.text(), arrived);
                return;
            }
            if (!push.type().equals("result") && !push.type().equals("error") && !push.type().equals("welcome")) {
                return; // presence, typing, reactions and read pushes are only counted (onFrame)
            }
            node = JSON.readTree(utf8);
        } catch (IOException e) {
            listener.onUnsolicitedError(this, "unparseable_frame");
            return;
        }
        switch (push.type()) {
            case "result" -> {
                CompletableFuture<JsonNode> reply = pending.remove(node.path("id").asText());
                if (reply != null) {
                    reply.complete(node.path("result"));
                }
            }
            case "error" -> {
                CompletableFuture<JsonNode> reply = node.hasNonNull("id") ? pending.remove(node.path("id").asText()) : null;
                ServerError error = new ServerError(node.path("code").asText(), node.path("message").asText());
                if (reply != null) {
                    reply.completeExceptionally(error);
                } else {
                    listener.onUnsolicitedError(this, error.code);
                }
            }
            case "welcome" -> welcome.complete(node);
            default -> throw new IllegalStateException("unexpected frame type " + push.type());
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        failEverything(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        failEverything(new IOException("closed " + closeStatus.getCode() + " " + closeStatus.getReason()));
        listener.onClosed(this, closeStatus.getCode(), closeStatus.getReason());
        callback.succeeded();
    }

    private void failEverything(Throwable cause) {
        welcome.completeExceptionally(cause);
        for (var replies = pending.values().iterator(); replies.hasNext(); ) {
            replies.next().completeExceptionally(cause);
            replies.remove();
        }
    }
}
