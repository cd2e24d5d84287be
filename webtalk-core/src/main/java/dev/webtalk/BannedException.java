package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.time.Instant;

/**
 * The user is banned from the room: they may not join it, read it or post to it until the ban ends.
 * Maps to {@link ErrorCode#BANNED}.
 */
public class BannedException extends RestrictedException {
    private static final long serialVersionUID = 1L;

    /** @param until when it ends, or {@code null} for never */
    public BannedException(String message, Instant until) {
        super(message, until);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.BANNED;
    }
}
