package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * One moderation action in a room's audit log.
 *
 * @param id position in the log, assigned by the store (increasing; {@code 0} before it is stored)
 * @param roomId the room
 * @param at when it happened
 * @param actorId who did it
 * @param actorName the actor's display name then
 * @param action what was done
 * @param targetId whom it was done to, or {@code null} for an action on the room itself
 *     ({@link ModerationAction#SET_ROOM})
 * @param targetName the target's display name when the action was taken (so the log can name someone who
 *     has left), or {@code null} when it was not known (e.g. a ban of a user never seen in the room)
 * @param reason the reason given, or {@code null}
 * @param until when a ban or mute ends, or {@code null} (never, or not a ban or mute)
 * @param seq the deleted message's seq for {@link ModerationAction#DELETE_MESSAGE}, else {@code null}
 * @param role the new role for {@link ModerationAction#SET_ROLE}, else {@code null}
 * @param settings the new settings for {@link ModerationAction#SET_ROOM}, else {@code null}
 */
public record AuditEntry(long id, RoomId roomId, Instant at, UserId actorId, String actorName,
                         ModerationAction action, UserId targetId, String targetName, String reason,
                         Instant until, Long seq, MemberRole role, RoomSettings settings) {
    public AuditEntry {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(action, "action");
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0");
        }
    }

    /** An entry without the target's name. */
    public AuditEntry(long id, RoomId roomId, Instant at, UserId actorId, String actorName, ModerationAction action,
                      UserId targetId, String reason, Instant until, Long seq, MemberRole role, RoomSettings settings) {
        this(id, roomId, at, actorId, actorName, action, targetId, null, reason, until, seq, role, settings);
    }

    /** An entry without the target's name and room settings. */
    public AuditEntry(long id, RoomId roomId, Instant at, UserId actorId, String actorName, ModerationAction action,
                      UserId targetId, String reason, Instant until, Long seq, MemberRole role) {
        this(id, roomId, at, actorId, actorName, action, targetId, null, reason, until, seq, role, null);
    }

    /** This entry with the id the store gave it. */
    public AuditEntry withId(long newId) {
        return new AuditEntry(newId, roomId, at, actorId, actorName, action, targetId, targetName, reason, until, seq,
                role, settings);
    }

    /** This entry naming its target {@code name} (a display name, or {@code null} when not known). */
    public AuditEntry withTargetName(String name) {
        return new AuditEntry(id, roomId, at, actorId, actorName, action, targetId, name, reason, until, seq, role,
                settings);
    }
}
