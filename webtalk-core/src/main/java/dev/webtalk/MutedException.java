package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.time.Instant;

/**
 * The user is muted in the room: they may read it but not post to it until the mute ends. Maps to
 * {@link ErrorCode#MUTED}.
 */
public class MutedException extends RestrictedException {
    private static final long serialVersionUID = 1L;

    /** @param until when it ends, or {@code null} for never */
    public MutedException(String message, Instant until) {
        super(message, until);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MUTED;
    }
}
