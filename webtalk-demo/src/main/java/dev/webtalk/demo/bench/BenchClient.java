package dev.webtalk.demo.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated user: a WebSocket ({@link ClientSocket}) speaking WebTalk protocol v2. Requests get an
 * {@code id} and a future completed by the matching {@code result} (or failed by the {@code error});
 * {@code message} pushes go to the {@link Listener} with their arrival time.
 *
 * <p>Pushes are the hot path (a room of 1,000 turns each message into 1,000 of them), so they are read
 * by a {@link FrameScanner} straight from the transport's buffer, allocating nothing. Replies, rare and
 * needed whole, become Jackson trees.
 *
 * <p>The transport calls {@link #onText} for one connection from one thread at a time, so the scanner
 * and the {@link SeqTracker}s are only written by one thread at a time.
 */
final class BenchClient {
    /** Called on the connection's I/O thread; must not block. */
    interface Listener {
        /** Every frame, before it is handled: its type and its payload's size. */
        void onFrame(BenchClient client, PushType type, int bytes);

        /**
         * A {@code message} push.
         *
         * @param room         the room's order check if this client tracks the push's room, else null
         * @param seq          the message's seq
         * @param due          the number that starts the text (the bench senders' due time, in
         *                     {@link System#nanoTime} units), or {@link Long#MIN_VALUE} if none
         * @param arrivedNanos when the frame was read
         */
        void onMessage(BenchClient client, TrackedRoom room, long seq, long due, long arrivedNanos);

        /** An {@code error} frame without an {@code id}, or a frame that could not be read. */
        void onUnsolicitedError(BenchClient client, String code);

        void onClosed(BenchClient client, int code, String reason);
    }

    /** A room whose messages this client checks for order: its id, as a string and as the raw bytes pushes carry. */
    record TrackedRoom(String id, byte[] idBytes, SeqTracker tracker) {
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
    private final FrameScanner scanner = new FrameScanner();
    private final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Copied on write: read for every push, written once per joined room. */
    private volatile TrackedRoom[] tracked = new TrackedRoom[0];
    private final AtomicLong nextId = new AtomicLong();
    /** Pushes the listener chose to count here (one type per scenario), to tell the clients' shares apart. */
    private final AtomicLong counted = new AtomicLong();
    private volatile ClientSocket socket;
    private volatile boolean closing;

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
        ClientSocket s = socket;
        if (s == null || !s.isOpen()) {
            return CompletableFuture.failedFuture(new IOException("connection " + index + " is not open"));
        }
        try {
            return s.sendText(JSON.writeValueAsBytes(frame));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Starts checking the order of {@code room}'s messages after {@code lastSeen}. */
    synchronized void track(String room, long lastSeen) {
        TrackedRoom[] more = Arrays.copyOf(tracked, tracked.length + 1);
        more[tracked.length] = new TrackedRoom(room, room.getBytes(StandardCharsets.UTF_8), new SeqTracker(lastSeen));
        tracked = more;
    }

    /** The rooms whose order this client checks. */
    List<TrackedRoom> tracked() {
        return List.of(tracked);
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
        ClientSocket s = socket;
        return s != null && s.isOpen() && !closing;
    }

    /** Closes normally; the close is not counted as a disconnect. */
    void close() {
        closing = true;
        ClientSocket s = socket;
        if (s != null) {
            s.close(1000, "bench done");
        }
    }

    boolean closing() {
        return closing;
    }

    /** The transport opened the connection; called before the frames that follow. */
    void onOpen(ClientSocket openedSocket) {
        this.socket = openedSocket;
    }

    /** One text frame, {@code utf8[from..from+length)}, valid only during the call. */
    void onText(byte[] utf8, int from, int length, long arrived) {
        if (!scanner.scan(utf8, from, length)) {
            listener.onFrame(this, PushType.OTHER, length);
            listener.onUnsolicitedError(this, "unparseable_frame");
            return;
        }
        PushType type = scanner.type();
        listener.onFrame(this, type, length);
        if (type == PushType.MESSAGE) {
            listener.onMessage(this, trackedRoom(), scanner.seq(), scanner.textNumber(), arrived);
        } else if (type.isReply()) {
            onReply(type, utf8, from, length);
        }
        // presence, typing, reactions and read pushes are only counted (onFrame)
    }

    private TrackedRoom trackedRoom() {
        for (TrackedRoom room : tracked) {
            if (scanner.roomIs(room.idBytes())) {
                return room;
            }
        }
        return null;
    }

    private void onReply(PushType type, byte[] utf8, int from, int length) {
        JsonNode node;
        try {
            node = JSON.readTree(utf8, from, length);
        } catch (IOException e) {
            listener.onUnsolicitedError(this, "unparseable_frame");
            return;
        }
        switch (type) {
            case RESULT -> {
                CompletableFuture<JsonNode> reply = pending.remove(node.path("id").asText());
                if (reply != null) {
                    reply.complete(node.path("result"));
                }
            }
            case ERROR -> {
                CompletableFuture<JsonNode> reply = node.hasNonNull("id") ? pending.remove(node.path("id").asText()) : null;
                ServerError error = new ServerError(node.path("code").asText(), node.path("message").asText());
                if (reply != null) {
                    reply.completeExceptionally(error);
                } else {
                    listener.onUnsolicitedError(this, error.code);
                }
            }
            case WELCOME -> welcome.complete(node);
            default -> throw new IllegalStateException("not a reply: " + type);
        }
    }

    /** The connection failed; a close follows. */
    void onError(Throwable cause) {
        failEverything(cause);
    }

    /** The connection is closed (after it had opened), cleanly or not. */
    void onClosed(int code, String reason) {
        failEverything(new IOException("closed " + code + " " + reason));
        listener.onClosed(this, code, reason);
    }

    private void failEverything(Throwable cause) {
        welcome.completeExceptionally(cause);
        for (var replies = pending.values().iterator(); replies.hasNext(); ) {
            replies.next().completeExceptionally(cause);
            replies.remove();
        }
    }
}
