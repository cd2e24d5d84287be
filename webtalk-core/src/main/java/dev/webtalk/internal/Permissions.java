package dev.webtalk.internal;

import dev.webtalk.BannedException;
import dev.webtalk.ForbiddenException;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Principal;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.UserId;

import java.util.Objects;
import java.util.Optional;

/**
 * The one permission policy: who may do what to whom in a room. Every transport's requests and the host's
 * Java API reach the room actor, which asks this class; nothing else decides. The table is written out in
 * docs/MODERATION.md and pinned by {@code PermissionsTest}.
 *
 * <p>Rules: a global admin may do everything (but not act on themselves); the owner may do everything in
 * the room; a moderator may act only on plain members and non-members; nobody kicks, bans, mutes or
 * re-roles themselves; roles and ownership are changed by the owner (or an admin) only. A ban outweighs
 * every rank: a banned actor (an owner an admin banned keeps the owner rank on paper) is refused every
 * action with {@code banned}; admins are never banned.
 */
final class Permissions {

    /** The actor's or the target's standing in one room, highest first. */
    public enum Rank {
        ADMIN, OWNER, MODERATOR, MEMBER, NONE;

        boolean outranks(Rank other) {
            return ordinal() < other.ordinal();
        }

        boolean atLeast(Rank other) {
            return ordinal() <= other.ordinal();
        }
    }

    /** Everything the policy decides. */
    public enum Action {
        /** Delete someone else's message (the target is its author). Own messages: anyone who wrote them. */
        DELETE_MESSAGE,
        /** Replace a message's text (the target is its author): its author only, whatever anyone's rank. */
        EDIT_MESSAGE,
        KICK, BAN, UNBAN, MUTE, UNMUTE,
        /** Make a member a moderator or a moderator a member. */
        SET_ROLE,
        TRANSFER_OWNERSHIP,
        /** Read the room's audit log (no target). */
        READ_AUDIT,
        /** Delete the room (no target). */
        DELETE_ROOM,
        /** Change the room's settings: slow mode, lock, topic (no target). */
        SET_ROOM,
        /** Pin or unpin a message (no target). */
        PIN
    }

    /**
     * The actor's standing in one room: their rank, and the ban that holds them out of it now
     * ({@code null} when none; always {@code null} for an admin, whom bans never hold).
     */
    public record Standing(Rank rank, Restriction ban) {
        public Standing {
            Objects.requireNonNull(rank, "rank");
            if (rank == Rank.ADMIN) {
                ban = null;
            }
        }

        /** An actor of this rank whom no ban holds. */
        public static Standing of(Rank rank) {
            return new Standing(rank, null);
        }

        public boolean banned() {
            return ban != null;
        }
    }

    private Permissions() {
    }

    /** The rank of {@code principal} in {@code room}: admin, owner (also after leaving), or their member role. */
    public static Rank rank(Principal principal, Room room, Optional<Member> membership) {
        if (principal.isAdmin()) {
            return Rank.ADMIN;
        }
        return rank(principal.id(), room, membership);
    }

    /** The room rank of a user known only by id (a target: global roles of absent users are unknown). */
    public static Rank rank(UserId user, Room room, Optional<Member> membership) {
        if (room.ownerId().equals(user)) {
            return Rank.OWNER;
        }
        return membership.map(m -> switch (m.role()) {
            case OWNER -> Rank.OWNER;
            case MODERATOR -> Rank.MODERATOR;
            case MEMBER -> Rank.MEMBER;
        }).orElse(Rank.NONE);
    }

    /**
     * Whether an actor of rank {@code actor} may do {@code action} to a target of rank {@code target}
     * ({@code null} for actions without a target); {@code self} when the target is the actor.
     */
    public static boolean allows(Rank actor, Action action, Rank target, boolean self) {
        switch (action) {
            case READ_AUDIT, SET_ROOM, PIN:
                return actor.atLeast(Rank.MODERATOR);
            case DELETE_ROOM:
                return actor.atLeast(Rank.OWNER);
            case EDIT_MESSAGE:
                // Moderators remove words (delete); they never put words in someone else's mouth.
                return self;
            case DELETE_MESSAGE:
                // Own messages are always the author's to delete; someone else's need a higher rank.
                return self || (actor.atLeast(Rank.MODERATOR) && actor.outranks(target));
            case KICK, BAN, UNBAN, MUTE, UNMUTE:
                return !self && actor.atLeast(Rank.MODERATOR) && actor.outranks(target);
            case SET_ROLE:
                // Between member and moderator only; the owner's role changes by a transfer.
                return !self && actor.atLeast(Rank.OWNER) && actor.outranks(target)
                        && (target == Rank.MODERATOR || target == Rank.MEMBER);
            case TRANSFER_OWNERSHIP:
                return !self && actor.atLeast(Rank.OWNER)
                        && (target == Rank.MODERATOR || target == Rank.MEMBER);
            default:
                throw new IllegalArgumentException("unknown action " + action);
        }
    }

    /** Whether {@code actor} may do {@code action}: never while banned, else as {@link #allows(Rank, Action, Rank, boolean)}. */
    public static boolean allows(Standing actor, Action action, Rank target, boolean self) {
        return !actor.banned() && allows(actor.rank(), action, target, self);
    }

    /**
     * Throws {@link BannedException} when a ban holds the actor, whatever the action (their own messages
     * included), else {@link ForbiddenException} unless the table allows it.
     */
    public static void check(Standing actor, Action action, Rank target, boolean self) {
        if (actor.banned()) {
            throw banned(actor.ban());
        }
        if (!allows(actor.rank(), action, target, self)) {
            throw new ForbiddenException(describe(actor.rank(), action, target, self));
        }
    }

    /** The refusal of a user whom {@code ban} holds out of its room, saying until when and why. */
    static BannedException banned(Restriction ban) {
        return new BannedException("You are banned from room " + ban.roomId()
                + (ban.until() == null ? "" : " until " + ban.until())
                + (ban.reason() == null ? "" : ": " + ban.reason()), ban.until());
    }

    private static String describe(Rank actor, Action action, Rank target, boolean self) {
        String what = action.name().toLowerCase(java.util.Locale.ROOT);
        if (action == Action.EDIT_MESSAGE) {
            return "Only its author may edit a message";
        }
        if (self && action != Action.DELETE_MESSAGE) {
            return "You cannot " + what + " yourself";
        }
        if (target == null) {
            return "A " + actor.name().toLowerCase(java.util.Locale.ROOT) + " may not " + what + " here";
        }
        return "A " + actor.name().toLowerCase(java.util.Locale.ROOT) + " may not " + what + " a "
                + target.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The member role a rank is stored as, for ranks that are stored. */
    static MemberRole role(Rank rank) {
        return switch (rank) {
            case OWNER -> MemberRole.OWNER;
            case MODERATOR -> MemberRole.MODERATOR;
            case MEMBER -> MemberRole.MEMBER;
            default -> throw new IllegalArgumentException(rank + " is not stored as a member role");
        };
    }
}
