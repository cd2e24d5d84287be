package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** A request was malformed or a value was out of range. Maps to {@link ErrorCode#INVALID}. */
public class InvalidRequestException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.INVALID;
    }
}
