package dev.webtalk.store.postgres;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one batch's {@link StoreWrite}s into SQL on its transaction's connection. The bulk of a batch
 * (message appends, their events, mentions and the authors' read markers) is queued as JDBC batches,
 * which the driver sends as a few multi-row INSERTs ({@code reWriteBatchedInserts}); {@link #flush} runs
 * them, and does so before any other write, so writes still run in order. Statements are prepared on
 * first use; the driver keeps them prepared on the connection across batches.
 *
 * <p>Not thread-safe: one per transaction, closed with it.
 */
final class BatchWriter implements AutoCloseable {

    private record MarkerKey(RoomId roomId, UserId userId) {
    }

    private final Connection c;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int queuedMessages;
    private int queuedEvents;
    private int queuedMentions;
    /**
     * Read markers waiting for the flush, one per reader: a multi-row upsert must not name a row twice,
     * and markers only move forward, so the highest wins.
     */
    private final Map<MarkerKey, Long> queuedMarkers = new LinkedHashMap<>();

    BatchWriter(Connection c) {
        this.c = c;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Executes one write, or queues it if it is an append; a constraint violation surfaces, here or from
     * {@link #flush}, as the SQLException that fails the batch.
     */
    void write(StoreWrite write) throws SQLException {
        if (write instanceof StoreWrite.AppendMessage w) {
            appendMessage(w.message());
            return;
        }
        if (write instanceof StoreWrite.AppendEvent w) {
            appendEvent(w.event());
            return;
        }
        if (write instanceof StoreWrite.PutReadMarker w) {
            queuedMarkers.merge(new MarkerKey(w.roomId(), w.userId()), w.seq(), Math::max);
            return;
        }
        flush();
        if (write instanceof StoreWrite.CreateRoom w) {
            createRoom(w.room());
        } else if (write instanceof StoreWrite.DeleteRoom w) {
            PreparedStatement ps = statement(Sql.DELETE_ROOM);
            for (int i = 1; i <= 3; i++) {
                Sql.setText(ps, i, w.roomId().value());
            }
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.PutMember w) {
            putMember(w.member());
        } else if (write instanceof StoreWrite.RemoveMember w) {
            update(Sql.REMOVE_MEMBER, w.roomId(), w.userId());
        } else if (write instanceof StoreWrite.DeleteMessage w) {
            PreparedStatement ps = statement(Sql.DELETE_MESSAGE);
            Sql.setInstant(ps, 1, w.deletedAt());
            Sql.setText(ps, 2, w.roomId().value());
            ps.setLong(3, w.seq());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.EditMessage w) {
            editMessage(w);
        } else if (write instanceof StoreWrite.PutReaction w) {
            PreparedStatement ps = statement(Sql.PUT_REACTION);
            Sql.setText(ps, 1, w.emoji());
            Sql.setText(ps, 2, w.userId().value());
            Sql.setInstant(ps, 3, w.at());
            Sql.setText(ps, 4, w.roomId().value());
            ps.setLong(5, w.seq());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.RemoveReaction w) {
            PreparedStatement ps = statement(Sql.REMOVE_REACTION);
            Sql.setText(ps, 1, w.roomId().value());
            ps.setLong(2, w.seq());
            Sql.setText(ps, 3, w.emoji());
            Sql.setText(ps, 4, w.userId().value());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.PutPin w) {
            PreparedStatement ps = statement(Sql.PUT_PIN);
            Sql.setText(ps, 1, w.pin().pinnedBy().value());
            Sql.setInstant(ps, 2, w.pin().pinnedAt());
            Sql.setText(ps, 3, w.pin().roomId().value());
            ps.setLong(4, w.pin().seq());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.RemovePin w) {
            PreparedStatement ps = statement(Sql.REMOVE_PIN);
            Sql.setText(ps, 1, w.roomId().value());
            ps.setLong(2, w.seq());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.SetRoomArchived w) {
            setArchived(w);
        } else if (write instanceof StoreWrite.PutSetting w) {
            putSetting(w);
        } else if (write instanceof StoreWrite.SetOwner w) {
            PreparedStatement ps = statement(Sql.SET_OWNER);
            Sql.setText(ps, 1, w.ownerId().value());
            Sql.setText(ps, 2, w.roomId().value());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.PutRestriction w) {
            putRestriction(w.restriction());
        } else if (write instanceof StoreWrite.RemoveRestriction w) {
            PreparedStatement ps = statement(Sql.REMOVE_RESTRICTION);
            Sql.setText(ps, 1, w.roomId().value());
            Sql.setText(ps, 2, w.userId().value());
            ps.setString(3, w.kind().name());
            ps.executeUpdate();
        } else if (write instanceof StoreWrite.AppendAudit w) {
            w.stored(appendAudit(w.entry()));
        } else if (write instanceof StoreWrite.PutRoomSettings w) {
            PreparedStatement ps = statement(Sql.PUT_ROOM_SETTINGS);
            Sql.setText(ps, 1, w.roomId().value());
            ps.setLong(2, w.settings().slowMode().toMillis());
            ps.setBoolean(3, w.settings().locked());
            Sql.setText(ps, 4, w.settings().topic());
            ps.executeUpdate();
        } else {
            throw new IllegalArgumentException("unknown store write: " + write);
        }
    }

    /** Runs the queued appends (messages first: an event or mention may name a message of the same run). */
    void flush() throws SQLException {
        if (queuedMessages > 0) {
            queuedMessages = 0;
            statement(Sql.INSERT_MESSAGE).executeBatch();
        }
        if (queuedMentions > 0) {
            queuedMentions = 0;
            statement(Sql.INSERT_MENTION).executeBatch();
        }
        if (!queuedMarkers.isEmpty()) {
            PreparedStatement ps = statement(Sql.PUT_READ_MARKER);
            for (Map.Entry<MarkerKey, Long> e : queuedMarkers.entrySet()) {
                Sql.setText(ps, 1, e.getKey().roomId().value());
                Sql.setText(ps, 2, e.getKey().userId().value());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            queuedMarkers.clear();
            ps.executeBatch();
        }
        if (queuedEvents > 0) {
            queuedEvents = 0;
            statement(Sql.INSERT_EVENT).executeBatch();
        }
    }

    private void appendMessage(Message m) throws SQLException {
        PreparedStatement ps = statement(Sql.INSERT_MESSAGE);
        Sql.setText(ps, 1, m.roomId().value());
        ps.setLong(2, m.seq());
        Sql.setText(ps, 3, m.authorId().value());
        Sql.setText(ps, 4, m.authorName());
        ps.setString(5, m.kind().name());
        Sql.setText(ps, 6, m.text());
        Sql.setText(ps, 7, m.clientMsgId());
        Sql.setInstant(ps, 8, m.createdAt());
        Sql.setInstant(ps, 9, m.deletedAt());
        Attachment a = m.attachment();
        Sql.setText(ps, 10, a == null ? null : a.id());
        Sql.setText(ps, 11, a == null ? null : a.name());
        Sql.setText(ps, 12, a == null ? null : a.mediaType());
        Sql.setNullableLong(ps, 13, a == null ? null : a.size());
        Sql.setInstant(ps, 14, m.editedAt());
        ps.setLong(15, m.replyTo());
        Sql.setArray(ps, 16, Sql.userIds(c, m.mentions()));
        ps.setBoolean(17, m.mentionsRoom());
        ps.addBatch();
        queuedMessages++;
        queueMentions(m.roomId(), m.seq(), m.mentions());
    }

    private void appendEvent(RoomEvent e) throws SQLException {
        PreparedStatement ps = statement(Sql.INSERT_EVENT);
        Sql.setText(ps, 1, e.roomId().value());
        ps.setLong(2, e.pos());
        ps.setString(3, e.kind().name());
        Sql.setInstant(ps, 4, e.at());
        ps.setLong(5, e.seq());
        Sql.setText(ps, 6, e.userId() == null ? null : e.userId().value());
        ps.addBatch();
        queuedEvents++;
    }

    private void queueMentions(RoomId room, long seq, List<UserId> users) throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        PreparedStatement ps = statement(Sql.INSERT_MENTION);
        for (UserId user : users) {
            Sql.setText(ps, 1, room.value());
            Sql.setText(ps, 2, user.value());
            ps.setLong(3, seq);
            ps.addBatch();
            queuedMentions++;
        }
    }

    private void createRoom(Room room) throws SQLException {
        PreparedStatement ps = statement(Sql.INSERT_ROOM);
        Sql.setText(ps, 1, room.id().value());
        Sql.setText(ps, 2, room.name());
        Sql.setText(ps, 3, room.ownerId().value());
        Sql.setText(ps, 4, room.passwordHash());
        Sql.setInstant(ps, 5, room.createdAt());
        ps.executeUpdate();
    }

    private void putMember(Member m) throws SQLException {
        PreparedStatement ps = statement(Sql.PUT_MEMBER);
        Sql.setText(ps, 1, m.roomId().value());
        Sql.setText(ps, 2, m.userId().value());
        Sql.setText(ps, 3, m.displayName());
        ps.setString(4, m.role().name());
        Sql.setInstant(ps, 5, m.joinedAt());
        ps.executeUpdate();
    }

    private void editMessage(StoreWrite.EditMessage w) throws SQLException {
        PreparedStatement save = statement(Sql.SAVE_EDIT);
        Sql.setInstant(save, 1, w.editedAt());
        Sql.setText(save, 2, w.roomId().value());
        save.setLong(3, w.seq());
        save.executeUpdate();
        PreparedStatement edit = statement(Sql.EDIT_MESSAGE);
        Sql.setText(edit, 1, w.text());
        Sql.setInstant(edit, 2, w.editedAt());
        Sql.setArray(edit, 3, Sql.userIds(c, w.mentions()));
        edit.setBoolean(4, w.mentionsRoom());
        Sql.setText(edit, 5, w.roomId().value());
        edit.setLong(6, w.seq());
        if (edit.executeUpdate() > 0) {
            update(Sql.ERASE_MENTIONS, w.roomId(), w.seq());
            queueMentions(w.roomId(), w.seq(), w.mentions()); // run by the next flush, like an append's
        }
    }

    private void setArchived(StoreWrite.SetRoomArchived w) throws SQLException {
        if (w.archivedAt() == null) {
            update(Sql.UNARCHIVE_ROOM, w.roomId());
        } else {
            PreparedStatement ps = statement(Sql.ARCHIVE_ROOM);
            Sql.setInstant(ps, 1, w.archivedAt());
            Sql.setText(ps, 2, w.roomId().value());
            ps.executeUpdate();
        }
    }

    private void putSetting(StoreWrite.PutSetting w) throws SQLException {
        if (w.value() == null) {
            PreparedStatement ps = statement(Sql.REMOVE_SETTING);
            Sql.setText(ps, 1, w.key());
            ps.executeUpdate();
        } else {
            PreparedStatement ps = statement(Sql.PUT_SETTING);
            Sql.setText(ps, 1, w.key());
            Sql.setText(ps, 2, w.value());
            ps.executeUpdate();
        }
    }

    private void putRestriction(Restriction r) throws SQLException {
        PreparedStatement ps = statement(Sql.PUT_RESTRICTION);
        Sql.setText(ps, 1, r.roomId().value());
        Sql.setText(ps, 2, r.userId().value());
        ps.setString(3, r.kind().name());
        Sql.setText(ps, 4, r.reason());
        Sql.setInstant(ps, 5, r.until());
        Sql.setText(ps, 6, r.actorId().value());
        Sql.setInstant(ps, 7, r.createdAt());
        Sql.setText(ps, 8, r.userName());
        ps.executeUpdate();
    }

    /** Inserts the entry and returns the id the database gave it. */
    private long appendAudit(AuditEntry e) throws SQLException {
        PreparedStatement ps = statement(Sql.INSERT_AUDIT);
        Sql.setText(ps, 1, e.roomId().value());
        Sql.setInstant(ps, 2, e.at());
        Sql.setText(ps, 3, e.actorId().value());
        Sql.setText(ps, 4, e.actorName());
        ps.setString(5, e.action().name());
        Sql.setText(ps, 6, e.targetId() == null ? null : e.targetId().value());
        Sql.setText(ps, 7, e.reason());
        Sql.setInstant(ps, 8, e.until());
        Sql.setNullableLong(ps, 9, e.seq());
        ps.setString(10, e.role() == null ? null : e.role().name());
        if (e.settings() == null) {
            ps.setNull(11, Types.BIGINT);
            ps.setNull(12, Types.BOOLEAN);
            ps.setNull(13, Types.VARCHAR);
        } else {
            ps.setLong(11, e.settings().slowMode().toMillis());
            ps.setBoolean(12, e.settings().locked());
            Sql.setText(ps, 13, e.settings().topic());
        }
        Sql.setText(ps, 14, e.targetName());
        try (java.sql.ResultSet id = ps.executeQuery()) {
            if (!id.next()) {
                throw new SQLException("INSERT … RETURNING id gave no row");
            }
            return id.getLong(1);
        }
    }

    /** Runs {@code sql} whose parameters are the room, then a user or a seq. */
    private void update(String sql, RoomId room, Object... more) throws SQLException {
        PreparedStatement ps = statement(sql);
        Sql.setText(ps, 1, room.value());
        for (int i = 0; i < more.length; i++) {
            if (more[i] instanceof UserId u) {
                Sql.setText(ps, 2 + i, u.value());
            } else {
                ps.setLong(2 + i, (Long) more[i]);
            }
        }
        ps.executeUpdate();
    }

    /** Closes the statements (the connection goes back to the pool, which keeps it). */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : statements.values()) {
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
