package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The engine cannot accept more work now; the caller may retry later. Maps to {@link ErrorCode#OVERLOADED}. */
public class OverloadedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.OVERLOADED;
    }
}
