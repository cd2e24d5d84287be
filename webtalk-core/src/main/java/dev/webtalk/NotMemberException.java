package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The action needs the user to be in the room. Maps to {@link ErrorCode#NOT_MEMBER}. */
public class NotMemberException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public NotMemberException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.NOT_MEMBER;
    }
}
