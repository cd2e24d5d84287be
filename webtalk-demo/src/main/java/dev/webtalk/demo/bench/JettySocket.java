package dev.webtalk.demo.bench;

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
import java.util.concurrent.CompletableFuture;

/**
 * One connection of the {@link JettyTransport}. Jetty calls {@link #onFrame} for one connection at a
 * time (the next frame is demanded only after the previous one was handled), so the client is fed by
 * one thread at a time.
 */
final class JettySocket implements FrameHandler, ClientSocket {
    private final BenchClient client;
    private volatile CoreSession session;
    private ByteArrayOutputStream fragments;

    JettySocket(BenchClient client) {
        this.client = client;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        client.onOpen(this);
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        long arrived = System.nanoTime();
        byte opcode = frame.getOpCode();
        try {
            if (opcode == OpCode.TEXT && frame.isFin()) {
                ByteBuffer payload = frame.getPayload();
                if (payload.hasArray()) {
                    client.onText(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining(),
                            arrived);
                } else {
                    byte[] bytes = BufferUtil.toArray(payload);
                    client.onText(bytes, 0, bytes.length, arrived);
                }
            } else if (opcode == OpCode.TEXT || opcode == OpCode.CONTINUATION) {
                if (fragments == null) {
                    fragments = new ByteArrayOutputStream();
                }
                fragments.writeBytes(BufferUtil.toArray(frame.getPayload()));
                if (frame.isFin()) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    client.onText(whole, 0, whole.length, arrived);
                }
            } else if (opcode == OpCode.PING) {
                // Jetty's core API leaves pongs to the handler; a server checking read liveness (WebTalk's
                // Jetty adapter pings every 25 s) closes a client that does not answer.
                session.sendFrame(new Frame(OpCode.PONG, true, ByteBuffer.wrap(BufferUtil.toArray(frame.getPayload()))),
                        Callback.NOOP, false);
            }
        } finally {
            callback.succeeded();
            if (opcode != OpCode.CLOSE) {
                session.demand();
            }
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        client.onError(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        client.onClosed(closeStatus.getCode(), closeStatus.getReason());
        callback.succeeded();
    }

    @Override
    public CompletableFuture<Void> sendText(byte[] utf8) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        CoreSession s = session;
        if (s == null || !s.isOutputOpen()) {
            written.completeExceptionally(new IOException("connection " + client.index + " is not open"));
            return written;
        }
        s.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8)),
                Callback.from(() -> written.complete(null), written::completeExceptionally), false);
        return written;
    }

    @Override
    public void close(int code, String reason) {
        CoreSession s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public boolean isOpen() {
        CoreSession s = session;
        return s != null && s.isOutputOpen();
    }
}
