package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * Base of every failure the engine reports. Each subclass names what failed and maps to exactly one
 * stable {@link ErrorCode}, which transports put on the wire.
 */
public abstract class WebTalkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected WebTalkException(String message) {
        super(message);
    }

    protected WebTalkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The wire code for this failure. */
    public abstract ErrorCode code();
}
