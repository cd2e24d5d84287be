package dev.webtalk.store.sqlite;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.spi.StoreWrite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Turns {@link StoreWrite}s into SQL on the write connection. The statements are prepared once and
 * reused for every batch, since a batch may hold hundreds of writes. Consecutive message appends, the
 * bulk of every batch, are queued as one JDBC batch and run by {@link #flush}, which any other write
 * does first, so writes still run in order. Not thread-safe: the store calls it under its write lock,
 * inside a transaction it manages, and calls {@link #flush} before committing.
 */
final class BatchWriter implements AutoCloseable {
    private final PreparedStatement insertRoom;
    private final PreparedStatement deleteRoom;
    private final PreparedStatement putMember;
    private final PreparedStatement removeMember;
    private final PreparedStatement insertMessage;
    private final PreparedStatement deleteMessage;
    private final PreparedStatement archiveRoom;
    private final PreparedStatement unarchiveRoom;
    private final PreparedStatement putSetting;
    private final PreparedStatement removeSetting;
    private int queuedAppends;
    private final PreparedStatement setOwner;
    private final PreparedStatement putRestriction;
    private final PreparedStatement removeRestriction;
    private final PreparedStatement insertAudit;
    private final PreparedStatement putRoomSettings;
    private final PreparedStatement insertEvent;
    private final PreparedStatement saveEdit;
    private final PreparedStatement editMessage;
    private final PreparedStatement[] eraseWithMessage;
    private final PreparedStatement insertMention;
    private final PreparedStatement eraseMentions;
    private final PreparedStatement putReaction;
    private final PreparedStatement removeReaction;
    private final PreparedStatement putPin;
    private final PreparedStatement removePin;
    private final PreparedStatement putReadMarker;
    private final PreparedStatement countReaction;
    private final PreparedStatement uncountReaction;
    private final PreparedStatement dropZeroCount;
    private int queuedEvents;
    private int queuedMentions;
    private int queuedReadMarkers;

    BatchWriter(Connection c) throws SQLException {
        insertRoom = c.prepareStatement(Sql.INSERT_ROOM);
        deleteRoom = c.prepareStatement(Sql.DELETE_ROOM);
        putMember = c.prepareStatement(Sql.PUT_MEMBER);
        removeMember = c.prepareStatement(Sql.REMOVE_MEMBER);
        insertMessage = c.prepareStatement(Sql.INSERT_MESSAGE);
        deleteMessage = c.prepareStatement(Sql.DELETE_MESSAGE);
        archiveRoom = c.prepareStatement(Sql.ARCHIVE_ROOM);
        unarchiveRoom = c.prepareStatement(Sql.UNARCHIVE_ROOM);
        putSetting = c.prepareStatement(Sql.PUT_SETTING);
        removeSetting = c.prepareStatement(Sql.REMOVE_SETTING);
        setOwner = c.prepareStatement(Sql.SET_OWNER);
        putRestriction = c.prepareStatement(Sql.PUT_RESTRICTION);
        removeRestriction = c.prepareStatement(Sql.REMOVE_RESTRICTION);
        insertAudit = c.prepareStatement(Sql.INSERT_AUDIT);
        putRoomSettings = c.prepareStatement(Sql.PUT_ROOM_SETTINGS);
        insertEvent = c.prepareStatement(Sql.INSERT_EVENT);
        saveEdit = c.prepareStatement(Sql.SAVE_EDIT);
        editMessage = c.prepareStatement(Sql.EDIT_MESSAGE);
        eraseWithMessage = new PreparedStatement[Sql.ERASE_WITH_MESSAGE.length];
        for (int i = 0; i < eraseWithMessage.length; i++) {
            eraseWithMessage[i] = c.prepareStatement(Sql.ERASE_WITH_MESSAGE[i]);
        }
        insertMention = c.prepareStatement(Sql.INSERT_MENTION);
        eraseMentions = c.prepareStatement(Sql.ERASE_MENTIONS);
        putReaction = c.prepareStatement(Sql.PUT_REACTION);
        removeReaction = c.prepareStatement(Sql.REMOVE_REACTION);
        putPin = c.prepareStatement(Sql.PUT_PIN);
        removePin = c.prepareStatement(Sql.REMOVE_PIN);
        putReadMarker = c.prepareStatement(Sql.PUT_READ_MARKER);
        countReaction = c.prepareStatement(Sql.COUNT_REACTION);
        uncountReaction = c.prepareStatement(Sql.UNCOUNT_REACTION);
        dropZeroCount = c.prepareStatement(Sql.DROP_ZERO_COUNT);
    }

    /**
     * Executes one write, or queues it if it is an append; a constraint violation surfaces, here or
     * from {@link #flush}, as the SQLException that fails the batch.
     */
    void write(StoreWrite write) throws SQLException {
        if (write instanceof StoreWrite.AppendMessage w) {
            // One executeBatch per run of appends instead of one executeUpdate per message: the driver
            // skips its per-statement bookkeeping (auto-commit checks, change counts), which cost
            // about a third of the CPU per append (docs/PERFORMANCE.md).
            bindMessage(w.message());
            insertMessage.addBatch();
            queuedAppends++;
            queueMentions(w.message().roomId(), w.message().seq(), w.message().mentions());
            return;
        }
        if (write instanceof StoreWrite.PutReadMarker w) {
            // Every message moves its author's marker: batched with the appends, for the same reason.
            putReadMarker.setString(1, w.roomId().value());
            putReadMarker.setString(2, w.userId().value());
            putReadMarker.setLong(3, w.seq());
            putReadMarker.addBatch();
            queuedReadMarkers++;
            return;
        }
        if (write instanceof StoreWrite.AppendEvent w) {
            // Every message append comes with its event: batched the same way, for the same reason.
            bindEvent(w.event());
            insertEvent.addBatch();
            queuedEvents++;
            return;
        }
        flush();
        if (write instanceof StoreWrite.CreateRoom w) {
            createRoom(w.room());
        } else if (write instanceof StoreWrite.DeleteRoom w) {
            deleteRoom.setString(1, w.roomId().value());
            deleteRoom.executeUpdate();
        } else if (write instanceof StoreWrite.PutMember w) {
            putMember(w.member());
        } else if (write instanceof StoreWrite.RemoveMember w) {
            removeMember.setString(1, w.roomId().value());
            removeMember.setString(2, w.userId().value());
            removeMember.executeUpdate();
        } else if (write instanceof StoreWrite.DeleteMessage w) {
            deleteMessage.setLong(1, w.deletedAt().toEpochMilli());
            deleteMessage.setString(2, w.roomId().value());
            deleteMessage.setLong(3, w.seq());
            if (deleteMessage.executeUpdate() > 0) {
                for (PreparedStatement erase : eraseWithMessage) {
                    erase.setString(1, w.roomId().value());
                    erase.setLong(2, w.seq());
                    erase.executeUpdate();
                }
            }
        } else if (write instanceof StoreWrite.EditMessage w) {
            editMessage(w);
        } else if (write instanceof StoreWrite.PutReaction w) {
            putReaction.setString(1, w.emoji());
            putReaction.setString(2, w.userId().value());
            putReaction.setLong(3, w.at().toEpochMilli());
            putReaction.setString(4, w.roomId().value());
            putReaction.setLong(5, w.seq());
            if (putReaction.executeUpdate() > 0) {
                countReaction.setString(1, w.roomId().value());
                countReaction.setLong(2, w.seq());
                countReaction.setString(3, w.emoji());
                countReaction.setLong(4, w.at().toEpochMilli());
                countReaction.executeUpdate();
            }
        } else if (write instanceof StoreWrite.RemoveReaction w) {
            removeReaction.setString(1, w.roomId().value());
            removeReaction.setLong(2, w.seq());
            removeReaction.setString(3, w.emoji());
            removeReaction.setString(4, w.userId().value());
            if (removeReaction.executeUpdate() > 0) {
                for (PreparedStatement ps : new PreparedStatement[] {uncountReaction, dropZeroCount}) {
                    ps.setString(1, w.roomId().value());
                    ps.setLong(2, w.seq());
                    ps.setString(3, w.emoji());
                    ps.executeUpdate();
                }
            }
        } else if (write instanceof StoreWrite.PutPin w) {
            putPin.setString(1, w.pin().pinnedBy().value());
            putPin.setLong(2, w.pin().pinnedAt().toEpochMilli());
            putPin.setString(3, w.pin().roomId().value());
            putPin.setLong(4, w.pin().seq());
            putPin.executeUpdate();
        } else if (write instanceof StoreWrite.RemovePin w) {
            removePin.setString(1, w.roomId().value());
            removePin.setLong(2, w.seq());
            removePin.executeUpdate();

        } else if (write instanceof StoreWrite.SetRoomArchived w) {
            setArchived(w);
        } else if (write instanceof StoreWrite.PutSetting w) {
            putSetting(w);
        } else if (write instanceof StoreWrite.SetOwner w) {
            setOwner.setString(1, w.ownerId().value());
            setOwner.setString(2, w.roomId().value());
            setOwner.executeUpdate();
        } else if (write instanceof StoreWrite.PutRestriction w) {
            putRestriction(w.restriction());
        } else if (write instanceof StoreWrite.RemoveRestriction w) {
            removeRestriction.setString(1, w.roomId().value());
            removeRestriction.setString(2, w.userId().value());
            removeRestriction.setString(3, w.kind().name());
            removeRestriction.executeUpdate();
        } else if (write instanceof StoreWrite.AppendAudit w) {
            w.stored(appendAudit(w.entry()));
        } else if (write instanceof StoreWrite.PutRoomSettings w) {
            putRoomSettings.setString(1, w.roomId().value());
            putRoomSettings.setLong(2, w.settings().slowMode().toMillis());
            putRoomSettings.setInt(3, w.settings().locked() ? 1 : 0);
            setNullableString(putRoomSettings, 4, w.settings().topic());
            putRoomSettings.executeUpdate();
        } else {
            throw new IllegalArgumentException("unknown store write: " + write);
        }
    }

    private void createRoom(Room room) throws SQLException {
        insertRoom.setString(1, room.id().value());
        insertRoom.setString(2, room.name());
        insertRoom.setString(3, room.ownerId().value());
        setNullableString(insertRoom, 4, room.passwordHash());
        insertRoom.setLong(5, room.createdAt().toEpochMilli());
        insertRoom.executeUpdate();
    }

    private void putMember(Member m) throws SQLException {
        putMember.setString(1, m.roomId().value());
        putMember.setString(2, m.userId().value());
        putMember.setString(3, m.displayName());
        putMember.setString(4, m.role().name());
        putMember.setLong(5, m.joinedAt().toEpochMilli());
        putMember.setString(6, m.roomId().value());
        putMember.executeUpdate();
    }

    private void editMessage(StoreWrite.EditMessage w) throws SQLException {
        saveEdit.setLong(1, w.editedAt().toEpochMilli());
        saveEdit.setString(2, w.roomId().value());
        saveEdit.setLong(3, w.seq());
        saveEdit.executeUpdate();
        editMessage.setString(1, w.text());
        editMessage.setLong(2, w.editedAt().toEpochMilli());
        setNullableString(editMessage, 3, Sql.mentionsColumn(w.mentions()));
        editMessage.setInt(4, w.mentionsRoom() ? 1 : 0);
        editMessage.setString(5, w.roomId().value());
        editMessage.setLong(6, w.seq());
        if (editMessage.executeUpdate() > 0) {
            eraseMentions.setString(1, w.roomId().value());
            eraseMentions.setLong(2, w.seq());
            eraseMentions.executeUpdate();
            queueMentions(w.roomId(), w.seq(), w.mentions()); // run by the next flush, like an append's
        }
    }

    private void queueMentions(dev.webtalk.RoomId room, long seq, java.util.List<dev.webtalk.UserId> users) throws SQLException {
        for (dev.webtalk.UserId user : users) {
            insertMention.setString(1, room.value());
            insertMention.setString(2, user.value());
            insertMention.setLong(3, seq);
            insertMention.addBatch();
            queuedMentions++;
        }
    }

    /** Runs the queued appends (messages first: an event may name a message of the same run). */
    void flush() throws SQLException {
        if (queuedAppends > 0) {
            queuedAppends = 0;
            insertMessage.executeBatch();
        }
        if (queuedMentions > 0) {
            queuedMentions = 0;
            insertMention.executeBatch();
        }
        if (queuedReadMarkers > 0) {
            queuedReadMarkers = 0;
            putReadMarker.executeBatch();
        }
        if (queuedEvents > 0) {
            queuedEvents = 0;
            insertEvent.executeBatch();
        }
    }

    /** Forgets queued appends after a failed batch, so none of them leaks into the next one. */
    void discard(Throwable failure) {
        queuedAppends = 0;
        queuedEvents = 0;
        queuedMentions = 0;
        queuedReadMarkers = 0;
        for (PreparedStatement ps : new PreparedStatement[] {insertMessage, insertEvent, insertMention, putReadMarker}) {
            try {
                ps.clearBatch();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void bindEvent(RoomEvent e) throws SQLException {
        insertEvent.setString(1, e.roomId().value());
        insertEvent.setLong(2, e.pos());
        insertEvent.setString(3, e.kind().name());
        insertEvent.setLong(4, e.at().toEpochMilli());
        insertEvent.setLong(5, e.seq());
        setNullableString(insertEvent, 6, e.userId() == null ? null : e.userId().value());
    }

    private void bindMessage(Message m) throws SQLException {
        insertMessage.setString(1, m.roomId().value());
        insertMessage.setLong(2, m.seq());
        insertMessage.setString(3, m.authorId().value());
        insertMessage.setString(4, m.authorName());
        insertMessage.setString(5, m.kind().name());
        setNullableString(insertMessage, 6, m.text());
        setNullableString(insertMessage, 7, m.clientMsgId());
        insertMessage.setLong(8, m.createdAt().toEpochMilli());
        if (m.deletedAt() == null) {
            insertMessage.setNull(9, Types.INTEGER);
        } else {
            insertMessage.setLong(9, m.deletedAt().toEpochMilli());
        }
        Attachment a = m.attachment();
        setNullableString(insertMessage, 10, a == null ? null : a.id());
        setNullableString(insertMessage, 11, a == null ? null : a.name());
        setNullableString(insertMessage, 12, a == null ? null : a.mediaType());
        if (a == null) {
            insertMessage.setNull(13, Types.INTEGER);
        } else {
            insertMessage.setLong(13, a.size());
        }
        setNullableInstant(insertMessage, 14, m.editedAt());
        insertMessage.setLong(15, m.replyTo());
        setNullableString(insertMessage, 16, Sql.mentionsColumn(m.mentions()));
        insertMessage.setInt(17, m.mentionsRoom() ? 1 : 0);
    }

    private void setArchived(StoreWrite.SetRoomArchived w) throws SQLException {
        if (w.archivedAt() == null) {
            unarchiveRoom.setString(1, w.roomId().value());
            unarchiveRoom.executeUpdate();
        } else {
            archiveRoom.setLong(1, w.archivedAt().toEpochMilli());
            archiveRoom.setString(2, w.roomId().value());
            archiveRoom.executeUpdate();
        }
    }

    private void putSetting(StoreWrite.PutSetting w) throws SQLException {
        if (w.value() == null) {
            removeSetting.setString(1, w.key());
            removeSetting.executeUpdate();
        } else {
            putSetting.setString(1, w.key());
            putSetting.setString(2, w.value());
            putSetting.executeUpdate();
        }
    }

    private void putRestriction(Restriction r) throws SQLException {
        putRestriction.setString(1, r.roomId().value());
        putRestriction.setString(2, r.userId().value());
        putRestriction.setString(3, r.kind().name());
        setNullableString(putRestriction, 4, r.reason());
        setNullableInstant(putRestriction, 5, r.until());
        putRestriction.setString(6, r.actorId().value());
        putRestriction.setLong(7, r.createdAt().toEpochMilli());
        setNullableString(putRestriction, 8, r.userName());
        putRestriction.executeUpdate();
    }

    /** Inserts the entry and returns the id SQLite gave it (the rowid). */
    private long appendAudit(AuditEntry e) throws SQLException {
        insertAudit.setString(1, e.roomId().value());
        insertAudit.setLong(2, e.at().toEpochMilli());
        insertAudit.setString(3, e.actorId().value());
        insertAudit.setString(4, e.actorName());
        insertAudit.setString(5, e.action().name());
        setNullableString(insertAudit, 6, e.targetId() == null ? null : e.targetId().value());
        setNullableString(insertAudit, 7, e.reason());
        setNullableInstant(insertAudit, 8, e.until());
        if (e.seq() == null) {
            insertAudit.setNull(9, Types.INTEGER);
        } else {
            insertAudit.setLong(9, e.seq());
        }
        setNullableString(insertAudit, 10, e.role() == null ? null : e.role().name());
        if (e.settings() == null) {
            insertAudit.setNull(11, Types.INTEGER);
            insertAudit.setNull(12, Types.INTEGER);
            insertAudit.setNull(13, Types.VARCHAR);
        } else {
            insertAudit.setLong(11, e.settings().slowMode().toMillis());
            insertAudit.setInt(12, e.settings().locked() ? 1 : 0);
            setNullableString(insertAudit, 13, e.settings().topic());
        }
        setNullableString(insertAudit, 14, e.targetName());
        try (ResultSet id = insertAudit.executeQuery()) {
            if (!id.next()) {
                throw new SQLException("INSERT INTO audit returned no id");
            }
            return id.getLong(1);
        }
    }

    private static void setNullableInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : new PreparedStatement[] {
                insertRoom, deleteRoom, putMember, removeMember, insertMessage, deleteMessage,
                archiveRoom, unarchiveRoom, putSetting, removeSetting, setOwner, putRestriction, removeRestriction,
                insertAudit, putRoomSettings, insertEvent, saveEdit, editMessage, insertMention, eraseMentions,
                putReaction, removeReaction, putPin, removePin, putReadMarker, countReaction, uncountReaction,
                dropZeroCount, eraseWithMessage[0], eraseWithMessage[1], eraseWithMessage[2], eraseWithMessage[3],
                eraseWithMessage[4]}) {
            try {
                ps.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
