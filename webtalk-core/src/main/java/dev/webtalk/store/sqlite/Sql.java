package dev.webtalk.store.sqlite;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.Pin;
import dev.webtalk.MessageKind;
import dev.webtalk.ModerationAction;
import dev.webtalk.Restriction;
import dev.webtalk.RoomSettings;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The SQL text of the SQLite store and the mapping between rows and domain records, in one place. */
final class Sql {
    static final String ROOM_COLUMNS = "id, name, owner_id, password_hash, created_at";
    static final String MEMBER_COLUMNS = "room_id, user_id, display_name, role, joined_at";
    static final String MESSAGE_COLUMNS =
            "room_id, seq, author_id, author_name, kind, text, client_msg_id, created_at, deleted_at, "
            + "file_id, file_name, file_type, file_size, edited_at, reply_to, mentions, mentions_room";

    static final String INSERT_ROOM = "INSERT INTO rooms (" + ROOM_COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    static final String DELETE_ROOM = "DELETE FROM rooms WHERE id = ?";
    /** Insert at the end of the join order, or replace in place keeping the join position. */
    static final String PUT_MEMBER = "INSERT INTO members (" + MEMBER_COLUMNS + ", join_seq) VALUES (?, ?, ?, ?, ?, "
            + "(SELECT coalesce(max(join_seq), 0) + 1 FROM members WHERE room_id = ?)) "
            + "ON CONFLICT (room_id, user_id) DO UPDATE SET display_name = excluded.display_name, "
            + "role = excluded.role, joined_at = excluded.joined_at";
    static final String REMOVE_MEMBER = "DELETE FROM members WHERE room_id = ? AND user_id = ?";
    static final String INSERT_MESSAGE =
            "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A second delete keeps the first deletion time. */
    static final String DELETE_MESSAGE = "UPDATE messages SET text = NULL, deleted_at = ?, "
            + "file_id = NULL, file_name = NULL, file_type = NULL, file_size = NULL, mentions = NULL, mentions_room = 0 "
            + "WHERE room_id = ? AND seq = ? AND deleted_at IS NULL";
    /** What goes with a deleted message: its earlier texts, mentions, reactions and pin. */
    static final String[] ERASE_WITH_MESSAGE = {
        "DELETE FROM message_edits WHERE room_id = ? AND seq = ?",
        "DELETE FROM mentions WHERE room_id = ? AND seq = ?",
        "DELETE FROM reactions WHERE room_id = ? AND seq = ?",
        "DELETE FROM reaction_counts WHERE room_id = ? AND seq = ?",
        "DELETE FROM pins WHERE room_id = ? AND seq = ?",
    };
    static final String INSERT_MENTION = "INSERT INTO mentions (room_id, user_id, seq) VALUES (?, ?, ?)";
    static final String ERASE_MENTIONS = "DELETE FROM mentions WHERE room_id = ? AND seq = ?";
    static final String PUT_REACTION = "INSERT INTO reactions (room_id, seq, emoji, user_id, at) "
            + "SELECT room_id, seq, ?, ?, ? FROM messages WHERE room_id = ? AND seq = ? AND deleted_at IS NULL "
            + "ON CONFLICT DO NOTHING";
    static final String REMOVE_REACTION = "DELETE FROM reactions WHERE room_id = ? AND seq = ? AND emoji = ? AND user_id = ?";
    /** One more reaction with an emoji on a message (run when the reaction row was new). */
    static final String COUNT_REACTION = "INSERT INTO reaction_counts (room_id, seq, emoji, count, first_at) "
            + "VALUES (?, ?, ?, 1, ?) ON CONFLICT (room_id, seq, emoji) DO UPDATE SET count = count + 1";
    /** One fewer (run when a reaction row was deleted); the count goes when it reaches 0. */
    static final String UNCOUNT_REACTION = "UPDATE reaction_counts SET count = count - 1 "
            + "WHERE room_id = ? AND seq = ? AND emoji = ?";
    static final String DROP_ZERO_COUNT = "DELETE FROM reaction_counts WHERE room_id = ? AND seq = ? AND emoji = ? AND count <= 0";
    static final String PUT_PIN = "INSERT INTO pins (room_id, seq, pinned_by, pinned_at) "
            + "SELECT room_id, seq, ?, ? FROM messages WHERE room_id = ? AND seq = ? AND deleted_at IS NULL "
            + "ON CONFLICT DO NOTHING";
    static final String REMOVE_PIN = "DELETE FROM pins WHERE room_id = ? AND seq = ?";
    static final String PINS = "SELECT room_id, seq, pinned_by, pinned_at FROM pins WHERE room_id = ? ORDER BY pinned_at, seq";
    static final String PUT_READ_MARKER = "INSERT INTO read_markers (room_id, user_id, seq) VALUES (?, ?, ?) "
            + "ON CONFLICT (room_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)";
    static final String ROOMS_OF = "SELECT room_id FROM members WHERE user_id = ?";
    static final String READ_SEQ = "SELECT seq FROM read_markers WHERE room_id = ? AND user_id = ?";
    static final String MENTIONS_AFTER = "SELECT (SELECT count(*) FROM mentions WHERE room_id = ?1 AND user_id = ?2 AND seq > ?3)"
            + " + (SELECT count(*) FROM messages WHERE room_id = ?1 AND mentions_room = 1 AND seq > ?3 AND author_id <> ?2)";
    /** Per message and emoji of the seqs bound after the reader and room: count, whether the reader is in, by first time. */
    static String reactions(int seqs) {
        return "SELECT c.seq, c.emoji, c.count, EXISTS (SELECT 1 FROM reactions r WHERE r.room_id = c.room_id "
                + "AND r.seq = c.seq AND r.emoji = c.emoji AND r.user_id = ?) FROM reaction_counts c "
                + "WHERE c.room_id = ? AND c.seq IN (" + "?, ".repeat(seqs - 1) + "?) ORDER BY c.seq, c.first_at, c.emoji";
    }

    /** Keeps the text an edit replaces, numbered after the message's earlier edits; nothing for a deleted message. */
    static final String SAVE_EDIT = "INSERT INTO message_edits (room_id, seq, edit_no, replaced_at, text) "
            + "SELECT room_id, seq, (SELECT count(*) FROM message_edits e "
            + "WHERE e.room_id = m.room_id AND e.seq = m.seq) + 1, ?, text "
            + "FROM messages m WHERE room_id = ? AND seq = ? AND deleted_at IS NULL AND text IS NOT NULL";
    static final String EDIT_MESSAGE = "UPDATE messages SET text = ?, edited_at = ?, mentions = ?, mentions_room = ? "
            + "WHERE room_id = ? AND seq = ? AND deleted_at IS NULL";
    static final String EDITS = "SELECT room_id, seq, text, replaced_at FROM message_edits "
            + "WHERE room_id = ? AND seq = ? ORDER BY edit_no";
    static final String INSERT_EVENT = "INSERT INTO events (room_id, pos, kind, at, seq, user_id) VALUES (?, ?, ?, ?, ?, ?)";
    static final String LAST_POS = "SELECT max(pos) FROM events WHERE room_id = ?";
    static final String EVENTS_AFTER = "SELECT room_id, pos, kind, at, seq, user_id FROM events "
            + "WHERE room_id = ? AND pos > ? ORDER BY pos LIMIT ?";

    static final String SET_OWNER = "UPDATE rooms SET owner_id = ? WHERE id = ?";
    static final String RESTRICTION_COLUMNS = "room_id, user_id, kind, reason, until, actor_id, created_at, user_name";
    static final String PUT_RESTRICTION = "INSERT OR REPLACE INTO restrictions (" + RESTRICTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String REMOVE_RESTRICTION = "DELETE FROM restrictions WHERE room_id = ? AND user_id = ? AND kind = ?";
    static final String RESTRICTION = "SELECT " + RESTRICTION_COLUMNS
            + " FROM restrictions WHERE room_id = ? AND user_id = ? AND kind = ?";
    static final String RESTRICTIONS = "SELECT " + RESTRICTION_COLUMNS
            + " FROM restrictions WHERE room_id = ? ORDER BY created_at, user_id, kind";
    static final String AUDIT_COLUMNS = "id, room_id, at, actor_id, actor_name, action, target_id, reason, until, seq, "
            + "role, slow_mode, locked, topic, target_name";
    static final String INSERT_AUDIT = "INSERT INTO audit (room_id, at, actor_id, actor_name, action, target_id, "
            + "reason, until, seq, role, slow_mode, locked, topic, target_name) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static final String PUT_ROOM_SETTINGS = "INSERT OR REPLACE INTO room_settings (room_id, slow_mode, locked, topic) "
            + "VALUES (?, ?, ?, ?)";
    static final String ROOM_SETTINGS = "SELECT slow_mode, locked, topic FROM room_settings WHERE room_id = ?";
    static final String AUDIT = "SELECT " + AUDIT_COLUMNS
            + " FROM audit WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?";

    static final String ROOM = "SELECT " + ROOM_COLUMNS + " FROM rooms WHERE id = ?";
    static final String ROOMS = "SELECT " + ROOM_COLUMNS + " FROM rooms ORDER BY created_at, id";
    static final String MEMBERS = "SELECT " + MEMBER_COLUMNS + " FROM members WHERE room_id = ? ORDER BY join_seq";
    static final String MEMBER = "SELECT " + MEMBER_COLUMNS + " FROM members WHERE room_id = ? AND user_id = ?";
    static final String MEMBER_COUNTS = "SELECT room_id, count(*) FROM members GROUP BY room_id";
    static final String OWNER_NAMES = "SELECT r.id, m.display_name FROM rooms r "
            + "JOIN members m ON m.room_id = r.id AND m.user_id = r.owner_id";
    static final String LAST_SEQ = "SELECT max(seq) FROM messages WHERE room_id = ?";
    static final String HISTORY = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
    static final String MESSAGES_AFTER = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    static final String MESSAGE = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE room_id = ? AND seq = ?";
    static final String MESSAGE_BY_CLIENT_ID = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND author_id = ? AND client_msg_id = ?";
    static final String MESSAGE_BY_FILE = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE file_id = ? AND room_id = ?";
    static final String FILE_REFERENCED = "SELECT 1 FROM messages WHERE file_id = ?";
    /** Archiving twice keeps the first time; a missing room inserts nothing. */
    static final String ARCHIVE_ROOM = "INSERT INTO room_archive (room_id, archived_at) "
            + "SELECT id, ? FROM rooms WHERE id = ? ON CONFLICT (room_id) DO NOTHING";
    static final String UNARCHIVE_ROOM = "DELETE FROM room_archive WHERE room_id = ?";
    static final String ARCHIVED_ROOMS = "SELECT room_id, archived_at FROM room_archive";
    static final String PUT_SETTING = "INSERT INTO settings (key, value) VALUES (?, ?) "
            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    static final String REMOVE_SETTING = "DELETE FROM settings WHERE key = ?";
    static final String SETTINGS = "SELECT key, value FROM settings";
    /** Reads the schema and one small table: the file is there and readable. */
    static final String PING = "SELECT count(*) FROM settings";
    /**
     * Each room's newest message as {@code (room_id, seq, created_at)}; rooms without messages give no row.
     * Driven by {@code rooms} (CROSS JOIN keeps it the outer loop): per room one primary-key seek for
     * {@code max(seq)} and one for that row, so the cost grows with the number of rooms, not messages.
     */
    static final String ROOM_ACTIVITY = "SELECT m.room_id, m.seq, m.created_at FROM rooms r CROSS JOIN messages m "
            + "WHERE m.room_id = r.id AND m.seq = (SELECT max(seq) FROM messages WHERE room_id = r.id)";
    /** The middle of a room's search interval, in {@link #MESSAGES_SINCE}. */
    private static final String MID = "(s.lo + s.hi) / 2";
    /**
     * Whether the message at {@link #MID} (joined as {@code m}) was created at or after {@code ?1}; for a
     * seq left unused by a failed append, the next stored message stands in for it.
     */
    private static final String MID_IS_SINCE = "coalesce(m.created_at, (SELECT created_at FROM messages "
            + "WHERE room_id = s.room_id AND seq > " + MID + " ORDER BY seq LIMIT 1)) >= ?1";
    /** One binary search per room for its first message at or after {@code ?1}: see {@link #MESSAGES_SINCE}. */
    private static final String SEARCH = "WITH RECURSIVE search (room_id, last_seq, lo, hi) AS ("
            + "SELECT m.room_id, m.seq, CASE WHEN m.created_at >= ?1 THEN 1 ELSE m.seq + 1 END, m.seq + 1 "
            + "FROM rooms r CROSS JOIN messages m "
            + "WHERE m.room_id = r.id AND m.seq = (SELECT max(seq) FROM messages WHERE room_id = r.id) "
            + "UNION ALL "
            + "SELECT s.room_id, s.last_seq, "
            + "CASE WHEN " + MID_IS_SINCE + " THEN s.lo ELSE " + MID + " + 1 END, "
            + "CASE WHEN " + MID_IS_SINCE + " THEN " + MID + " ELSE s.hi END "
            + "FROM search s LEFT JOIN messages m ON m.room_id = s.room_id AND m.seq = " + MID + " "
            + "WHERE s.lo < s.hi) ";
    /**
     * How many messages were created at or after {@code ?1} (epoch ms), summed over rooms, as one binary
     * search per room over seq with primary-key seeks; never scans {@code messages}. Valid because a
     * room's {@code created_at} does not decrease with seq (see {@link SqliteChatStore#messageCountSince}).
     *
     * <p>A row of {@code search} is one room's search interval: the first seq created at or after the
     * instant lies in {@code [lo, hi]}, and {@code hi = last_seq + 1} means "none". The first row
     * already tests the room's newest message, so an idle room costs no further step. Each step looks up
     * the middle seq and halves the interval. Once {@code lo = hi}, the room counts
     * {@code last_seq - lo + 1}.
     */
    static final String MESSAGES_SINCE = SEARCH + "SELECT coalesce(sum(last_seq - lo + 1), 0) FROM search WHERE lo >= hi";
    /**
     * Messages and distinct authors per bucket of {@code ?2} ms from {@code ?1}: the {@link #MESSAGES_SINCE}
     * search finds each room's first message at or after {@code ?1}, then only the messages from there on
     * are read, along the primary key.
     */
    static final String MESSAGE_ACTIVITY = SEARCH + "SELECT (m.created_at - ?1) / ?2 AS bucket, count(*), "
            + "count(DISTINCT m.author_id) FROM search s JOIN messages m ON m.room_id = s.room_id "
            + "AND m.seq BETWEEN s.lo AND s.last_seq WHERE s.lo >= s.hi AND m.kind <> 'SYSTEM' "
            + "GROUP BY bucket ORDER BY bucket";

    private Sql() {
    }

    /** Runs one statement that returns no rows we need (DDL, PRAGMA, BEGIN, COMMIT). */
    static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    /**
     * Rolls back after {@code failure}. A rollback error is attached to it rather than hiding it; that
     * includes "no transaction is active" when SQLite already rolled back by itself.
     */
    static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            exec(c, "ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    static Room room(ResultSet rs) throws SQLException {
        return new Room(RoomId.of(rs.getString(1)), rs.getString(2), UserId.of(rs.getString(3)), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }

    static Member member(ResultSet rs) throws SQLException {
        return new Member(RoomId.of(rs.getString(1)), UserId.of(rs.getString(2)), rs.getString(3),
                MemberRole.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)));
    }

    static Restriction restriction(ResultSet rs) throws SQLException {
        return new Restriction(RoomId.of(rs.getString(1)), UserId.of(rs.getString(2)), rs.getString(8),
                Restriction.Kind.valueOf(rs.getString(3)), rs.getString(4), instantOrNull(rs, 5),
                UserId.of(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    static AuditEntry auditEntry(ResultSet rs) throws SQLException {
        long seq = rs.getLong(10);
        Long seqOrNull = rs.wasNull() ? null : seq;
        String role = rs.getString(11);
        long slowMode = rs.getLong(12);
        RoomSettings settings = rs.wasNull() ? null
                : new RoomSettings(java.time.Duration.ofMillis(slowMode), rs.getInt(13) != 0, rs.getString(14));
        String target = rs.getString(7);
        return new AuditEntry(rs.getLong(1), RoomId.of(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                UserId.of(rs.getString(4)), rs.getString(5), ModerationAction.valueOf(rs.getString(6)),
                target == null ? null : UserId.of(target), rs.getString(15), rs.getString(8), instantOrNull(rs, 9), seqOrNull,
                role == null ? null : MemberRole.valueOf(role), settings);
    }

    private static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Message message(ResultSet rs) throws SQLException {
        long deletedAt = rs.getLong(9);
        Instant deleted = rs.wasNull() ? null : Instant.ofEpochMilli(deletedAt);
        String fileId = rs.getString(10);
        Attachment attachment = fileId == null ? null
                : new Attachment(fileId, rs.getString(11), rs.getString(12), rs.getLong(13));
        return new Message(RoomId.of(rs.getString(1)), rs.getLong(2), UserId.of(rs.getString(3)), rs.getString(4),
                MessageKind.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)), deleted, attachment, instantOrNull(rs, 14), rs.getLong(15),
                userIds(rs.getString(16)), rs.getInt(17) != 0);
    }

    /**
     * Mentioned users as stored: each id as its length, a colon and the id ("3:ana5:bo li"), since an id
     * may hold any character; null for none.
     */
    static String mentionsColumn(java.util.List<UserId> users) {
        if (users.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (UserId u : users) {
            s.append(u.value().length()).append(':').append(u.value());
        }
        return s.toString();
    }

    private static java.util.List<UserId> userIds(String column) {
        if (column == null) {
            return java.util.List.of();
        }
        java.util.List<UserId> users = new java.util.ArrayList<>();
        int i = 0;
        while (i < column.length()) {
            int colon = column.indexOf(':', i);
            int length = Integer.parseInt(column, i, colon, 10);
            users.add(UserId.of(column.substring(colon + 1, colon + 1 + length)));
            i = colon + 1 + length;
        }
        return users;
    }

    static Pin pin(ResultSet rs) throws SQLException {
        return new Pin(RoomId.of(rs.getString(1)), rs.getLong(2), UserId.of(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)));
    }

    static RoomEvent event(ResultSet rs) throws SQLException {
        String user = rs.getString(6);
        return new RoomEvent(RoomId.of(rs.getString(1)), rs.getLong(2), RoomEvent.Kind.valueOf(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), user == null ? null : UserId.of(user));
    }

    static MessageEdit edit(ResultSet rs) throws SQLException {
        return new MessageEdit(RoomId.of(rs.getString(1)), rs.getLong(2), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)));
    }
}
