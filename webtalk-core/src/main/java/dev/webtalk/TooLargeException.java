package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** A text or payload exceeded its size limit. Maps to {@link ErrorCode#TOO_LARGE}. */
public class TooLargeException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.TOO_LARGE;
    }
}
