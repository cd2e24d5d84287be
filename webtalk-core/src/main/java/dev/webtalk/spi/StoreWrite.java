package dev.webtalk.spi;

import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Pin;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.time.Instant;
import java.util.List;
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
     * Appends a message; its seq is the room's next one (the engine's writer numbers it as it commits, so
     * seqs stay dense whatever fails). Fails the batch if the room does not exist, the seq is taken, the
     * author already used the message's {@code clientMsgId} in that room, or another message already
     * carries its attachment id. Its {@link RoomEvent.Kind#MESSAGE_POSTED} event is a separate
     * {@link AppendEvent} of the same batch.
     */
    record AppendMessage(Message message) implements StoreWrite {
        public AppendMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Appends an entry to the room's event stream at {@code event.pos()}, the room's next position (the
     * engine's writer numbers it as it commits). Fails the batch if the room does not exist or the
     * position is taken. Deleting the room deletes its stream.
     */
    record AppendEvent(RoomEvent event) implements StoreWrite {
        public AppendEvent {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Replaces a live message's text and mentions and sets its {@link Message#editedAt()}, keeping the
     * text it replaces as a {@link dev.webtalk.MessageEdit} (see {@link ChatStore#edits}). A missing or
     * deleted message is not an error: nothing changes.
     */
    record EditMessage(RoomId roomId, long seq, String text, Instant editedAt, List<UserId> mentions,
                       boolean mentionsRoom) implements StoreWrite {
        public EditMessage {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(editedAt, "editedAt");
            mentions = List.copyOf(mentions);
        }

        /** An edit that mentions nobody. */
        public EditMessage(RoomId roomId, long seq, String text, Instant editedAt) {
            this(roomId, seq, text, editedAt, List.of(), false);
        }
    }

    /**
     * Puts {@code emoji} from {@code userId} on a live message; again is not an error (the first time
     * stays). A missing or deleted message is not an error either: nothing changes. Deleting the
     * message removes its reactions.
     */
    record PutReaction(RoomId roomId, long seq, String emoji, UserId userId, Instant at) implements StoreWrite {
        public PutReaction {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(emoji, "emoji");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Takes {@code userId}'s {@code emoji} off a message. A missing one is not an error. */
    record RemoveReaction(RoomId roomId, long seq, String emoji, UserId userId) implements StoreWrite {
        public RemoveReaction {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(emoji, "emoji");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * Pins a live message to its room (pinning it again keeps the first pin). A missing or deleted
     * message is not an error: nothing changes. Deleting the message unpins it.
     */
    record PutPin(Pin pin) implements StoreWrite {
        public PutPin {
            Objects.requireNonNull(pin, "pin");
        }
    }

    /** Unpins a message. A missing pin is not an error. */
    record RemovePin(RoomId roomId, long seq) implements StoreWrite {
        public RemovePin {
            Objects.requireNonNull(roomId, "roomId");
        }
    }

    /**
     * Moves {@code userId}'s read marker in the room forward to {@code seq}; a marker already at or past
     * it stays. Fails the batch if the room does not exist; deleting the room deletes its markers.
     */
    record PutReadMarker(RoomId roomId, UserId userId, long seq) implements StoreWrite {
        public PutReadMarker {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(userId, "userId");
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be >= 0");
            }
        }
    }

    /**
     * Soft-deletes a message: it becomes {@link Message#deleted(Instant) message.deleted(deletedAt)},
     * its text, attachment, mentions and earlier texts ({@link ChatStore#edits}) erased and its reactions
     * and pin removed, its seq and client message id kept. Deleting it again keeps the first time. A missing message is not an error.
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

    /** Replaces the room's settings. Fails the batch if the room does not exist; deleting the room deletes them. */
    record PutRoomSettings(RoomId roomId, dev.webtalk.RoomSettings settings) implements StoreWrite {
        public PutRoomSettings {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Hands the room to another owner. A missing room is not an error. */
    record SetOwner(RoomId roomId, UserId ownerId) implements StoreWrite {
        public SetOwner {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(ownerId, "ownerId");
        }
    }

    /**
     * Stores a ban or mute, replacing the user's restriction of the same kind in that room. Fails the
     * batch if the room does not exist. Deleting the room deletes its restrictions.
     */
    record PutRestriction(Restriction restriction) implements StoreWrite {
        public PutRestriction {
            Objects.requireNonNull(restriction, "restriction");
        }
    }

    /** Lifts a ban or mute. A missing one is not an error. */
    record RemoveRestriction(RoomId roomId, UserId userId, Restriction.Kind kind) implements StoreWrite {
        public RemoveRestriction {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Appends an entry to the room's audit log; the store assigns its id (the entry's own id is ignored),
     * greater than every id before it in that room, and reports it with {@link #stored(long)} before
     * {@link ChatStore#apply} returns, so the engine can hand back the entry as stored. Fails the batch if
     * the room does not exist. Deleting the room deletes its log.
     *
     * <p>Not a record: besides its entry it carries the id the store gave it, written by the store on the
     * writer thread and read by the engine once the batch committed.
     */
    final class AppendAudit implements StoreWrite {
        private final AuditEntry entry;
        private volatile long storedId;

        public AppendAudit(AuditEntry entry) {
            this.entry = Objects.requireNonNull(entry, "entry");
        }

        /** The entry to append; its id is ignored. */
        public AuditEntry entry() {
            return entry;
        }

        /**
         * Called by the store, inside {@code apply}, with the id it gave the entry. A batch that is tried
         * again after a failure reports again; the last report is the one that holds.
         *
         * @throws IllegalArgumentException if {@code id < 1}
         */
        public void stored(long id) {
            if (id < 1) {
                throw new IllegalArgumentException("an audit id is >= 1, was " + id);
            }
            this.storedId = id;
        }

        /** The entry with the id the store reported, or with id {@code 0} while none was reported. */
        public AuditEntry storedEntry() {
            return entry.withId(storedId);
        }

        @Override
        public String toString() {
            return "AppendAudit[entry=" + entry + "]";
        }
    }
}
