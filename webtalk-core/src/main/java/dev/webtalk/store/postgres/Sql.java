package dev.webtalk.store.postgres;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.MessageKind;
import dev.webtalk.ModerationAction;
import dev.webtalk.Pin;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSettings;
import dev.webtalk.UserId;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL text of the PostgreSQL store and the mapping between rows and domain records, in one place.
 * Every string goes through {@link PgText} and every instant through {@link #setInstant}, so the two
 * stores read back exactly what they were given.
 */
final class Sql {
    static final String ROOM_COLUMNS = "id, name, owner_id, password_hash, created_at";
    static final String MEMBER_COLUMNS = "room_id, user_id, display_name, role, joined_at";
    static final String MESSAGE_COLUMNS =
            "room_id, seq, author_id, author_name, kind, text, client_msg_id, created_at, deleted_at, "
            + "file_id, file_name, file_type, file_size, edited_at, reply_to, mentions, mentions_room";

    // ---- numbering ----

    /**
     * The numbering rows of the rooms a batch names, locked in id order so that two nodes locking some of
     * the same rooms never wait for each other in a cycle. NO KEY UPDATE: inserts elsewhere that check a
     * foreign key to the room (FOR KEY SHARE) are not blocked.
     */
    static final String LOCK_ROOMS = "SELECT id, last_seq, last_pos FROM rooms WHERE id = ANY (?) "
            + "ORDER BY id FOR NO KEY UPDATE";
    /** The numbers of every room a batch appended to, bound as three arrays: one statement per batch. */
    static final String SET_HEADS = "UPDATE rooms r SET last_seq = h.last_seq, last_pos = h.last_pos "
            + "FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS h (id, last_seq, last_pos) WHERE r.id = h.id";

    // ---- writes ----

    static final String INSERT_ROOM = "INSERT INTO rooms (" + ROOM_COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    /**
     * Deletes a room: its messages and events explicitly (they have no foreign key), the rest by cascade.
     * Safe against a concurrent append because the batch locked the room's row first: this statement's
     * snapshot, taken after that, sees every append committed to the room, and later ones find no room.
     */
    static final String DELETE_ROOM = "WITH messages_gone AS (DELETE FROM messages WHERE room_id = ?), "
            + "events_gone AS (DELETE FROM events WHERE room_id = ?) DELETE FROM rooms WHERE id = ?";
    /** Insert at the end of the join order, or replace in place keeping the join position. */
    static final String PUT_MEMBER = "INSERT INTO members (" + MEMBER_COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (room_id, user_id) DO UPDATE SET display_name = excluded.display_name, "
            + "role = excluded.role, joined_at = excluded.joined_at";
    static final String REMOVE_MEMBER = "DELETE FROM members WHERE room_id = ? AND user_id = ?";
    static final String INSERT_MESSAGE =
            "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_EVENT = "INSERT INTO events (room_id, pos, kind, at, seq, user_id) VALUES (?, ?, ?, ?, ?, ?)";
    static final String INSERT_MENTION = "INSERT INTO mentions (room_id, user_id, seq) VALUES (?, ?, ?)";
    static final String PUT_READ_MARKER = "INSERT INTO read_markers (room_id, user_id, seq) VALUES (?, ?, ?) "
            + "ON CONFLICT (room_id, user_id) DO UPDATE SET seq = greatest(read_markers.seq, excluded.seq)";
    /**
     * Soft-deletes a live message and, in the same statement, erases what goes with it: its earlier
     * texts, mentions, reactions and pin. A second delete matches nothing and keeps the first time.
     */
    static final String DELETE_MESSAGE = "WITH gone AS (UPDATE messages SET text = NULL, deleted_at = ?, "
            + "file_id = NULL, file_name = NULL, file_type = NULL, file_size = NULL, mentions = NULL, "
            + "mentions_room = false WHERE room_id = ? AND seq = ? AND deleted_at IS NULL RETURNING room_id, seq), "
            + eraseWith("edits", "message_edits") + ", " + eraseWith("mentioned", "mentions") + ", "
            + eraseWith("reacted", "reactions") + ", " + eraseWith("counted", "reaction_counts") + " "
            + "DELETE FROM pins x USING gone g WHERE x.room_id = g.room_id AND x.seq = g.seq";
    /** Keeps the text an edit replaces, numbered after the message's earlier edits; nothing for a deleted message. */
    static final String SAVE_EDIT = "INSERT INTO message_edits (room_id, seq, edit_no, replaced_at, text) "
            + "SELECT room_id, seq, (SELECT count(*) FROM message_edits e "
            + "WHERE e.room_id = m.room_id AND e.seq = m.seq) + 1, ?, text "
            + "FROM messages m WHERE room_id = ? AND seq = ? AND deleted_at IS NULL AND text IS NOT NULL";
    static final String EDIT_MESSAGE = "UPDATE messages SET text = ?, edited_at = ?, mentions = ?, mentions_room = ? "
            + "WHERE room_id = ? AND seq = ? AND deleted_at IS NULL";
    static final String ERASE_MENTIONS = "DELETE FROM mentions WHERE room_id = ? AND seq = ?";
    /**
     * Puts a reaction on a live message and counts it, in one statement; again is nothing. A count back
     * from 0 starts a new first time.
     */
    static final String PUT_REACTION = "WITH added AS (INSERT INTO reactions (room_id, seq, emoji, user_id, at) "
            + "SELECT room_id, seq, ?, ?, ? FROM messages WHERE room_id = ? AND seq = ? AND deleted_at IS NULL "
            + "ON CONFLICT DO NOTHING RETURNING room_id, seq, emoji, at) "
            + "INSERT INTO reaction_counts (room_id, seq, emoji, count, first_at) "
            + "SELECT room_id, seq, emoji, 1, at FROM added ON CONFLICT (room_id, seq, emoji) DO UPDATE SET "
            + "count = reaction_counts.count + 1, first_at = CASE WHEN reaction_counts.count = 0 "
            + "THEN excluded.first_at ELSE reaction_counts.first_at END";
    /** Takes a reaction off and uncounts it, in one statement. */
    static final String REMOVE_REACTION = "WITH removed AS (DELETE FROM reactions WHERE room_id = ? AND seq = ? "
            + "AND emoji = ? AND user_id = ? RETURNING room_id, seq, emoji) "
            + "UPDATE reaction_counts c SET count = c.count - 1 FROM removed r "
            + "WHERE c.room_id = r.room_id AND c.seq = r.seq AND c.emoji = r.emoji";
    static final String PUT_PIN = "INSERT INTO pins (room_id, seq, pinned_by, pinned_at) "
            + "SELECT room_id, seq, ?, ? FROM messages WHERE room_id = ? AND seq = ? AND deleted_at IS NULL "
            + "ON CONFLICT DO NOTHING";
    static final String REMOVE_PIN = "DELETE FROM pins WHERE room_id = ? AND seq = ?";
    /** Archiving twice keeps the first time; a missing room inserts nothing. */
    static final String ARCHIVE_ROOM = "INSERT INTO room_archive (room_id, archived_at) "
            + "SELECT id, ? FROM rooms WHERE id = ? ON CONFLICT (room_id) DO NOTHING";
    static final String UNARCHIVE_ROOM = "DELETE FROM room_archive WHERE room_id = ?";
    static final String PUT_SETTING = "INSERT INTO settings (key, value) VALUES (?, ?) "
            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    static final String REMOVE_SETTING = "DELETE FROM settings WHERE key = ?";
    static final String SET_OWNER = "UPDATE rooms SET owner_id = ? WHERE id = ?";
    static final String RESTRICTION_COLUMNS = "room_id, user_id, kind, reason, until, actor_id, created_at, user_name";
    static final String PUT_RESTRICTION = "INSERT INTO restrictions (" + RESTRICTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, user_id, kind) DO UPDATE SET "
            + "reason = excluded.reason, until = excluded.until, actor_id = excluded.actor_id, "
            + "created_at = excluded.created_at, user_name = excluded.user_name";
    static final String REMOVE_RESTRICTION = "DELETE FROM restrictions WHERE room_id = ? AND user_id = ? AND kind = ?";
    static final String INSERT_AUDIT = "INSERT INTO audit (room_id, at, actor_id, actor_name, action, target_id, "
            + "reason, until, seq, role, slow_mode_ms, locked, topic, target_name) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static final String PUT_ROOM_SETTINGS = "INSERT INTO room_settings (room_id, slow_mode_ms, locked, topic) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (room_id) DO UPDATE SET slow_mode_ms = excluded.slow_mode_ms, "
            + "locked = excluded.locked, topic = excluded.topic";

    // ---- reads ----

    static final String ROOM = "SELECT " + ROOM_COLUMNS + " FROM rooms WHERE id = ?";
    static final String ROOMS = "SELECT " + ROOM_COLUMNS + " FROM rooms ORDER BY created_at, id";
    static final String MEMBERS = "SELECT " + MEMBER_COLUMNS + " FROM members WHERE room_id = ? ORDER BY join_seq";
    static final String MEMBER = "SELECT " + MEMBER_COLUMNS + " FROM members WHERE room_id = ? AND user_id = ?";
    static final String MEMBER_COUNTS = "SELECT room_id, count(*) FROM members GROUP BY room_id";
    static final String OWNER_NAMES = "SELECT r.id, m.display_name FROM rooms r "
            + "JOIN members m ON m.room_id = r.id AND m.user_id = r.owner_id";
    static final String LAST_SEQ = "SELECT last_seq FROM rooms WHERE id = ?";
    static final String LAST_POS = "SELECT last_pos FROM rooms WHERE id = ?";
    static final String EVENTS_AFTER = "SELECT room_id, pos, kind, at, seq, user_id FROM events "
            + "WHERE room_id = ? AND pos > ? ORDER BY pos LIMIT ?";
    static final String EDITS = "SELECT room_id, seq, text, replaced_at FROM message_edits "
            + "WHERE room_id = ? AND seq = ? ORDER BY edit_no";
    /**
     * Per message and emoji: count, whether the reader is among them (one primary-key probe), by first
     * time. Reads the counts, never one row per reactor.
     */
    static final String REACTIONS = "SELECT c.seq, c.emoji, c.count, EXISTS (SELECT 1 FROM reactions r "
            + "WHERE r.room_id = c.room_id AND r.seq = c.seq AND r.emoji = c.emoji AND r.user_id = ?) "
            + "FROM reaction_counts c WHERE c.room_id = ? AND c.seq = ANY (?) AND c.count > 0 "
            + "ORDER BY c.seq, c.first_at, c.emoji";
    static final String PINS = "SELECT room_id, seq, pinned_by, pinned_at FROM pins WHERE room_id = ? ORDER BY pinned_at, seq";
    static final String ROOMS_OF = "SELECT room_id FROM members WHERE user_id = ?";
    static final String READ_SEQ = "SELECT seq FROM read_markers WHERE room_id = ? AND user_id = ?";
    static final String MENTIONS_AFTER = "SELECT (SELECT count(*) FROM mentions WHERE room_id = ? AND user_id = ? AND seq > ?)"
            + " + (SELECT count(*) FROM messages WHERE room_id = ? AND mentions_room AND seq > ? AND author_id <> ?)";
    static final String HISTORY = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
    static final String MESSAGES_AFTER = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    static final String MESSAGE = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE room_id = ? AND seq = ?";
    static final String MESSAGE_BY_CLIENT_ID = "SELECT " + MESSAGE_COLUMNS
            + " FROM messages WHERE room_id = ? AND author_id = ? AND client_msg_id = ?";
    static final String MESSAGE_BY_FILE = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE file_id = ? AND room_id = ?";
    static final String FILE_REFERENCED = "SELECT 1 FROM messages WHERE file_id = ?";
    static final String ARCHIVED_ROOMS = "SELECT room_id, archived_at FROM room_archive";
    static final String SETTINGS = "SELECT key, value FROM settings";
    /** A round trip to the server on a pooled connection. */
    static final String PING = "SELECT 1";
    static final String ROOM_SETTINGS = "SELECT slow_mode_ms, locked, topic FROM room_settings WHERE room_id = ?";
    static final String RESTRICTION = "SELECT " + RESTRICTION_COLUMNS
            + " FROM restrictions WHERE room_id = ? AND user_id = ? AND kind = ?";
    static final String RESTRICTIONS = "SELECT " + RESTRICTION_COLUMNS
            + " FROM restrictions WHERE room_id = ? ORDER BY created_at, user_id, kind";
    static final String AUDIT = "SELECT id, room_id, at, actor_id, actor_name, action, target_id, reason, until, seq, "
            + "role, slow_mode_ms, locked, topic, target_name FROM audit WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
    /**
     * Each room's message count (its last seq: the store keeps seqs dense from 1 and never removes a
     * message one by one) and newest message time: one primary-key probe per room with messages.
     */
    static final String ROOM_ACTIVITY = "SELECT r.id, r.last_seq, m.created_at FROM rooms r "
            + "JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq WHERE r.last_seq > 0";
    /**
     * How many messages were created at or after the instant bound three times, summed over rooms: per room
     * a binary search over seq for the first message created at or after it, with primary-key probes only,
     * never a scan of {@code messages}. Valid because seqs are dense (the store refuses gaps) and a room's
     * {@code created_at} does not decrease with seq (see {@link PostgresChatStore#messageCountSince}).
     *
     * <p>A row of {@code search} is one room's interval {@code [lo, hi]} holding that first seq, where
     * {@code hi = last_seq + 1} means "none". The first row already tests the newest message, so an idle
     * room costs nothing more. Each step probes the middle and halves the interval; at {@code lo = hi} the
     * room counts {@code last_seq - lo + 1}.
     */
    static final String MESSAGES_SINCE = "WITH RECURSIVE search (room_id, last_seq, lo, hi) AS ("
            + "SELECT r.id, r.last_seq, CASE WHEN m.created_at >= ? THEN 1 ELSE r.last_seq + 1 END, r.last_seq + 1 "
            + "FROM rooms r JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq WHERE r.last_seq > 0 "
            + "UNION ALL "
            + "SELECT s.room_id, s.last_seq, "
            + "CASE WHEN m.created_at >= ? THEN s.lo ELSE (s.lo + s.hi) / 2 + 1 END, "
            + "CASE WHEN m.created_at >= ? THEN (s.lo + s.hi) / 2 ELSE s.hi END "
            + "FROM search s JOIN messages m ON m.room_id = s.room_id AND m.seq = (s.lo + s.hi) / 2 "
            + "WHERE s.lo < s.hi) "
            + "SELECT coalesce(sum(last_seq - lo + 1), 0) FROM search WHERE lo >= hi";
    /**
     * Messages and distinct authors per bucket from an instant (bound three times for the search, then
     * once more, then the bucket length in ms): the {@link #MESSAGES_SINCE} search finds each room's first
     * message at or after it, then only the messages from there on are read, along the primary key.
     */
    static final String MESSAGE_ACTIVITY = MESSAGES_SINCE.substring(0, MESSAGES_SINCE.indexOf("SELECT coalesce("))
            + "SELECT floor(extract(epoch FROM m.created_at - ?) * 1000 / ?)::bigint AS bucket, count(*), "
            + "count(DISTINCT m.author_id) FROM search s JOIN messages m ON m.room_id = s.room_id "
            + "AND m.seq BETWEEN s.lo AND s.last_seq WHERE s.lo >= s.hi AND m.kind <> 'SYSTEM' "
            + "GROUP BY bucket ORDER BY bucket";

    private Sql() {
    }

    private static String eraseWith(String name, String table) {
        return name + " AS (DELETE FROM " + table + " x USING gone g WHERE x.room_id = g.room_id AND x.seq = g.seq)";
    }

    // ---- binding ----

    static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, PgText.encode(value));
        }
    }

    /** An instant as {@code timestamptz}, to the millisecond (finer is dropped, as the SPI says). */
    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, value == null ? null
                : OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    /** User ids as a {@code text[]}; {@code null} for none. */
    static Array userIds(Connection c, List<UserId> users) throws SQLException {
        if (users.isEmpty()) {
            return null;
        }
        String[] values = new String[users.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = PgText.encode(users.get(i).value());
        }
        return c.createArrayOf("text", values);
    }

    static void setArray(PreparedStatement ps, int index, Array value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.ARRAY);
        } else {
            ps.setArray(index, value);
        }
    }

    // ---- reading ----

    static String text(ResultSet rs, int column) throws SQLException {
        return PgText.decode(rs.getString(column));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Room room(ResultSet rs) throws SQLException {
        return new Room(RoomId.of(text(rs, 1)), text(rs, 2), UserId.of(text(rs, 3)), text(rs, 4), instant(rs, 5));
    }

    static Member member(ResultSet rs) throws SQLException {
        return new Member(RoomId.of(text(rs, 1)), UserId.of(text(rs, 2)), text(rs, 3),
                MemberRole.valueOf(rs.getString(4)), instant(rs, 5));
    }

    static Message message(ResultSet rs) throws SQLException {
        String fileId = text(rs, 10);
        Attachment attachment = fileId == null ? null
                : new Attachment(fileId, text(rs, 11), text(rs, 12), rs.getLong(13));
        return new Message(RoomId.of(text(rs, 1)), rs.getLong(2), UserId.of(text(rs, 3)), text(rs, 4),
                MessageKind.valueOf(rs.getString(5)), text(rs, 6), text(rs, 7), instant(rs, 8), instant(rs, 9),
                attachment, instant(rs, 14), rs.getLong(15), userIds(rs.getArray(16)), rs.getBoolean(17));
    }

    private static List<UserId> userIds(Array column) throws SQLException {
        if (column == null) {
            return List.of();
        }
        String[] values = (String[]) column.getArray();
        List<UserId> users = new ArrayList<>(values.length);
        for (String value : values) {
            users.add(UserId.of(PgText.decode(value)));
        }
        return List.copyOf(users);
    }

    static RoomEvent event(ResultSet rs) throws SQLException {
        String user = text(rs, 6);
        return new RoomEvent(RoomId.of(text(rs, 1)), rs.getLong(2), RoomEvent.Kind.valueOf(rs.getString(3)),
                instant(rs, 4), rs.getLong(5), user == null ? null : UserId.of(user));
    }

    static MessageEdit edit(ResultSet rs) throws SQLException {
        return new MessageEdit(RoomId.of(text(rs, 1)), rs.getLong(2), text(rs, 3), instant(rs, 4));
    }

    static Pin pin(ResultSet rs) throws SQLException {
        return new Pin(RoomId.of(text(rs, 1)), rs.getLong(2), UserId.of(text(rs, 3)), instant(rs, 4));
    }

    static Restriction restriction(ResultSet rs) throws SQLException {
        return new Restriction(RoomId.of(text(rs, 1)), UserId.of(text(rs, 2)), text(rs, 8),
                Restriction.Kind.valueOf(rs.getString(3)), text(rs, 4), instant(rs, 5),
                UserId.of(text(rs, 6)), instant(rs, 7));
    }

    static AuditEntry auditEntry(ResultSet rs) throws SQLException {
        long seq = rs.getLong(10);
        Long seqOrNull = rs.wasNull() ? null : seq;
        String role = rs.getString(11);
        long slowMode = rs.getLong(12);
        RoomSettings settings = rs.wasNull() ? null
                : new RoomSettings(Duration.ofMillis(slowMode), rs.getBoolean(13), text(rs, 14));
        String target = text(rs, 7);
        return new AuditEntry(rs.getLong(1), RoomId.of(text(rs, 2)), instant(rs, 3), UserId.of(text(rs, 4)),
                text(rs, 5), ModerationAction.valueOf(rs.getString(6)), target == null ? null : UserId.of(target),
                text(rs, 15), text(rs, 8), instant(rs, 9), seqOrNull, role == null ? null : MemberRole.valueOf(role), settings);
    }

    static RoomSettings roomSettings(ResultSet rs) throws SQLException {
        return new RoomSettings(Duration.ofMillis(rs.getLong(1)), rs.getBoolean(2), text(rs, 3));
    }
}
