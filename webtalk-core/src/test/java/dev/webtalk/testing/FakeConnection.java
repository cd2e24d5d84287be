package dev.webtalk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * An in-process {@link Connection} for tests: records every frame the engine sends, parsed as JSON,
 * and the close code. Tests wait for frames with the {@code await…} methods, which block until a
 * matching frame arrives or fail after a timeout; nothing here sleeps.
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread, concurrently, as the
 * SPI allows; frames are kept in the order their {@code send} calls returned. Like a real transport,
 * it drops frames sent after {@link #close} (and counts them, see {@link #droppedAfterClose()}).
 */
public final class FakeConnection implements Connection {
    /** How long the {@code await…} methods wait when no timeout is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketAddress address;
    private final List<JsonNode> frames = new ArrayList<>();
    private final List<OutboundFrame> rawFrames = new ArrayList<>();
    private int closeCode = -1;
    private String closeReason;
    private int closeCalls;
    private int droppedAfterClose;

    public FakeConnection() {
        this(InetSocketAddress.createUnresolved("test.invalid", 0));
    }

    public FakeConnection(SocketAddress address) {
        this.address = address;
    }

    // ---- Connection ----

    @Override
    public void send(OutboundFrame frame) {
        Objects.requireNonNull(frame, "frame");
        JsonNode json;
        try {
            json = JSON.readTree(frame.text());
        } catch (JsonProcessingException e) {
            throw new AssertionError("The engine sent a frame that is not JSON: " + frame.text(), e);
        }
        synchronized (this) {
            if (closeCode >= 0) {
                droppedAfterClose++;
                return;
            }
            frames.add(json);
            rawFrames.add(frame);
            notifyAll();
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCalls++;
        if (closeCode < 0) {
            closeCode = code;
            closeReason = reason;
        }
        notifyAll();
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    // ---- inspection ----

    /** Every frame received so far, in arrival order. */
    public synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The frames received so far that match {@code filter}, in arrival order. */
    public synchronized List<JsonNode> frames(Predicate<JsonNode> filter) {
        return frames.stream().filter(filter).toList();
    }

    /** The frames received so far of one {@code type}, in arrival order. */
    public List<JsonNode> framesOfType(String type) {
        return frames(ofType(type));
    }

    /** The frames as the engine handed them over (to check that fan-out shares one encoded frame). */
    public synchronized List<OutboundFrame> rawFrames() {
        return List.copyOf(rawFrames);
    }

    /** The close code, once the engine closed this connection. */
    public synchronized OptionalInt closeCode() {
        return closeCode < 0 ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    /** The close reason, or {@code null} while open. */
    public synchronized String closeReason() {
        return closeReason;
    }

    /** How often the engine called {@link #close}. */
    public synchronized int closeCalls() {
        return closeCalls;
    }

    /** Frames the engine sent after closing this connection. */
    public synchronized int droppedAfterClose() {
        return droppedAfterClose;
    }

    public synchronized boolean isClosed() {
        return closeCode >= 0;
    }

    // ---- waiting ----

    /** The first frame (since connect) that matches, waiting up to {@link #DEFAULT_TIMEOUT}. */
    public JsonNode awaitFrame(Predicate<JsonNode> filter) {
        return awaitFrame(filter, DEFAULT_TIMEOUT);
    }

    /** The first frame (since connect) that matches, waiting up to {@code timeout}. */
    public JsonNode awaitFrame(Predicate<JsonNode> filter, Duration timeout) {
        return awaitFrames(filter, 1, timeout).get(0);
    }

    /** The first {@code count} frames that match, waiting up to {@link #DEFAULT_TIMEOUT} for them. */
    public List<JsonNode> awaitFrames(Predicate<JsonNode> filter, int count) {
        return awaitFrames(filter, count, DEFAULT_TIMEOUT);
    }

    /** The first {@code count} frames that match, waiting up to {@code timeout} for them. */
    public synchronized List<JsonNode> awaitFrames(Predicate<JsonNode> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> matches = frames.stream().filter(filter).limit(count).toList();
            if (matches.size() == count) {
                return matches;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Waited " + timeout + " for " + count + " matching frame(s), got "
                        + matches.size() + "; all frames: " + frames
                        + (closeCode >= 0 ? "; closed with " + closeCode : ""));
            }
            waitNanos(left);
        }
    }

    /** The first frame of one {@code type}. */
    public JsonNode awaitType(String type) {
        return awaitFrame(ofType(type));
    }

    /** The reply (a {@code result} or an {@code error}) to the request with this id. */
    public JsonNode awaitReply(String id) {
        return awaitFrame(replyTo(id));
    }

    /** Waits up to {@code timeout} for the engine to close this connection and returns the close code. */
    public synchronized int awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closeCode < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Waited " + timeout + " for the connection to close; frames: " + frames);
            }
            waitNanos(left);
        }
        return closeCode;
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT} for the close code. */
    public int awaitClose() {
        return awaitClose(DEFAULT_TIMEOUT);
    }

    private void waitNanos(long nanos) {
        try {
            long millis = Math.max(1, nanos / 1_000_000);
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for frames", e);
        }
    }

    // ---- predicates ----

    /** Matches frames with this {@code type}. */
    public static Predicate<JsonNode> ofType(String type) {
        return f -> type.equals(f.path("type").asText(null));
    }

    /** Matches the {@code result} or {@code error} frame answering request {@code id}. */
    public static Predicate<JsonNode> replyTo(String id) {
        return f -> id.equals(f.path("id").asText(null))
                && (ofType("result").test(f) || ofType("error").test(f));
    }

    @Override
    public synchronized String toString() {
        return "FakeConnection[" + frames.size() + " frames" + (closeCode >= 0 ? ", closed " + closeCode : "") + "]";
    }
}
