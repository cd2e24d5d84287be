package dev.webtalk.internal;

import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.ModerationAction;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds, from the store, the pushes a node sent for one of its events: what a node applies for a
 * publication of another node that never reached it. The store holds every event's subject in its
 * current state, so a message shows as it is now (edited or deleted since), as a resume would show it.
 * Events whose pushes are about presence (a member left) or none at all (a member joined, the room
 * archived) rebuild to nothing: the receiving node's own state change covers them.
 */
final class Renderer {
    /** Audit entries searched, newest first, for the one a moderation event recorded. */
    private static final int AUDIT_SEARCH = 200;

    private Renderer() {
    }

    static List<Relayed.Push> pushes(Engine engine, Room room, RoomEvent event) {
        ChatStore store = engine.store();
        List<Relayed.Push> pushes = new ArrayList<>(1);
        switch (event.kind()) {
            case MESSAGE_POSTED -> message(store, event).ifPresent(m -> pushes.add(toAll(
                    engine.codec().messagePush(m, event.pos(), Views.shared(store, m)))));
            case MESSAGE_EDITED -> message(store, event).ifPresent(m -> pushes.add(toAll(
                    engine.codec().messageEdited(m, event.pos(), Views.shared(store, m)))));
            case MESSAGE_DELETED -> message(store, event).ifPresent(m -> pushes.add(toAll(
                    engine.codec().messageDeleted(m, event.pos(), Views.shared(store, m)))));
            case MESSAGE_PINNED, MESSAGE_UNPINNED -> message(store, event).ifPresent(m -> pushes.add(toAll(
                    engine.codec().pinnedPush(m, event.pos(), event.kind() == RoomEvent.Kind.MESSAGE_PINNED,
                            Principal.user(event.userId().value(), nameOf(store, room, event.userId())),
                            Views.shared(store, m)))));
            case SETTINGS_CHANGED -> pushes.add(toAll(engine.codec().roomUpdated(room.id().value(),
                    store.roomSettings(room.id()), event.pos())));
            case MEMBER_KICKED, MEMBER_BANNED, MEMBER_UNBANNED, MEMBER_MUTED, MEMBER_UNMUTED, MEMBER_ROLE_CHANGED,
                    OWNER_CHANGED -> audit(store, event).ifPresent(entry -> pushes.add(toAll(
                    engine.codec().moderation(entry, nameOf(store, room, event.userId()), event.pos()))));
            default -> {
                // reactions are gathered by the receiving node; joins, leaves and archiving push nothing here
            }
        }
        return pushes;
    }

    private static Relayed.Push toAll(dev.webtalk.spi.OutboundFrame frame) {
        return new Relayed.Push(frame, false);
    }

    private static Optional<Message> message(ChatStore store, RoomEvent event) {
        return store.message(event.roomId(), event.seq());
    }

    /** The audit entry the moderation {@code event} was committed with: same action, target and time. */
    private static Optional<AuditEntry> audit(ChatStore store, RoomEvent event) {
        ModerationAction action = switch (event.kind()) {
            case MEMBER_KICKED -> ModerationAction.KICK;
            case MEMBER_BANNED -> ModerationAction.BAN;
            case MEMBER_UNBANNED -> ModerationAction.UNBAN;
            case MEMBER_MUTED -> ModerationAction.MUTE;
            case MEMBER_UNMUTED -> ModerationAction.UNMUTE;
            case MEMBER_ROLE_CHANGED -> ModerationAction.SET_ROLE;
            case OWNER_CHANGED -> ModerationAction.TRANSFER_OWNERSHIP;
            default -> throw new IllegalArgumentException("not a moderation event: " + event);
        };
        long at = event.at().toEpochMilli();
        return store.audit(event.roomId(), Long.MAX_VALUE, AUDIT_SEARCH).stream()
                .filter(e -> e.action() == action && event.userId().equals(e.targetId()) && e.at().toEpochMilli() == at)
                .findFirst();
    }

    /** A user's name as the room knows it, or their id when the room no longer does. */
    private static String nameOf(ChatStore store, Room room, UserId user) {
        return store.member(room.id(), user).map(Member::displayName).orElse(user.value());
    }
}
