package dev.webtalk.store.postgres;

import dev.webtalk.StoreException;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator tasks on a WebTalk PostgreSQL store, the counterpart of {@code SqliteMaintenance}: a
 * consistency {@link #check}, the {@link #referencedFiles}, a {@link #wipe} and a logical
 * {@link #backup} with {@code pg_dump}.
 *
 * <p>Each task opens one connection of its own (no pool) with the {@link PostgresDatabase.Options}'
 * URL, credentials and schema, and never migrates: a schema of another version is reported, not
 * changed. {@link #check} and {@link #referencedFiles} read one snapshot and are safe while nodes
 * run; {@link #wipe} is not (see there). No message or exception carries the password.
 */
public final class PostgresMaintenance {
    /** Where {@code pg_dump} comes from, for the error when it is missing. */
    static final String CLIENT_PACKAGE = "the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client)";

    private PostgresMaintenance() {
    }

    /**
     * Checks the store in one read-only snapshot: the schema version is the one this WebTalk writes;
     * every room's {@code last_seq} and {@code last_pos} equal its highest message seq and event
     * position, and both run densely from 1; no message or event belongs to a missing room; every file a
     * live message refers to is stored, with the size the message says, in complete chunks.
     *
     * @return the problems found, one line each, empty when healthy (an unreachable server or a schema
     *     that is not WebTalk's is a problem too)
     */
    public static List<String> check(PostgresDatabase.Options options) {
        List<String> problems = new ArrayList<>();
        try (Connection c = connect(options)) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                checkIn(c, options, problems);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            problems.add("unreadable: " + PostgresDatabase.rootMessage(e));
        } catch (StoreException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static void checkIn(Connection c, PostgresDatabase.Options options, List<String> problems) throws SQLException {
        String schema = schema(c, options);
        int version = Migrations.currentVersion(c);
        int latest = Migrations.latestVersion();
        if (version == 0) {
            problems.add("not a WebTalk store (schema " + schema + " has no schema version)");
            return;
        } else if (version > latest) {
            problems.add("schema version " + version + " is newer than this WebTalk knows (" + latest + ")");
            return;
        } else if (version < latest) {
            problems.add("schema version " + version + " is older than this WebTalk's (" + latest
                    + "); the next node to start migrates it");
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, r.last_seq, r.last_pos,
                       coalesce(m.hi, 0), coalesce(m.n, 0), coalesce(m.lo, 1),
                       coalesce(e.hi, 0), coalesce(e.n, 0), coalesce(e.lo, 1)
                  FROM rooms r
                  LEFT JOIN (SELECT room_id, max(seq) hi, count(*) n, min(seq) lo FROM messages GROUP BY room_id) m
                         ON m.room_id = r.id
                  LEFT JOIN (SELECT room_id, max(pos) hi, count(*) n, min(pos) lo FROM events GROUP BY room_id) e
                         ON e.room_id = r.id
                 WHERE r.last_seq <> coalesce(m.hi, 0) OR coalesce(m.n, 0) <> coalesce(m.hi, 0) OR coalesce(m.lo, 1) < 1
                    OR r.last_pos <> coalesce(e.hi, 0) OR coalesce(e.n, 0) <> coalesce(e.hi, 0) OR coalesce(e.lo, 1) < 1
                 ORDER BY r.id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String room = "room " + rs.getString(1) + ": ";
                long lastSeq = rs.getLong(2);
                long lastPos = rs.getLong(3);
                long maxSeq = rs.getLong(4);
                long messages = rs.getLong(5);
                long maxPos = rs.getLong(7);
                long events = rs.getLong(8);
                if (lastSeq != maxSeq) {
                    problems.add(room + "last_seq is " + lastSeq + " but its highest message seq is " + maxSeq);
                }
                if (messages != maxSeq || rs.getLong(6) < 1) {
                    problems.add(room + "message seqs are not dense: " + messages + " message(s) from seq "
                            + rs.getLong(6) + " to " + maxSeq);
                }
                if (lastPos != maxPos) {
                    problems.add(room + "last_pos is " + lastPos + " but its highest event position is " + maxPos);
                }
                if (events != maxPos || rs.getLong(9) < 1) {
                    problems.add(room + "event positions are not dense: " + events + " event(s) from position "
                            + rs.getLong(9) + " to " + maxPos);
                }
            }
        }
        for (String table : List.of("messages", "events")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT x.room_id, count(*) FROM " + table + " x "
                    + "WHERE NOT EXISTS (SELECT 1 FROM rooms r WHERE r.id = x.room_id) GROUP BY x.room_id ORDER BY 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problems.add(rs.getLong(2) + " " + table + " row(s) belong to room " + rs.getString(1)
                            + ", which does not exist");
                }
            }
        }
        // A file is complete when its chunks are numbered 0..n-1 and their bytes add up to its size.
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT m.file_id, m.file_size, a.size, coalesce(k.n, 0), coalesce(k.bytes, 0), coalesce(k.hi, -1)
                  FROM messages m
                  LEFT JOIN attachments a ON a.key = m.file_id
                  LEFT JOIN (SELECT key, count(*) n, sum(octet_length(bytes)) bytes, max(n) hi
                               FROM attachment_chunks GROUP BY key) k ON k.key = m.file_id
                 WHERE m.file_id IS NOT NULL
                   AND (a.key IS NULL OR a.size <> m.file_size OR coalesce(k.bytes, 0) <> a.size
                        OR coalesce(k.n, 0) <> coalesce(k.hi, -1) + 1)
                 ORDER BY m.file_id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String file = "file " + rs.getString(1);
                long expected = rs.getLong(2);
                long size = rs.getLong(3);
                if (rs.wasNull()) {
                    problems.add(file + " is missing");
                } else if (size != expected) {
                    problems.add(file + " has " + size + " bytes, expected " + expected);
                } else {
                    problems.add(file + " is incomplete: " + rs.getLong(4) + " chunk(s) up to number "
                            + rs.getLong(6) + " hold " + rs.getLong(5) + " of its " + size + " bytes");
                }
            }
        }
    }

    /**
     * The attachments live messages refer to, as key → size in bytes (one read; safe while nodes run).
     * Deleted file messages no longer refer to their bytes.
     *
     * @throws StoreException when the store cannot be read
     */
    public static Map<String, Long> referencedFiles(PostgresDatabase.Options options) {
        try (Connection c = connect(options)) {
            schema(c, options);
            Map<String, Long> files = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT file_id, file_size FROM messages WHERE file_id IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.put(rs.getString(1), rs.getLong(2));
                }
            }
            return files;
        } catch (SQLException e) {
            throw new StoreException("cannot read the file references in PostgreSQL " + describe(options) + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    /**
     * Deletes every row of every table in the store's schema (rooms, members, messages, events, files,
     * settings, …) in one transaction, keeping the tables and the {@code schema_version} rows: the
     * store opens empty afterwards. Not safe while nodes run: their caches would no longer match the
     * database. Nothing can check that from here (nodes may run on other machines), so stop them first.
     *
     * @return the tables emptied, by name, with the rows each held
     * @throws StoreException when the schema is not a WebTalk store of this version, or the wipe fails
     *     (then nothing is deleted)
     */
    public static Map<String, Long> wipe(PostgresDatabase.Options options) {
        try (Connection c = connect(options)) {
            c.setAutoCommit(false);
            try {
                String schema = schema(c, options);
                int version = Migrations.currentVersion(c);
                if (version != Migrations.latestVersion()) {
                    throw new StoreException("schema " + schema + " has schema version " + version + ", not "
                            + Migrations.latestVersion() + "; not wiping what this WebTalk does not know", null);
                }
                List<String> tables = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables "
                        + "WHERE schemaname = ? AND tablename <> 'schema_version' ORDER BY tablename")) {
                    ps.setString(1, schema);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            tables.add(rs.getString(1));
                        }
                    }
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                for (String table : tables) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + qualified(schema, table));
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
                if (!tables.isEmpty()) {
                    // One statement: foreign keys among the tables are no obstacle, and identities restart.
                    Migrations.exec(c, "TRUNCATE " + String.join(", ", tables.stream().map(t -> qualified(schema, t))
                            .toList()) + " RESTART IDENTITY");
                }
                c.commit();
                return counts;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("wiping PostgreSQL " + describe(options) + " failed, nothing deleted: "
                    + PostgresDatabase.rootMessage(e), e);
        }
    }

    /**
     * Writes a logical export of the store's schema to {@code target} with {@code pg_dump} from the
     * PATH ({@code pg_dump --format=custom --schema=SCHEMA --file TARGET URL}, the URL in libpq form
     * and a password passed in {@code PGPASSWORD}, never on the command line; {@code --no-password}, so
     * it fails rather than prompts). Safe while nodes
     * run: {@code pg_dump} reads one snapshot. Restore into an empty database (or one without the
     * schema) with {@code pg_restore --dbname=URL TARGET}.
     *
     * @return the schema exported
     * @throws StoreException when {@code target} exists already, {@code pg_dump} is not on the PATH (the
     *     message names the package to install) or it fails (its error is in the message; no partial file
     *     is left)
     */
    public static String backup(PostgresDatabase.Options options, Path target) {
        Objects.requireNonNull(target, "target");
        if (Files.exists(target)) {
            throw new StoreException("backup target " + target + " exists already; choose a new file", null);
        }
        Path pgDump = onPath("pg_dump");
        if (pgDump == null) {
            throw new StoreException("pg_dump is not on the PATH; install " + CLIENT_PACKAGE, null);
        }
        String schema;
        try (Connection c = connect(options)) {
            schema = schema(c, options);
            if (Migrations.currentVersion(c) == 0) {
                throw new StoreException("not a WebTalk store (schema " + schema + " has no schema version)", null);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot connect to PostgreSQL " + describe(options) + ": "
                    + PostgresDatabase.rootMessage(e), e);
        }
        Libpq libpq = libpq(options);
        ProcessBuilder builder = new ProcessBuilder(pgDump.toString(), "--format=custom", "--no-password",
                "--schema=" + schemaPattern(schema), "--file", target.toString(), libpq.url());
        builder.redirectErrorStream(true);
        if (libpq.password() != null) {
            builder.environment().put("PGPASSWORD", libpq.password());
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            if (exit != 0) {
                deleteQuietly(target);
                throw new StoreException("pg_dump of schema " + schema + " to " + target + " failed (exit " + exit
                        + "): " + (libpq.password() == null ? output : output.replace(libpq.password(), "***")), null);
            }
        } catch (IOException e) {
            deleteQuietly(target);
            throw new StoreException("cannot run " + pgDump + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(target);
            throw new StoreException("interrupted while pg_dump ran", e);
        }
        return schema;
    }

    /** A libpq connection URI (no password) and the password to pass beside it, or {@code null}. */
    record Libpq(String url, String password) {
        @Override
        public String toString() {
            return "Libpq[url=" + url + ", password=" + (password == null ? null : "***") + "]";
        }
    }

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql:(?://([^/?]*))?/?([^?]*)(?:\\?(.*))?");
    /** JDBC parameters that mean the same to libpq, by their libpq name. */
    private static final Map<String, String> CARRIED = Map.of("user", "user", "sslmode", "sslmode",
            "sslrootcert", "sslrootcert", "sslcert", "sslcert", "sslkey", "sslkey",
            "connecttimeout", "connect_timeout", "applicationname", "application_name");

    /**
     * {@code options}' JDBC URL as a libpq URI for the command-line tools: the same hosts (localhost
     * when none), database, user and SSL settings ({@code ssl=true} becomes {@code sslmode=verify-full},
     * as it means to the JDBC driver); JDBC-only parameters such as {@code currentSchema} are dropped.
     */
    static Libpq libpq(PostgresDatabase.Options options) {
        Matcher m = JDBC.matcher(options.jdbcUrl());
        if (!m.matches()) {
            throw new StoreException("cannot read the PostgreSQL URL " + describe(options), null);
        }
        String hosts = m.group(1) == null || m.group(1).isEmpty() ? "localhost" : m.group(1);
        String database = m.group(2);
        Map<String, String> params = new LinkedHashMap<>();
        String password = options.password();
        boolean ssl = false;
        if (m.group(3) != null) {
            for (String pair : m.group(3).split("&")) {
                int eq = pair.indexOf('=');
                String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                if (name.equals("password")) {
                    password = URLDecoder.decode(value, StandardCharsets.UTF_8);
                } else if (name.equals("ssl")) {
                    ssl = value.isEmpty() || value.equalsIgnoreCase("true");
                } else if (CARRIED.containsKey(name)) {
                    params.put(CARRIED.get(name), value); // already percent-encoded, as libpq expects
                }
            }
        }
        if (options.user() != null) {
            params.put("user", java.net.URLEncoder.encode(options.user(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (ssl) {
            params.putIfAbsent("sslmode", "verify-full");
        }
        StringBuilder url = new StringBuilder("postgresql://").append(hosts).append('/').append(database);
        String separator = "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = "&";
        }
        return new Libpq(url.toString(), password);
    }

    /** The schema as a pg_dump pattern matching only it: quoted unless plain lowercase. */
    private static String schemaPattern(String schema) {
        return schema.matches("[a-z_][a-z0-9_]*") ? schema : "\"" + schema.replace("\"", "\"\"") + "\"";
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : List.of(program, program + ".exe")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure being reported is what matters
        }
    }

    /** One connection, outside any pool, on the options' schema if they name one. */
    private static Connection connect(PostgresDatabase.Options options) throws SQLException {
        Properties properties = new Properties();
        if (options.user() != null) {
            properties.setProperty("user", options.user());
        }
        if (options.password() != null) {
            properties.setProperty("password", options.password());
        }
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
        properties.setProperty("ApplicationName", "webtalk-maintenance");
        Connection c = DriverManager.getConnection(options.jdbcUrl(), properties);
        if (options.schema() != null) {
            try {
                c.setSchema(options.schema());
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * The schema the store's tables are in (the options' or the connection's current one).
     *
     * @throws StoreException when it does not exist or holds no WebTalk store
     */
    private static String schema(Connection c, PostgresDatabase.Options options) throws SQLException {
        String schema = options.schema();
        if (schema == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT current_schema()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                schema = rs.getString(1);
            }
            if (schema == null) {
                throw new StoreException("no WebTalk store at " + describe(options) + ": its search_path names no "
                        + "schema that exists", null);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = 'schema_version'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no WebTalk store at " + describe(options) + " (schema " + schema
                            + " has no schema_version table)", null);
                }
            }
        }
        return schema;
    }

    private static String qualified(String schema, String table) {
        return "\"" + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + "\"";
    }

    private static String describe(PostgresDatabase.Options options) {
        return PostgresDatabase.redact(options.jdbcUrl()) + (options.schema() == null ? "" : " schema " + options.schema());
    }
}
