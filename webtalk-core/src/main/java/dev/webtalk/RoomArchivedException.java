package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The room is archived, so it is read-only. Maps to {@link ErrorCode#ROOM_ARCHIVED}. */
public class RoomArchivedException extends ForbiddenException {
    private static final long serialVersionUID = 1L;

    public RoomArchivedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.ROOM_ARCHIVED;
    }
}
