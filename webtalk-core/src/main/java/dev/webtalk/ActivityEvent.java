package dev.webtalk;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something that happened on the server, for an operator's activity feed. The engine keeps only the
 * most recent ones, in memory ({@link ServerStats#recentActivity()}).
 *
 * @param at when it happened
 * @param type what happened
 * @param roomId the room concerned, or {@code null}
 * @param roomName the room's name at the time, or {@code null}
 * @param actorName who did it, or {@code null} for the server itself
 */
public record ActivityEvent(Instant at, Type type, RoomId roomId, String roomName, String actorName) {
    public ActivityEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
    }

    /** Kinds of activity. */
    public enum Type {
        ROOM_CREATED, ROOM_DELETED, ROOM_ARCHIVED, ROOM_UNARCHIVED, ROOM_EXPIRED, MEMBER_JOINED, FILE_SHARED,
        SETTINGS_CHANGED;

        /** The name used on the wire, e.g. {@code room_created}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
