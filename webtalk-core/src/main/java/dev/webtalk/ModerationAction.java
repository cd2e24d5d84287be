package dev.webtalk;

import java.util.Locale;

/**
 * What a moderator (room owner, moderator or admin) did to a user or a message: the {@code action} of
 * an {@link AuditEntry} and of the protocol's {@code moderation} push. The wire form is
 * {@link #wire()} and is also the protocol request type that performs the action.
 */
public enum ModerationAction {
    /** Soft-deleted someone else's message. */
    DELETE_MESSAGE,
    /** Removed a user from the room; they may join again. */
    KICK,
    /** Removed a user from the room and barred them from joining or reading it, until the ban expires. */
    BAN,
    /** Lifted a ban. */
    UNBAN,
    /** Kept a member from sending, until the mute expires; they can still read. */
    MUTE,
    /** Lifted a mute. */
    UNMUTE,
    /** Made a member a moderator, or a moderator a plain member. */
    SET_ROLE,
    /** Handed the room's ownership to another member. */
    TRANSFER_OWNERSHIP,
    /** Changed the room's settings (slow mode, lock, topic); has no target user. */
    SET_ROOM;

    /** The lower-case wire name, e.g. {@code "transfer_ownership"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action with this wire name. */
    public static java.util.Optional<ModerationAction> fromWire(String wire) {
        for (ModerationAction a : values()) {
            if (a.wire().equals(wire)) {
                return java.util.Optional.of(a);
            }
        }
        return java.util.Optional.empty();
    }
}
