package dev.webtalk.spi;

import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to a {@link ChatStore}. The engine's single writer collects these and hands a batch to
 * {@link ChatStore#apply}, which commits the whole batch at once (group commit).
 */
public sealed interface StoreWrite {

    /** Adds a new room. Fails the batch if the id is taken. */
    record CreateRoom(Room room) implements StoreWrite {
        public CreateRoom {
            Objects.requireNonNull(room, "room");
        }
    }

    /** Removes a room with all its members and messages. A missing room is not an error. */
    record DeleteRoom(RoomId roomId) implements StoreWrite {
        public DeleteRoom {
            Objects.requireNonNull(roomId, "roomId");
        }
    }

    /**
     * Adds a membership at the end of the join order, or replaces the one the same user already has in
     * that room, keeping its place. Fails the batch if the room does not exist.
     */
    record PutMember(Member member) implements StoreWrite {
        public PutMember {
            Objects.requireNonNull(member, "member");
        }
    }

    /** Ends a membership. A missing membership is not an error. */
    record RemoveMember(RoomId roomId, UserId userId) implements StoreWrite {
        public RemoveMember {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * Appends a message; its seq is the room's next one (the engine guarantees density). Fails the batch
     * if the room does not exist, the seq is taken, the author already used the message's
     * {@code clientMsgId} in that room, or another message already carries its attachment id.
     */
    record AppendMessage(Message message) implements StoreWrite {
        public AppendMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Soft-deletes a message: it becomes {@link Message#deleted(Instant) message.deleted(deletedAt)},
     * its text and attachment erased, its seq and client message id kept. Deleting it again keeps the first time. A
     * missing message is not an error.
     */
    record DeleteMessage(RoomId roomId, long seq, Instant deletedAt) implements StoreWrite {
        public DeleteMessage {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(deletedAt, "deletedAt");
        }
    }

    /**
     * Archives a room ({@code archivedAt} set) or brings it back ({@code archivedAt} {@code null}).
     * Archiving an archived room keeps the first time. A missing room is not an error.
     */
    record SetRoomArchived(RoomId roomId, Instant archivedAt) implements StoreWrite {
        public SetRoomArchived {
            Objects.requireNonNull(roomId, "roomId");
        }
    }

    /** Stores a server setting under {@code key}, replacing any earlier value; {@code null} removes it. */
    record PutSetting(String key, String value) implements StoreWrite {
        public PutSetting {
            Objects.requireNonNull(key, "key");
        }
    }
}
