package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The room does not exist. Maps to {@link ErrorCode#ROOM_NOT_FOUND}. */
public class RoomNotFoundException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public RoomNotFoundException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.ROOM_NOT_FOUND;
    }
}
