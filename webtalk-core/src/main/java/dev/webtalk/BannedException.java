package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.time.Instant;
import java.util.Map;

/**
 * The user is banned from the room: they may not join it, read it or post to it until the ban ends.
 * Maps to {@link ErrorCode#BANNED}; the error carries {@code until} (epoch ms) unless the ban is forever.
 */
public class BannedException extends WebTalkException {
    private static final long serialVersionUID = 1L;
    private final Instant until;

    /** @param until when the ban ends, or {@code null} for never */
    public BannedException(String message, Instant until) {
        super(message);
        this.until = until;
    }

    /** When the ban ends, or {@code null} for never. */
    public Instant until() {
        return until;
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.BANNED;
    }

    @Override
    public Map<String, Object> details() {
        return until == null ? Map.of() : Map.of("until", until.toEpochMilli());
    }
}
