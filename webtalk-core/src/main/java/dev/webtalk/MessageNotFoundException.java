package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The message does not exist in the room. Maps to {@link ErrorCode#MESSAGE_NOT_FOUND}. */
public class MessageNotFoundException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public MessageNotFoundException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MESSAGE_NOT_FOUND;
    }
}
