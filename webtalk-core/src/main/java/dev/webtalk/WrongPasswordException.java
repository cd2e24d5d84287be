package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The room password was missing or wrong. Maps to {@link ErrorCode#WRONG_PASSWORD}. */
public class WrongPasswordException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public WrongPasswordException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.WRONG_PASSWORD;
    }
}
