package dev.webtalk.protocol;

/**
 * WebSocket close codes WebTalk uses. 1000–1011 are RFC 6455's; 4000–4099 are WebTalk's own.
 * Mirrored in docs/PROTOCOL.md.
 */
public final class CloseCodes {
    /** The client or server closed normally. */
    public static final int NORMAL = 1000;
    /** The server is shutting down. */
    public static final int GOING_AWAY = 1001;
    /** A frame was larger than {@code maxFrameBytes}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server hit an unexpected fault. */
    public static final int INTERNAL_ERROR = 1011;
    /** The client sent {@code maxConsecutiveErrors} invalid frames in a row. */
    public static final int TOO_MANY_ERRORS = 4001;
    /** The engine closed; reconnect later. */
    public static final int ENGINE_CLOSED = 4002;
    /** The client read too slowly: its queue of unsent frames passed the transport's bound. */
    public static final int SLOW_CONSUMER = 4003;
    /**
     * The user (or, in transports that count them, the remote address) already has the most open
     * connections allowed; close another one first.
     */
    public static final int TOO_MANY_CONNECTIONS = 4004;
    /**
     * The client did not answer the transport's WebSocket ping in time, so it is taken to have stopped
     * reading; its presence ends at once.
     */
    public static final int NOT_RESPONDING = 4005;

    private CloseCodes() {
    }
}
