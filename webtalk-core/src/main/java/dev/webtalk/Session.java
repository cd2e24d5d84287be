package dev.webtalk;

import java.util.Set;

/**
 * The engine's view of one client connection, returned by {@link WebTalk#connect}. The transport feeds
 * it every inbound text frame and tells it when the socket is gone.
 *
 * <p>Threading: {@link #onText} must be called by one thread at a time per session, in arrival order
 * (WebSocket containers do this); it does not block on other users. {@link #onClose} may be called
 * from any thread, once.
 */
public interface Session {
    /** The user on this connection. */
    Principal principal();

    /** Handles one inbound text frame. Never throws: every failure is answered on the connection. */
    void onText(String frame);

    /**
     * The transport received a binary frame, which the protocol does not use: it is answered with an
     * {@code invalid} error and counts toward the consecutive invalid frames that close a connection
     * ({@code 4001}). Called like {@link #onText}: one thread at a time, in arrival order.
     */
    void onBinary();

    /** The transport reports the connection closed; presence in every room ends. Idempotent. */
    void onClose();

    /**
     * The transport gave up on a client that does not read what it is sent, and closed it with
     * {@code closeCode} (e.g. {@link dev.webtalk.protocol.CloseCodes#SLOW_CONSUMER}): like {@link #onClose},
     * and counted as a drop for metrics ({@link dev.webtalk.spi.EngineObserver#connectionDropped}).
     * Either this or {@link #onClose} ends the session; later calls of either do nothing.
     */
    default void onDropped(int closeCode) {
        onClose();
    }

    /** Rooms this connection is present in now. */
    Set<RoomId> rooms();
}
