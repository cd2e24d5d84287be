package dev.webtalk;

import java.time.Duration;
import java.util.Objects;

/**
 * A room's moderation settings, changed by its moderators, owner or admins.
 *
 * @param slowMode shortest gap between two messages of one plain member ({@link Duration#ZERO}: off);
 *     moderators and above are exempt
 * @param locked whether the room is read-only for plain members
 * @param topic a line shown under the room name, or {@code null}
 */
public record RoomSettings(Duration slowMode, boolean locked, String topic) {
    /** Longest topic, in characters. */
    public static final int MAX_TOPIC_CHARS = 200;
    /** Longest slow-mode gap. */
    public static final Duration MAX_SLOW_MODE = Duration.ofHours(1);
    /** No slow mode, not locked, no topic. */
    public static final RoomSettings DEFAULTS = new RoomSettings(Duration.ZERO, false, null);

    public RoomSettings {
        Objects.requireNonNull(slowMode, "slowMode");
        if (slowMode.isNegative() || slowMode.compareTo(MAX_SLOW_MODE) > 0) {
            throw new IllegalArgumentException("slowMode must be 0.." + MAX_SLOW_MODE);
        }
        if (topic != null && topic.codePointCount(0, topic.length()) > MAX_TOPIC_CHARS) {
            throw new IllegalArgumentException("topic must be at most " + MAX_TOPIC_CHARS + " characters");
        }
    }
}
