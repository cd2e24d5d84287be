package dev.webtalk.store.sqlite;

import dev.webtalk.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The SQLite schema as an ordered list of steps. Step {@code i} (from 0) brings a database from
 * version {@code i} to {@code i + 1}; the version lives in {@code PRAGMA user_version}, so an upgrade
 * only runs the steps a file has not seen. Steps are append-only: never edit one that has shipped.
 */
final class Migrations {

    /**
     * One schema change.
     *
     * @param description what the step does, for error messages
     * @param statements single SQL statements, run in order inside the step's transaction
     */
    record Step(String description, List<String> statements) {
        Step {
            Objects.requireNonNull(description, "description");
            statements = List.copyOf(statements);
        }
    }

    /** Every step this code knows, oldest first. */
    static final List<Step> STEPS = List.of(
            new Step("rooms, members and messages", List.of(
                    """
                    CREATE TABLE rooms (
                        id            TEXT    NOT NULL PRIMARY KEY,
                        name          TEXT    NOT NULL,
                        owner_id      TEXT    NOT NULL,
                        password_hash TEXT,
                        created_at    INTEGER NOT NULL
                    ) STRICT""",
                    "CREATE INDEX rooms_by_age ON rooms (created_at, id)",
                    // join_seq orders members; rowid would not do, as VACUUM may renumber it.
                    """
                    CREATE TABLE members (
                        room_id      TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id      TEXT    NOT NULL,
                        display_name TEXT    NOT NULL,
                        role         TEXT    NOT NULL,
                        joined_at    INTEGER NOT NULL,
                        join_seq     INTEGER NOT NULL,
                        PRIMARY KEY (room_id, user_id)
                    ) WITHOUT ROWID, STRICT""",
                    "CREATE UNIQUE INDEX members_by_join ON members (room_id, join_seq)",
                    """
                    CREATE TABLE messages (
                        room_id       TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq           INTEGER NOT NULL,
                        author_id     TEXT    NOT NULL,
                        author_name   TEXT    NOT NULL,
                        kind          TEXT    NOT NULL,
                        text          TEXT,
                        client_msg_id TEXT,
                        created_at    INTEGER NOT NULL,
                        deleted_at    INTEGER,
                        PRIMARY KEY (room_id, seq)
                    ) WITHOUT ROWID, STRICT""",
                    """
                    CREATE UNIQUE INDEX messages_by_client_id ON messages (room_id, author_id, client_msg_id)
                        WHERE client_msg_id IS NOT NULL""")),
            new Step("attachments of file messages", List.of(
                    "ALTER TABLE messages ADD COLUMN file_id TEXT",
                    "ALTER TABLE messages ADD COLUMN file_name TEXT",
                    "ALTER TABLE messages ADD COLUMN file_type TEXT",
                    "ALTER TABLE messages ADD COLUMN file_size INTEGER",
                    // One message per attachment; also serves the orphan check, which has no room id.
                    "CREATE UNIQUE INDEX messages_by_file ON messages (file_id) WHERE file_id IS NOT NULL")),
            // Own tables rather than columns on rooms: archiving and settings change nothing else.
            new Step("archived rooms and server settings", List.of(
                    """
                    CREATE TABLE room_archive (
                        room_id     TEXT    NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
                        archived_at INTEGER NOT NULL
                    ) WITHOUT ROWID, STRICT""",
                    """
                    CREATE TABLE settings (
                        key   TEXT NOT NULL PRIMARY KEY,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID, STRICT""")),
            new Step("bans, mutes and the moderation audit log", List.of(
                    """
                    CREATE TABLE restrictions (
                        room_id    TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id    TEXT    NOT NULL,
                        kind       TEXT    NOT NULL,
                        reason     TEXT,
                        until      INTEGER,
                        actor_id   TEXT    NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (room_id, user_id, kind)
                    ) WITHOUT ROWID, STRICT""",
                    // id aliases the rowid, which VACUUM keeps for INTEGER PRIMARY KEY columns.
                    """
                    CREATE TABLE audit (
                        id         INTEGER NOT NULL PRIMARY KEY,
                        room_id    TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        at         INTEGER NOT NULL,
                        actor_id   TEXT    NOT NULL,
                        actor_name TEXT    NOT NULL,
                        action     TEXT    NOT NULL,
                        target_id  TEXT,
                        reason     TEXT,
                        until      INTEGER,
                        seq        INTEGER,
                        role       TEXT,
                        slow_mode  INTEGER,
                        locked     INTEGER,
                        topic      TEXT
                    ) STRICT""",
                    """
                    CREATE TABLE room_settings (
                        room_id   TEXT    NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
                        slow_mode INTEGER NOT NULL,
                        locked    INTEGER NOT NULL,
                        topic     TEXT
                    ) WITHOUT ROWID, STRICT""",
                    "CREATE INDEX audit_by_room ON audit (room_id, id)")),
            // The room event stream. Rows name what changed (a message seq or a user); replays read the
            // subject's current state. Existing messages become their rooms' first events, each posted at
            // pos = seq, so a stream starts where the history starts and a held seq is a valid position.
            new Step("room event streams, edits, replies, mentions, reactions, pins and read markers", List.of(
                    """
                    CREATE TABLE events (
                        room_id TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        pos     INTEGER NOT NULL,
                        kind    TEXT    NOT NULL,
                        at      INTEGER NOT NULL,
                        seq     INTEGER NOT NULL,
                        user_id TEXT,
                        PRIMARY KEY (room_id, pos)
                    ) WITHOUT ROWID, STRICT""",
                    "INSERT INTO events (room_id, pos, kind, at, seq) "
                            + "SELECT room_id, seq, 'MESSAGE_POSTED', created_at, seq FROM messages",
                    "ALTER TABLE messages ADD COLUMN edited_at INTEGER",
                    """
                    CREATE TABLE message_edits (
                        room_id     TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq         INTEGER NOT NULL,
                        edit_no     INTEGER NOT NULL,
                        replaced_at INTEGER NOT NULL,
                        text        TEXT    NOT NULL,
                        PRIMARY KEY (room_id, seq, edit_no)
                    ) WITHOUT ROWID, STRICT""",
                    "ALTER TABLE messages ADD COLUMN reply_to INTEGER NOT NULL DEFAULT 0",
                    // The mentioned ids in order, for display (see Sql.mentionsColumn); the mentions table is for counting.
                    "ALTER TABLE messages ADD COLUMN mentions TEXT",
                    "ALTER TABLE messages ADD COLUMN mentions_room INTEGER NOT NULL DEFAULT 0",
                    """
                    CREATE TABLE mentions (
                        room_id TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id TEXT    NOT NULL,
                        seq     INTEGER NOT NULL,
                        PRIMARY KEY (room_id, user_id, seq)
                    ) WITHOUT ROWID, STRICT""",
                    "CREATE INDEX messages_mentioning_room ON messages (room_id, seq) WHERE mentions_room = 1",
                    """
                    CREATE TABLE reactions (
                        room_id TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq     INTEGER NOT NULL,
                        emoji   TEXT    NOT NULL,
                        user_id TEXT    NOT NULL,
                        at      INTEGER NOT NULL,
                        PRIMARY KEY (room_id, seq, emoji, user_id)
                    ) WITHOUT ROWID, STRICT""",
                    // Counts kept with every change, so reading a message's reactions costs its few emoji,
                    // not one row per user who reacted (a storm of a thousand reactions reads each often).
                    """
                    CREATE TABLE reaction_counts (
                        room_id  TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq      INTEGER NOT NULL,
                        emoji    TEXT    NOT NULL,
                        count    INTEGER NOT NULL,
                        first_at INTEGER NOT NULL,
                        PRIMARY KEY (room_id, seq, emoji)
                    ) WITHOUT ROWID, STRICT""",
                    """
                    CREATE TABLE pins (
                        room_id   TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq       INTEGER NOT NULL,
                        pinned_by TEXT    NOT NULL,
                        pinned_at INTEGER NOT NULL,
                        PRIMARY KEY (room_id, seq)
                    ) WITHOUT ROWID, STRICT""",
                    """
                    CREATE TABLE read_markers (
                        room_id TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id TEXT    NOT NULL,
                        seq     INTEGER NOT NULL,
                        PRIMARY KEY (room_id, user_id)
                    ) WITHOUT ROWID, STRICT""",
                    // Members from before the stream have read everything: no unread badge for old history.
                    "INSERT INTO read_markers (room_id, user_id, seq) SELECT m.room_id, m.user_id, "
                            + "coalesce((SELECT max(seq) FROM messages WHERE room_id = m.room_id), 0) FROM members m",
                    "CREATE INDEX members_by_user ON members (user_id)")),
            // The target's name as it was, so a log or a ban list names someone who has since left.
            new Step("names of moderation targets", List.of(
                    "ALTER TABLE audit ADD COLUMN target_name TEXT",
                    "ALTER TABLE restrictions ADD COLUMN user_name TEXT")),
            // The host's sign-in sessions (HostSession): kept with the rooms so that they survive a restart.
            new Step("host sign-in sessions", List.of(
                    """
                    CREATE TABLE host_sessions (
                        key        TEXT    NOT NULL PRIMARY KEY,
                        csrf_token TEXT    NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID, STRICT""")));

    private Migrations() {
    }

    /** The schema version this code writes: the number of known steps. */
    static int latestVersion() {
        return STEPS.size();
    }

    /** The version recorded in the database file; 0 for a new file. */
    static int currentVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("PRAGMA user_version");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * The version recorded in the database, checked to be one that {@code steps} can handle. Only reads,
     * so a refused file is left exactly as it was.
     *
     * @throws StoreException if the version cannot be read (e.g. not a database) or is newer than the code
     */
    static int supportedVersion(Connection c, List<Step> steps) {
        int version;
        try {
            version = currentVersion(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the schema version: " + e.getMessage(), e);
        }
        if (version > steps.size()) {
            throw new StoreException("database schema version " + version + " is newer than this WebTalk "
                    + "supports (" + steps.size() + "); open it with a newer WebTalk", null);
        }
        return version;
    }

    /**
     * Brings the database up to {@code steps.size()}, one transaction per step, so a failure leaves it
     * at the last complete version. Refuses a database newer than {@code steps}.
     *
     * @param c a connection in auto-commit mode
     * @throws StoreException if the file is newer than the code or a step fails
     */
    static void migrate(Connection c, List<Step> steps) {
        int version = supportedVersion(c, steps);
        for (int v = version; v < steps.size(); v++) {
            Step step = steps.get(v);
            try {
                Sql.exec(c, "BEGIN IMMEDIATE");
                try {
                    for (String statement : step.statements()) {
                        Sql.exec(c, statement);
                    }
                    // PRAGMA takes no bind parameters; the value is an int we computed, not input.
                    Sql.exec(c, "PRAGMA user_version = " + (v + 1));
                    Sql.exec(c, "COMMIT");
                } catch (SQLException | RuntimeException e) {
                    Sql.rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("schema migration to version " + (v + 1) + " (" + step.description()
                        + ") failed: " + e.getMessage(), e);
            }
        }
    }
}
