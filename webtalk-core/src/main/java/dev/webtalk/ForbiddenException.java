package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The user may not perform this action. Maps to {@link ErrorCode#FORBIDDEN}. */
public class ForbiddenException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.FORBIDDEN;
    }
}
