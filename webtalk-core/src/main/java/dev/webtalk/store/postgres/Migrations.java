package dev.webtalk.store.postgres;

import dev.webtalk.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PostgreSQL schema as an ordered list of steps. Step {@code i} (from 0) brings a schema from
 * version {@code i} to {@code i + 1}; table {@code schema_version} has one row per step applied. Steps
 * are append-only: never edit one that has shipped.
 *
 * <p>Several nodes may open the same database at once. {@link #migrate} runs in one transaction that
 * first takes a transaction-scoped advisory lock named after the schema, so one node migrates while the
 * others wait, then find the schema current and change nothing. PostgreSQL's DDL is transactional: a
 * failed migration leaves the schema exactly as it was.
 *
 * <p>Conventions: ids and other keys are {@code text COLLATE "C"} (byte order: fast comparisons and the
 * same order as the SQLite store); instants are {@code timestamptz} kept to the millisecond; the tables
 * of a room reference it {@code ON DELETE CASCADE}, except the two that every append writes.
 */
final class Migrations {

    /**
     * One schema change.
     *
     * @param description what the step does, recorded with it and named in errors
     * @param statements single SQL statements, run in order
     */
    record Step(String description, List<String> statements) {
        Step {
            Objects.requireNonNull(description, "description");
            statements = List.copyOf(statements);
        }
    }

    /** The advisory lock's first key, "WTK1": the second is the schema's name hashed. */
    private static final int LOCK_CLASS = 0x57544B31;

    /** Every step this code knows, oldest first. */
    static final List<Step> STEPS = List.of(
            new Step("rooms, members, messages, the event stream and everything kept per message", List.of(
                    // last_seq and last_pos are the room's numbering: an append batch locks the row and checks
                    // its numbers continue them (see Numbering). Updated with every batch, so pages keep room
                    // for HOT updates.
                    """
                    CREATE TABLE rooms (
                        id            text COLLATE "C" NOT NULL PRIMARY KEY,
                        name          text        NOT NULL,
                        owner_id      text COLLATE "C" NOT NULL,
                        password_hash text,
                        created_at    timestamptz NOT NULL,
                        last_seq      bigint      NOT NULL DEFAULT 0,
                        last_pos      bigint      NOT NULL DEFAULT 0
                    ) WITH (fillfactor = 80)""",
                    "CREATE INDEX rooms_by_age ON rooms (created_at, id)",
                    // join_seq orders members across every room: an identity never hands out a number twice.
                    """
                    CREATE TABLE members (
                        room_id      text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id      text COLLATE "C" NOT NULL,
                        display_name text        NOT NULL,
                        role         text        NOT NULL,
                        joined_at    timestamptz NOT NULL,
                        join_seq     bigint      GENERATED ALWAYS AS IDENTITY,
                        PRIMARY KEY (room_id, user_id)
                    )""",
                    "CREATE INDEX members_by_join ON members (room_id, join_seq)",
                    "CREATE INDEX members_by_user ON members (user_id)",
                    // Named keys: a unique violation on one of these two is a numbering conflict (Failures).
                    // Messages and events, the bulk of every batch, have no foreign key to rooms: checking it
                    // cost a fifth of the database's time per append. A batch appends only to rooms whose row it
                    // has locked and found (Numbering), and deleting a room deletes them (Sql.DELETE_ROOM).
                    """
                    CREATE TABLE messages (
                        room_id       text COLLATE "C" NOT NULL,
                        seq           bigint      NOT NULL,
                        author_id     text COLLATE "C" NOT NULL,
                        author_name   text        NOT NULL,
                        kind          text        NOT NULL,
                        text          text,
                        client_msg_id text COLLATE "C",
                        created_at    timestamptz NOT NULL,
                        deleted_at    timestamptz,
                        file_id       text COLLATE "C",
                        file_name     text,
                        file_type     text,
                        file_size     bigint,
                        edited_at     timestamptz,
                        reply_to      bigint      NOT NULL DEFAULT 0,
                        mentions      text[],
                        mentions_room boolean     NOT NULL DEFAULT false,
                        CONSTRAINT messages_pkey PRIMARY KEY (room_id, seq)
                    )""",
                    """
                    CREATE UNIQUE INDEX messages_by_client_id ON messages (room_id, author_id, client_msg_id)
                        WHERE client_msg_id IS NOT NULL""",
                    // One message per attachment; also serves the orphan check, which has no room id.
                    "CREATE UNIQUE INDEX messages_by_file ON messages (file_id) WHERE file_id IS NOT NULL",
                    "CREATE INDEX messages_mentioning_room ON messages (room_id, seq) WHERE mentions_room",
                    """
                    CREATE TABLE events (
                        room_id text COLLATE "C" NOT NULL,
                        pos     bigint      NOT NULL,
                        kind    text        NOT NULL,
                        at      timestamptz NOT NULL,
                        seq     bigint      NOT NULL,
                        user_id text COLLATE "C",
                        CONSTRAINT events_pkey PRIMARY KEY (room_id, pos)
                    )""",
                    """
                    CREATE TABLE message_edits (
                        room_id     text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq         bigint      NOT NULL,
                        edit_no     int         NOT NULL,
                        replaced_at timestamptz NOT NULL,
                        text        text        NOT NULL,
                        PRIMARY KEY (room_id, seq, edit_no)
                    )""",
                    """
                    CREATE TABLE mentions (
                        room_id text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id text COLLATE "C" NOT NULL,
                        seq     bigint NOT NULL,
                        PRIMARY KEY (room_id, user_id, seq)
                    )""",
                    """
                    CREATE TABLE reactions (
                        room_id text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq     bigint      NOT NULL,
                        emoji   text COLLATE "C" NOT NULL,
                        user_id text COLLATE "C" NOT NULL,
                        at      timestamptz NOT NULL,
                        PRIMARY KEY (room_id, seq, emoji, user_id)
                    )""",
                    // Counts kept with every change, so reading a message's reactions costs its few emoji, not
                    // one row per user who reacted. A count that drops to 0 stays as a row until the message
                    // goes (readers skip it); the emoji's next first reaction restarts its first_at.
                    """
                    CREATE TABLE reaction_counts (
                        room_id  text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq      bigint      NOT NULL,
                        emoji    text COLLATE "C" NOT NULL,
                        count    int         NOT NULL,
                        first_at timestamptz NOT NULL,
                        PRIMARY KEY (room_id, seq, emoji)
                    )""",
                    """
                    CREATE TABLE pins (
                        room_id   text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        seq       bigint      NOT NULL,
                        pinned_by text COLLATE "C" NOT NULL,
                        pinned_at timestamptz NOT NULL,
                        PRIMARY KEY (room_id, seq)
                    )""",
                    """
                    CREATE TABLE read_markers (
                        room_id text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id text COLLATE "C" NOT NULL,
                        seq     bigint NOT NULL,
                        PRIMARY KEY (room_id, user_id)
                    )""",
                    // Own tables rather than columns on rooms: archiving and settings change nothing else.
                    """
                    CREATE TABLE room_archive (
                        room_id     text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
                        archived_at timestamptz NOT NULL
                    )""",
                    """
                    CREATE TABLE room_settings (
                        room_id      text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
                        slow_mode_ms bigint  NOT NULL,
                        locked       boolean NOT NULL,
                        topic        text
                    )""",
                    """
                    CREATE TABLE settings (
                        key   text COLLATE "C" NOT NULL PRIMARY KEY,
                        value text NOT NULL
                    )""",
                    """
                    CREATE TABLE restrictions (
                        room_id    text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        user_id    text COLLATE "C" NOT NULL,
                        kind       text COLLATE "C" NOT NULL,
                        reason     text,
                        until      timestamptz,
                        actor_id   text COLLATE "C" NOT NULL,
                        created_at timestamptz NOT NULL,
                        PRIMARY KEY (room_id, user_id, kind)
                    )""",
                    // Ids from one identity: every room's batches are serialized by its row lock, so within a
                    // room a later entry always has a greater id.
                    """
                    CREATE TABLE audit (
                        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        room_id      text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
                        at           timestamptz NOT NULL,
                        actor_id     text COLLATE "C" NOT NULL,
                        actor_name   text        NOT NULL,
                        action       text        NOT NULL,
                        target_id    text COLLATE "C",
                        reason       text,
                        until        timestamptz,
                        seq          bigint,
                        role         text,
                        slow_mode_ms bigint,
                        locked       boolean,
                        topic        text
                    )""",
                    "CREATE INDEX audit_by_room ON audit (room_id, id)")),
            // Bytes in the database, so every node serves every file. Chunks, so a download streams and an
            // upload never holds a whole file in memory; EXTERNAL storage, as images and PDFs are already
            // compressed. The entry row and its chunks commit together: a reader sees all or nothing.
            new Step("attachment bytes", List.of(
                    """
                    CREATE TABLE attachments (
                        key       text COLLATE "C" NOT NULL PRIMARY KEY,
                        size      bigint      NOT NULL,
                        stored_at timestamptz NOT NULL
                    )""",
                    """
                    CREATE TABLE attachment_chunks (
                        key   text COLLATE "C" NOT NULL REFERENCES attachments (key) ON DELETE CASCADE,
                        n     int   NOT NULL,
                        bytes bytea NOT NULL,
                        PRIMARY KEY (key, n)
                    )""",
                    "ALTER TABLE attachment_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL")),
            // The target's name as it was, so a log or a ban list names someone who has since left.
            new Step("names of moderation targets", List.of(
                    "ALTER TABLE audit ADD COLUMN target_name text",
                    "ALTER TABLE restrictions ADD COLUMN user_name text")),
            // The host's sign-in sessions (HostSession): in the shared database, so every node accepts them.
            new Step("host sign-in sessions", List.of(
                    """
                    CREATE TABLE host_sessions (
                        key        text COLLATE "C" NOT NULL PRIMARY KEY,
                        csrf_token text        NOT NULL,
                        expires_at timestamptz NOT NULL
                    )""")));

    private Migrations() {
    }

    /** The schema version this code writes: the number of known steps. */
    static int latestVersion() {
        return STEPS.size();
    }

    /**
     * Creates the schema if needed and brings it up to {@code steps.size()} in one transaction, holding an
     * advisory lock on the schema's name meanwhile, so concurrent openers migrate one after another.
     * Refuses a schema newer than {@code steps}, changing nothing.
     *
     * @param c a connection in auto-commit mode whose search_path is {@code schema}
     * @param schema the schema's name, or {@code null} for the connection's current schema
     * @throws StoreException if the schema is newer than the code or a step fails
     */
    static void migrate(Connection c, String schema, List<Step> steps) throws SQLException {
        c.setAutoCommit(false);
        int step = -1;
        try {
            String name = schema != null ? schema : currentSchema(c);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, LOCK_CLASS);
                lock.setInt(2, String.valueOf(name).hashCode());
                lock.execute();
            }
            // Looked up rather than "IF NOT EXISTS": that still needs the CREATE privilege when it exists.
            if (schema != null && !exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
                exec(c, "CREATE SCHEMA \"" + schema + "\""); // validated by Options: [a-z0-9_] only
            }
            if (!exists(c, "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?",
                    "schema_version")) {
                exec(c, """
                        CREATE TABLE schema_version (
                            version     int         NOT NULL PRIMARY KEY,
                            description text        NOT NULL,
                            applied_at  timestamptz NOT NULL DEFAULT now()
                        )""");
            }
            int version = currentVersion(c);
            if (version > steps.size()) {
                throw new StoreException("database schema version " + version + " is newer than this WebTalk "
                        + "supports (" + steps.size() + "); open it with a newer WebTalk", null);
            }
            for (step = version; step < steps.size(); step++) {
                for (String statement : steps.get(step).statements()) {
                    exec(c, statement);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
                    ps.setInt(1, step + 1);
                    ps.setString(2, steps.get(step).description());
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            if (e instanceof StoreException s) {
                throw s;
            }
            String what = step < 0 || step >= steps.size() ? "schema migration"
                    : "schema migration to version " + (step + 1) + " (" + steps.get(step).description() + ")";
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The highest version recorded; 0 for a new schema. */
    static int currentVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM schema_version");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Refuses at open a database the store could not write, rather than failing every request later:
     * a standby or read-only session, or a user without the grants on one of the tables.
     *
     * @throws StoreException naming the cause
     */
    static void probe(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on', current_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1) || rs.getBoolean(2)) {
                throw new StoreException("the database is read-only (" + (rs.getBoolean(1) ? "a standby server"
                        : "default_transaction_read_only is on") + "); WebTalk needs to write it", null);
            }
        }
        List<String> refused = new ArrayList<>();
        String user;
        // has_table_privilege with a list is true if any one is held: ask for each.
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT current_user, tablename FROM pg_tables WHERE schemaname = current_schema()
                  AND NOT (has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), 'SELECT')
                       AND has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), 'INSERT')
                       AND has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), 'UPDATE')
                       AND has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), 'DELETE'))
                ORDER BY tablename""");
             ResultSet rs = ps.executeQuery()) {
            user = null;
            while (rs.next()) {
                user = rs.getString(1);
                refused.add(rs.getString(2));
            }
        }
        if (!refused.isEmpty()) {
            throw new StoreException("user " + user + " cannot write the tables " + String.join(", ", refused)
                    + "; WebTalk needs SELECT, INSERT, UPDATE and DELETE on them", null);
        }
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_schema()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new StoreException("no schema to create the tables in (search_path names none that exists); "
                        + "set Options.schema", null);
            }
            return schema;
        }
    }

    private static boolean exists(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
