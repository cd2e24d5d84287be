package dev.webtalk.spi;

import java.net.SocketAddress;

/**
 * One client connection as a transport exposes it to the engine. A transport (Jetty, Netty, an
 * in-process test fake) implements this once per socket and passes it to
 * {@link dev.webtalk.WebTalk#connect}.
 *
 * <p>Threading: the engine calls {@link #send} from its room and request threads, possibly
 * concurrently; implementations must be thread-safe and must not block: queue the frame and return.
 * Frames sent by one thread must reach the client in the order they were sent.
 */
public interface Connection {
    /** Queues a frame for the client. Never blocks; silently drops frames once the connection is closed. */
    void send(OutboundFrame frame);

    /** Closes the connection with a WebSocket close code (see {@link dev.webtalk.protocol.CloseCodes}). */
    void close(int code, String reason);

    /** The peer's address, for logs and per-address limits; may be {@code null} when unknown. */
    SocketAddress remoteAddress();

    /**
     * Frames queued for the client and not yet written, for metrics (the engine sums them over its
     * connections); a transport that does not queue, or cannot tell, reports 0. Called from any thread;
     * must be cheap and must not block.
     */
    default int queuedFrames() {
        return 0;
    }
}
