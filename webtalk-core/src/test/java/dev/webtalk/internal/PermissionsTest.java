package dev.webtalk.internal;

import dev.webtalk.BannedException;
import dev.webtalk.ForbiddenException;
import dev.webtalk.Restriction;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.internal.Permissions.Action;
import dev.webtalk.internal.Permissions.Rank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The permission table of docs/MODERATION.md, written out here independently of the code: every actor
 * rank × action × target rank (and "self"). A change to the policy must change this table and the doc.
 * Across the whole table, a ban outweighs the rank: a banned actor is refused everything with {@code banned}.
 */
class PermissionsTest {
    /** Columns: target OWNER, MODERATOR, MEMBER, NONE, and the actor acting on themselves. */
    private static final String TABLE = """
            DELETE_MESSAGE      ADMIN      y y y y y
            DELETE_MESSAGE      OWNER      n y y y y
            DELETE_MESSAGE      MODERATOR  n n y y y
            DELETE_MESSAGE      MEMBER     n n n n y
            DELETE_MESSAGE      NONE       n n n n y
            EDIT_MESSAGE        ADMIN      n n n n y
            EDIT_MESSAGE        OWNER      n n n n y
            EDIT_MESSAGE        MODERATOR  n n n n y
            EDIT_MESSAGE        MEMBER     n n n n y
            EDIT_MESSAGE        NONE       n n n n y
            KICK                ADMIN      y y y y n
            KICK                OWNER      n y y y n
            KICK                MODERATOR  n n y y n
            KICK                MEMBER     n n n n n
            KICK                NONE       n n n n n
            BAN                 ADMIN      y y y y n
            BAN                 OWNER      n y y y n
            BAN                 MODERATOR  n n y y n
            BAN                 MEMBER     n n n n n
            BAN                 NONE       n n n n n
            UNBAN               ADMIN      y y y y n
            UNBAN               OWNER      n y y y n
            UNBAN               MODERATOR  n n y y n
            UNBAN               MEMBER     n n n n n
            UNBAN               NONE       n n n n n
            MUTE                ADMIN      y y y y n
            MUTE                OWNER      n y y y n
            MUTE                MODERATOR  n n y y n
            MUTE                MEMBER     n n n n n
            MUTE                NONE       n n n n n
            UNMUTE              ADMIN      y y y y n
            UNMUTE              OWNER      n y y y n
            UNMUTE              MODERATOR  n n y y n
            UNMUTE              MEMBER     n n n n n
            UNMUTE              NONE       n n n n n
            SET_ROLE            ADMIN      n y y n n
            SET_ROLE            OWNER      n y y n n
            SET_ROLE            MODERATOR  n n n n n
            SET_ROLE            MEMBER     n n n n n
            SET_ROLE            NONE       n n n n n
            TRANSFER_OWNERSHIP  ADMIN      n y y n n
            TRANSFER_OWNERSHIP  OWNER      n y y n n
            TRANSFER_OWNERSHIP  MODERATOR  n n n n n
            TRANSFER_OWNERSHIP  MEMBER     n n n n n
            TRANSFER_OWNERSHIP  NONE       n n n n n
            """;

    /** Actions without a target: one column. */
    private static final String UNTARGETED = """
            READ_AUDIT   ADMIN y
            READ_AUDIT   OWNER y
            READ_AUDIT   MODERATOR y
            READ_AUDIT   MEMBER n
            READ_AUDIT   NONE n
            DELETE_ROOM  ADMIN y
            DELETE_ROOM  OWNER y
            DELETE_ROOM  MODERATOR n
            DELETE_ROOM  MEMBER n
            DELETE_ROOM  NONE n
            SET_ROOM     ADMIN y
            SET_ROOM     OWNER y
            SET_ROOM     MODERATOR y
            SET_ROOM     MEMBER n
            SET_ROOM     NONE n
            PIN          ADMIN y
            PIN          OWNER y
            PIN          MODERATOR y
            PIN          MEMBER n
            PIN          NONE n
            """;

    private static final Rank[] TARGETS = {Rank.OWNER, Rank.MODERATOR, Rank.MEMBER, Rank.NONE};
    private static final Restriction BAN = new Restriction(RoomId.of("General1"), UserId.of("u-ana"),
            Restriction.Kind.BAN, "abuse", null, UserId.of("admin-1"), Instant.EPOCH);

    static Stream<Arguments> targeted() {
        List<Arguments> cases = new ArrayList<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            Action action = Action.valueOf(f[0]);
            Rank actor = Rank.valueOf(f[1]);
            for (int i = 0; i < TARGETS.length; i++) {
                cases.add(Arguments.of(actor, action, TARGETS[i], false, f[2 + i].equals("y")));
            }
            // Acting on oneself: the target's rank is the actor's own.
            Rank selfRank = actor == Rank.ADMIN ? Rank.NONE : actor;
            cases.add(Arguments.of(actor, action, selfRank, true, f[6].equals("y")));
        }
        return cases.stream();
    }

    static Stream<Arguments> untargeted() {
        return UNTARGETED.strip().lines().map(l -> l.trim().split("\\s+"))
                .map(f -> Arguments.of(Rank.valueOf(f[1]), Action.valueOf(f[0]), f[2].equals("y")));
    }

    @ParameterizedTest(name = "{0} {1} {2} self={3} -> {4}")
    @MethodSource("targeted")
    void targetedActionsFollowTheTable(Rank actor, Action action, Rank target, boolean self, boolean allowed) {
        assertEquals(allowed, Permissions.allows(actor, action, target, self));
        Permissions.Standing standing = Permissions.Standing.of(actor);
        if (allowed) {
            assertDoesNotThrow(() -> Permissions.check(standing, action, target, self));
        } else {
            assertThrows(ForbiddenException.class, () -> Permissions.check(standing, action, target, self));
        }
    }

    /** MODERATION.md: every action of a banned user is answered {@code banned}, an owner's included. */
    @ParameterizedTest(name = "banned {0} {1} {2} self={3}")
    @MethodSource("targeted")
    void aBanRefusesEveryTargetedAction(Rank actor, Action action, Rank target, boolean self, boolean allowedUnbanned) {
        Permissions.Standing banned = new Permissions.Standing(actor, BAN);
        if (actor == Rank.ADMIN) {
            assertFalse(banned.banned(), "bans never hold admins");
            assertEquals(allowedUnbanned, Permissions.allows(banned, action, target, self));
            return;
        }
        assertFalse(Permissions.allows(banned, action, target, self));
        BannedException refused = assertThrows(BannedException.class,
                () -> Permissions.check(banned, action, target, self));
        assertEquals("You are banned from room General1: abuse", refused.getMessage());
    }

    @ParameterizedTest(name = "banned {0} {1}")
    @MethodSource("untargeted")
    void aBanRefusesEveryUntargetedAction(Rank actor, Action action, boolean allowedUnbanned) {
        Permissions.Standing banned = new Permissions.Standing(actor, BAN);
        if (actor == Rank.ADMIN) {
            assertEquals(allowedUnbanned, Permissions.allows(banned, action, null, false));
            return;
        }
        assertFalse(Permissions.allows(banned, action, null, false));
        assertThrows(BannedException.class, () -> Permissions.check(banned, action, null, false));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("untargeted")
    void untargetedActionsFollowTheTable(Rank actor, Action action, boolean allowed) {
        assertEquals(allowed, Permissions.allows(actor, action, null, false));
    }

    @Test
    void theTablesCoverEveryActionAndEveryActor() {
        Map<Action, Set<Rank>> seen = new LinkedHashMap<>();
        Stream.concat(TABLE.strip().lines(), UNTARGETED.strip().lines())
                .map(l -> l.trim().split("\\s+"))
                .forEach(f -> seen.computeIfAbsent(Action.valueOf(f[0]), a -> EnumSet.noneOf(Rank.class))
                        .add(Rank.valueOf(f[1])));
        assertEquals(EnumSet.allOf(Action.class), seen.keySet().isEmpty() ? Set.of() : EnumSet.copyOf(seen.keySet()));
        seen.forEach((action, actors) -> assertEquals(EnumSet.allOf(Rank.class), actors, action.name()));
    }
}
