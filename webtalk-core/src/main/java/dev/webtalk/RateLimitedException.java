package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The caller sent too many requests, or too many at once; retry later. Maps to {@link ErrorCode#RATE_LIMITED}. */
public class RateLimitedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public RateLimitedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.RATE_LIMITED;
    }
}
