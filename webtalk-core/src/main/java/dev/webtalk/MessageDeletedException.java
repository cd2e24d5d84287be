package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * The message was deleted, so it can no longer be edited, reacted to, replied to or pinned. Maps to
 * {@link ErrorCode#MESSAGE_DELETED}.
 */
public class MessageDeletedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public MessageDeletedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MESSAGE_DELETED;
    }
}
