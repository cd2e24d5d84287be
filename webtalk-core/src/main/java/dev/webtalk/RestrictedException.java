package dev.webtalk;

import java.time.Instant;
import java.util.Map;

/**
 * A ban or mute stops the user; the error carries {@code until} (epoch ms) unless it is forever, so
 * clients can say when the user may try again.
 */
public abstract class RestrictedException extends WebTalkException {
    private static final long serialVersionUID = 1L;
    private final Instant until;

    /** @param until when the restriction ends, or {@code null} for never */
    protected RestrictedException(String message, Instant until) {
        super(message);
        this.until = until;
    }

    /** When the restriction ends, or {@code null} for never. */
    public Instant until() {
        return until;
    }

    @Override
    public Map<String, Object> details() {
        return until == null ? Map.of() : Map.of("until", until.toEpochMilli());
    }
}
