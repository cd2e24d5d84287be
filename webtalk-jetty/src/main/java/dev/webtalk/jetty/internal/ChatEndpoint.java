package dev.webtalk.jetty.internal;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One WebSocket connection: created per handshake for an already authenticated user, it attaches the
 * socket to the engine and feeds it every text frame. Binary frames, which the protocol does not use,
 * are answered {@code invalid} by the engine (up to 1 KiB; a larger one closes the socket with 1009);
 * pongs go to the connection's liveness check.
 */
// Public because Jetty's Jakarta container calls the endpoint reflectively: a package-private class
// fails every upgrade with a 500.
public final class ChatEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);

    private final WebTalk engine;
    private final Principal principal;
    private final JettyOptions options;
    private final SocketAddress remoteAddress;
    private final String address;
    private final AddressLimiter addresses;
    private final OpenConnections openConnections;
    private volatile JettyConnection connection;
    private volatile boolean counted;
    private volatile dev.webtalk.Session chat;

    ChatEndpoint(WebTalk engine, Principal principal, JettyOptions options, SocketAddress remoteAddress,
                 String address, AddressLimiter addresses, OpenConnections openConnections) {
        this.engine = engine;
        this.principal = principal;
        this.options = options;
        this.remoteAddress = remoteAddress;
        this.address = address;
        this.addresses = addresses;
        this.openConnections = openConnections;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // The handshake checked the count already; this is the exact check for handshakes that raced.
        if (!addresses.tryTake(address)) {
            closeQuietly(session, "Too many connections from this address");
            return;
        }
        counted = true;
        // The container enforces the frame limit before buffering the whole message: an oversize
        // frame closes only this socket, with 1009.
        session.setMaxTextMessageBufferSize(engine.limits().maxFrameBytes());
        session.setMaxBinaryMessageBufferSize(1024);
        session.setMaxIdleTimeout(options.idleTimeout().toMillis());
        JettyConnection connection = new JettyConnection(session, remoteAddress, options.maxOutboundBytes(),
                options.maxOutboundFrames());
        this.connection = connection;
        openConnections.opened(connection);
        dev.webtalk.Session attached = engine.connect(principal, connection);
        chat = attached;
        connection.onDropped(attached::onDropped);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) attached::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes -> attached.onBinary());
        session.addMessageHandler(PongMessage.class,
                (MessageHandler.Whole<PongMessage>) pong -> connection.ponged(pong.getApplicationData()));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (counted) {
            counted = false;
            addresses.release(address);
        }
        JettyConnection opened = connection;
        if (opened != null) {
            openConnections.closed(opened);
        }
        dev.webtalk.Session attached = chat;
        if (attached != null) {
            attached.onClose();
        }
    }

    private void closeQuietly(Session session, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.TOO_MANY_CONNECTIONS), reason));
        } catch (IOException e) {
            LOG.debug("Closing a refused WebSocket from {} failed", remoteAddress, e);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        LOG.debug("WebSocket error for {} from {}", principal.id().value(), remoteAddress, error);
    }
}
