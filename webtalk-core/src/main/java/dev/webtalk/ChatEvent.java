package dev.webtalk;

import java.util.Objects;

/**
 * Something that happened in a room, as a {@link dev.webtalk.spi.ChatListener} sees it. Every event is
 * published after the change was stored (presence changes are not stored, and are published when they
 * take effect).
 */
public sealed interface ChatEvent {
    /** The room it happened in. */
    RoomId roomId();

    /** A room was created. */
    record RoomCreated(Room room) implements ChatEvent {
        public RoomCreated {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public RoomId roomId() {
            return room.id();
        }
    }

    /** A room was deleted by {@code actorId}. */
    record RoomDeleted(RoomId roomId, UserId actorId) implements ChatEvent {
        public RoomDeleted {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(actorId, "actorId");
        }
    }

    /** A message (text or file) was stored and sent to the room. */
    record MessagePosted(Message message) implements ChatEvent {
        public MessagePosted {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public RoomId roomId() {
            return message.roomId();
        }
    }

    /**
     * A message's author replaced its text; {@code message} is the edited form, {@code previousText} the
     * text it replaced.
     */
    record MessageEdited(Message message, String previousText) implements ChatEvent {
        public MessageEdited {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(previousText, "previousText");
        }

        @Override
        public RoomId roomId() {
            return message.roomId();
        }
    }

    /** {@code userId} put ({@code added}) or took off their {@code emoji} on message {@code seq}. */
    record Reacted(RoomId roomId, long seq, String emoji, UserId userId, boolean added) implements ChatEvent {
        public Reacted {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(emoji, "emoji");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /** {@code actorId} pinned ({@code pinned}) or unpinned message {@code seq}. */
    record Pinned(RoomId roomId, long seq, UserId actorId, boolean pinned) implements ChatEvent {
        public Pinned {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(actorId, "actorId");
        }
    }

    /** A message was deleted by {@code actorId} (its author or a moderator); {@code message} is the deleted form. */
    record MessageDeleted(Message message, UserId actorId) implements ChatEvent {
        public MessageDeleted {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(actorId, "actorId");
        }

        @Override
        public RoomId roomId() {
            return message.roomId();
        }
    }

    /** A user became present in a room (their first connection there). */
    record MemberJoined(Member member) implements ChatEvent {
        public MemberJoined {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public RoomId roomId() {
            return member.roomId();
        }
    }

    /**
     * A user stopped being present: {@code reason} is {@code left}, {@code disconnected}, {@code kicked} or
     * {@code banned}.
     */
    record MemberLeft(Member member, String reason) implements ChatEvent {
        public MemberLeft {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public RoomId roomId() {
            return member.roomId();
        }
    }

    /** A moderation action was taken; the entry is the one written to the audit log. */
    record Moderated(AuditEntry entry) implements ChatEvent {
        public Moderated {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public RoomId roomId() {
            return entry.roomId();
        }
    }
}
