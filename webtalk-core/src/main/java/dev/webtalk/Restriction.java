package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A ban or a mute of one user in one room, as stored. A user has at most one of each kind per room;
 * setting one again replaces it.
 *
 * @param roomId the room
 * @param userId the banned or muted user
 * @param userName their display name when it was set (so a list of bans can name someone who has left),
 *     or {@code null} when not known
 * @param kind ban or mute
 * @param reason why, as the moderator gave it, or {@code null}
 * @param until when it ends by itself, or {@code null} for never
 * @param actorId who set it
 * @param createdAt when it was set
 */
public record Restriction(RoomId roomId, UserId userId, String userName, Kind kind, String reason, Instant until,
                          UserId actorId, Instant createdAt) {
    /** What a restriction keeps the user from. */
    public enum Kind {
        /** Joining, reading and sending. */
        BAN,
        /** Sending (text and files); reading stays allowed. */
        MUTE
    }

    public Restriction {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A restriction without the user's name. */
    public Restriction(RoomId roomId, UserId userId, Kind kind, String reason, Instant until, UserId actorId,
                       Instant createdAt) {
        this(roomId, userId, null, kind, reason, until, actorId, createdAt);
    }

    /** Whether it still holds at {@code now}. */
    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }
}
