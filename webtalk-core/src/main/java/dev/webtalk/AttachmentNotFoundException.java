package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * No shared file with that id in the room: it never existed, or its message was deleted. Maps to
 * {@link ErrorCode#FILE_NOT_FOUND}.
 */
public class AttachmentNotFoundException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public AttachmentNotFoundException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.FILE_NOT_FOUND;
    }
}
