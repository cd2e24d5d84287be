package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** A count limit (such as the number of rooms) was reached. Maps to {@link ErrorCode#CONFLICT}. */
public class LimitReachedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public LimitReachedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.CONFLICT;
    }
}
