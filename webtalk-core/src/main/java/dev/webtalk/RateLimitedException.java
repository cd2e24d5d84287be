package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.time.Duration;
import java.util.Map;

/** The caller sent too many requests, or too many at once; retry later. Maps to {@link ErrorCode#RATE_LIMITED}. */
public class RateLimitedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String message) {
        this(message, null);
    }

    /** @param retryAfter how long to wait before a retry can succeed, or {@code null} if unknown */
    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before a retry can succeed, or {@code null} if unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, Object> details() {
        return retryAfter == null ? Map.of() : Map.of("retryAfterMs", Math.max(1, retryAfter.toMillis()));
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.RATE_LIMITED;
    }
}
