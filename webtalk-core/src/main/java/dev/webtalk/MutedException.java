package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

import java.time.Instant;
import java.util.Map;

/**
 * The user is muted in the room: they may read it but not post to it until the mute ends. Maps to
 * {@link ErrorCode#MUTED}; the error carries {@code until} (epoch ms) unless the mute is forever.
 */
public class MutedException extends WebTalkException {
    private static final long serialVersionUID = 1L;
    private final Instant until;

    /** @param until when the mute ends, or {@code null} for never */
    public MutedException(String message, Instant until) {
        super(message);
        this.until = until;
    }

    /** When the mute ends, or {@code null} for never. */
    public Instant until() {
        return until;
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.MUTED;
    }

    @Override
    public Map<String, Object> details() {
        return until == null ? Map.of() : Map.of("until", until.toEpochMilli());
    }
}
