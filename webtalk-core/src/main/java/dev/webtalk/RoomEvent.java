package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a room's event stream: every durable change to a room (a message posted, edited or
 * deleted; a membership, restriction, role or settings change) takes the room's next stream position,
 * committed in the same store batch as the change itself. Positions are dense per room (1, 2, 3, …), so
 * "everything after position P" is exact; a client that held the room up to P is patched by replaying
 * the events after it (see {@code join} with {@code since} in docs/PROTOCOL.md).
 *
 * <p>The entry names what changed, not its content: a replay reads the subject's current state, which
 * compacts a message posted, edited and deleted while a client was away into its final state. Typing
 * and presence are ephemeral and never take a position.
 *
 * @param roomId the room
 * @param pos the position in the room's stream, from 1
 * @param kind what changed
 * @param at when it changed
 * @param seq the message it concerns, or 0 when it concerns none
 * @param userId the member it concerns, or {@code null} when it concerns none
 */
public record RoomEvent(RoomId roomId, long pos, Kind kind, Instant at, long seq, UserId userId) {

    /** What an event changed. Its subject is a message ({@link #seq}), a member ({@link #userId}) or the room. */
    public enum Kind {
        /** A message was stored; {@code seq} is its seq. */
        MESSAGE_POSTED,
        /** A message's text was replaced by its author. */
        MESSAGE_EDITED,
        /** A message was soft-deleted, by its author or a moderator. */
        MESSAGE_DELETED,
        /** A user put an emoji on a message ({@code userId} is the user). */
        REACTION_ADDED,
        /** A user took their emoji off a message. */
        REACTION_REMOVED,
        /** A message was pinned to the room ({@code userId}: who pinned it). */
        MESSAGE_PINNED,
        /** A message was unpinned. */
        MESSAGE_UNPINNED,
        /** A user became a member, or a member's stored name changed. */
        MEMBER_JOINED,
        /** A member left. */
        MEMBER_LEFT,
        /** A member was kicked. */
        MEMBER_KICKED,
        /** A user was banned (and is no longer a member). */
        MEMBER_BANNED,
        /** A ban was lifted. */
        MEMBER_UNBANNED,
        /** A user was muted. */
        MEMBER_MUTED,
        /** A mute was lifted. */
        MEMBER_UNMUTED,
        /** A member's role changed. */
        MEMBER_ROLE_CHANGED,
        /** The room's owner changed; {@code userId} is the new owner. */
        OWNER_CHANGED,
        /** The room's settings (slow mode, lock, topic) changed. */
        SETTINGS_CHANGED,
        /** The room was archived: readable, no longer writable. */
        ROOM_ARCHIVED,
        /** The room was brought back from the archive. */
        ROOM_UNARCHIVED;

        /** Whether the subject of this kind of event is a message. */
        public boolean aboutMessage() {
            return switch (this) {
                case MESSAGE_POSTED, MESSAGE_EDITED, MESSAGE_DELETED, REACTION_ADDED, REACTION_REMOVED,
                        MESSAGE_PINNED, MESSAGE_UNPINNED -> true;
                default -> false;
            };
        }
    }

    public RoomEvent {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
        if (pos < 1) {
            throw new IllegalArgumentException("pos must be >= 1");
        }
        if (kind.aboutMessage() != (seq > 0)) {
            throw new IllegalArgumentException(kind + " must " + (kind.aboutMessage() ? "" : "not ") + "name a message");
        }
    }

    /** An event about a message. */
    public static RoomEvent aboutMessage(RoomId roomId, long pos, Kind kind, Instant at, long seq) {
        return new RoomEvent(roomId, pos, kind, at, seq, null);
    }

    /** An event about a member (or, with {@code userId} {@code null}, the room itself). */
    public static RoomEvent aboutMember(RoomId roomId, long pos, Kind kind, Instant at, UserId userId) {
        return new RoomEvent(roomId, pos, kind, at, 0, userId);
    }
}
