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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's {@link Connection} over a Jetty WebSocket. Sends go straight to Jetty's core session as
 * one text frame over the frame's already-encoded UTF-8 bytes, so a broadcast is encoded once for all
 * recipients (the Jakarta {@code sendText(String)} would re-encode per socket). Jetty queues frames in
 * call order and writes them asynchronously; this class bounds that queue in bytes and closes a client
 * that lets it grow past the bound ({@link CloseCodes#SLOW_CONSUMER}).
 */
final class JettyConnection implements Connection {
    private final Session session;
    private final CoreSession core;
    private final SocketAddress remoteAddress;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();

    JettyConnection(Session session, SocketAddress remoteAddress, long maxQueuedBytes) {
        this.session = session;
        this.core = ((JakartaWebSocketSession) session).getCoreSession();
        this.remoteAddress = remoteAddress;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void send(OutboundFrame frame) {
        if (closing.get() || !core.isOutputOpen()) {
            return;
        }
        ByteBuffer payload = frame.utf8();
        long size = payload.remaining();
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            close(CloseCodes.SLOW_CONSUMER, "Too many unread frames");
            return;
        }
        core.sendFrame(new Frame(OpCode.TEXT, true, payload),
                Callback.from(() -> queuedBytes.addAndGet(-size), failure -> queuedBytes.addAndGet(-size)),
                false);
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
