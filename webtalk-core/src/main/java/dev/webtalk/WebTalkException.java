package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.util.Map;

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

    /**
     * Extra machine-readable fields the {@code error} frame carries next to {@code code} and
     * {@code message} (e.g. {@code until}, {@code retryAfterMs}); values are strings or numbers. Empty by
     * default.
     */
    public Map<String, Object> details() {
        return Map.of();
    }
}
