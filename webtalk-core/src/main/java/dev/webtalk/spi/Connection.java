package dev.webtalk.spi;

import java.net.SocketAddress;
import java.util.List;

/**
 * One client connection as a transport exposes it to the engine. A transport (Jetty, Netty, an
 * in-process test fake) implements this once per socket and passes it to
 * {@link dev.webtalk.WebTalk#connect}.
 *
 * <p>Threading: the engine calls {@link #send} and {@link #close} from its fan-out threads, one thread
 * at a time per connection and in the order the engine produced the frames; implementations must be
 * thread-safe (a transport's own threads, e.g. pings, run beside them) and must not block: queue the
 * frame and return. Frames must reach the client in the order they were sent.
 */
public interface Connection {
    /** Queues a frame for the client. Never blocks; silently drops frames once the connection is closed. */
    void send(OutboundFrame frame);

    /**
     * Queues several frames for the client, in order. The engine calls this when frames piled up for
     * this connection while it was busy, so a transport that can should write them together (one
     * gathered write, each frame still its own WebSocket message) and flush at the end. The default
     * sends them one by one. The list is reused after the call returns: do not keep it.
     */
    default void send(List<OutboundFrame> frames) {
        for (OutboundFrame frame : frames) {
            send(frame);
        }
    }

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
