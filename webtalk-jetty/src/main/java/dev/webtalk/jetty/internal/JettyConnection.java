package dev.webtalk.jetty.internal;

import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;
import jakarta.websocket.Session;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The engine's {@link Connection} over a Jetty WebSocket. Sends go straight to Jetty's core session as
 * one text frame over the frame's already-encoded UTF-8 bytes, so a broadcast is encoded once for all
 * recipients (the Jakarta {@code sendText(String)} would re-encode per socket). Jetty queues frames in
 * call order and writes them asynchronously; this class bounds that queue in bytes and in frames and
 * closes a client that lets it grow past either bound ({@link CloseCodes#SLOW_CONSUMER}). A frame is
 * always accepted when nothing is queued, so one large reply (a resume) never counts as slow reading.
 *
 * <p>It also checks that the client still reads ({@link #checkLiveness}): a WebSocket ping waits behind
 * every frame queued before it, so its pong proves the client has read all of them. A client that does
 * not answer in time is dropped.
 */
final class JettyConnection implements Connection {
    private final String id;
    private final CoreSession core;
    private final SocketAddress remoteAddress;
    private final long maxQueuedBytes;
    private final int maxQueuedFrames;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile IntConsumer onDropped = code -> { };
    /** When the unanswered ping was sent ({@link System#nanoTime}); meaningful while {@link #awaitingPong}. */
    private volatile long pingSentAt;
    private volatile boolean awaitingPong;
    /** When the client last proved it reads: the open, or its last pong. */
    private volatile long lastAnswerAt = System.nanoTime();
    /** When this connection gave up on the client, or 0; the socket is aborted if it lingers after that. */
    private volatile long droppedAt;

    JettyConnection(Session session, SocketAddress remoteAddress, long maxQueuedBytes, int maxQueuedFrames) {
        this(((JakartaWebSocketSession) session).getCoreSession(), session.getId(), remoteAddress,
                maxQueuedBytes, maxQueuedFrames);
    }

    JettyConnection(CoreSession core, String id, SocketAddress remoteAddress, long maxQueuedBytes,
                    int maxQueuedFrames) {
        this.core = core;
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    /**
     * Runs once when this connection gives up on a client that does not read (a slow consumer, or no
     * pong in time), to detach it from the engine at once: the close frame waits behind the unread
     * data, so the socket itself may take a while to go away. Receives the close code.
     */
    void onDropped(IntConsumer action) {
        this.onDropped = action;
    }

    @Override
    public void send(OutboundFrame frame) {
        queue(frame, false);
    }

    /**
     * Queues the frames in batch mode and the last with a flush, so Jetty gathers them into as few
     * socket writes as its buffers allow (small frames are copied into one aggregate buffer), instead of
     * one write per frame. Each is still a WebSocket message of its own.
     */
    @Override
    public void send(List<OutboundFrame> frames) {
        int last = frames.size() - 1;
        for (int i = 0; i <= last; i++) {
            queue(frames.get(i), i < last);
        }
    }

    private void queue(OutboundFrame frame, boolean more) {
        if (closing.get() || !core.isOutputOpen()) {
            return;
        }
        ByteBuffer payload = frame.utf8();
        long size = payload.remaining();
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (frames > 1 && (bytes > maxQueuedBytes || frames > maxQueuedFrames)) {
            sent(size);
            drop(CloseCodes.SLOW_CONSUMER, "Too many unread frames");
            return;
        }
        core.sendFrame(new Frame(OpCode.TEXT, true, payload),
                Callback.from(() -> sent(size), failure -> sent(size)), more);
    }

    private void sent(long size) {
        queuedBytes.addAndGet(-size);
        queuedFrames.decrementAndGet();
    }

    /**
     * One step of the liveness check, run by a periodic sweep: sends a ping when {@code interval} has
     * passed since the client last answered, and drops the client with {@link CloseCodes#NOT_RESPONDING}
     * when a ping has waited {@code timeout} for its pong. A connection dropped earlier whose socket is
     * still open {@code timeout} later (its close frame stuck behind unread data) is aborted.
     *
     * @param now the sweep's {@link System#nanoTime}
     */
    void checkLiveness(long now, long interval, long timeout) {
        long dropped = droppedAt;
        if (dropped != 0) {
            if (now - dropped >= timeout) {
                core.abort();
            }
            return;
        }
        if (closing.get()) {
            return;
        }
        if (awaitingPong) {
            if (now - pingSentAt >= timeout) {
                drop(CloseCodes.NOT_RESPONDING, "No answer to ping");
            }
        } else if (now - lastAnswerAt >= interval) {
            pingSentAt = now;
            awaitingPong = true;
            core.sendFrame(new Frame(OpCode.PING, true, ByteBuffer.allocate(Long.BYTES).putLong(0, now)),
                    Callback.NOOP, false);
        }
    }

    /**
     * A pong arrived. Only the answer to the ping outstanding (its payload echoed) proves the client
     * has read everything sent before that ping; an unsolicited pong, which RFC 6455 allows, proves
     * nothing.
     */
    void ponged(ByteBuffer payload) {
        if (awaitingPong && payload.remaining() == Long.BYTES && payload.getLong(payload.position()) == pingSentAt) {
            lastAnswerAt = System.nanoTime();
            awaitingPong = false;
        }
    }

    private void drop(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            droppedAt = nonZero(System.nanoTime());
            core.close(code, reason, Callback.NOOP);
            onDropped.accept(code);
        }
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            core.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int queuedFrames() {
        return queuedFrames.get();
    }

    /** Bytes queued and not yet written; for tests and metrics. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public String toString() {
        return "JettyConnection[" + id + " " + remoteAddress + "]";
    }
}
