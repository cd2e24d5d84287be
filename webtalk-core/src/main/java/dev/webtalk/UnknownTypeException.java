package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** A frame's {@code type} is not part of the protocol. Maps to {@link ErrorCode#UNKNOWN_TYPE}. */
public class UnknownTypeException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public UnknownTypeException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNKNOWN_TYPE;
    }
}
