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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's {@link Connection} over a Jetty WebSocket. Sends go straight to Jetty's core session as
 * one text frame over the frame's already-encoded UTF-8 bytes, so a broadcast is encoded once for all
 * recipients (the Jakarta {@code sendText(String)} would re-encode per socket). Jetty queues frames in
 * call order and writes them asynchronously; this class bounds that queue in bytes and in frames and
 * closes a client that lets it grow past either bound ({@link CloseCodes#SLOW_CONSUMER}). A frame is
 * always accepted when nothing is queued, so one large reply (a resume) never counts as slow reading.
 */
final class JettyConnection implements Connection {
    private final Session session;
    private final CoreSession core;
    private final SocketAddress remoteAddress;
    private final long maxQueuedBytes;
    private final int maxQueuedFrames;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Runnable onSlowConsumer = () -> { };

    JettyConnection(Session session, SocketAddress remoteAddress, long maxQueuedBytes, int maxQueuedFrames) {
        this.session = session;
        this.core = ((JakartaWebSocketSession) session).getCoreSession();
        this.remoteAddress = remoteAddress;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    /**
     * Runs once when this connection closes a slow consumer, to detach it from the engine at once: the
     * close frame waits behind the unread data, so the socket itself may take until the idle timeout
     * to go away.
     */
    void onSlowConsumer(Runnable action) {
        this.onSlowConsumer = action;
    }

    @Override
    public void send(OutboundFrame frame) {
        if (closing.get() || !core.isOutputOpen()) {
            return;
        }
        ByteBuffer payload = frame.utf8();
        long size = payload.remaining();
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (frames > 1 && (bytes > maxQueuedBytes || frames > maxQueuedFrames)) {
            sent(size);
            if (closing.compareAndSet(false, true)) {
                core.close(CloseCodes.SLOW_CONSUMER, "Too many unread frames", Callback.NOOP);
                onSlowConsumer.run();
            }
            return;
        }
        core.sendFrame(new Frame(OpCode.TEXT, true, payload),
                Callback.from(() -> sent(size), failure -> sent(size)), false);
    }

    private void sent(long size) {
        queuedBytes.addAndGet(-size);
        queuedFrames.decrementAndGet();
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

    /** Bytes queued and not yet written; for tests and metrics. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public String toString() {
        return "JettyConnection[" + session.getId() + " " + remoteAddress + "]";
    }
}
