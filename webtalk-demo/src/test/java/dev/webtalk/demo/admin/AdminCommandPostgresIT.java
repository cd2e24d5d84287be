package dev.webtalk.demo.admin;

import dev.webtalk.Message;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import dev.webtalk.store.postgres.PostgresAttachmentStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance commands against a real PostgreSQL store (a fresh schema per test, named by the URL's
 * {@code currentSchema} as a cluster's nodes are given it), with and without a node running on it.
 */
class AdminCommandPostgresIT {
    /** In the URL the commands get: it must appear in no output (trust authentication ignores it). */
    private static final String PASSWORD = "s3cret-pw-7781";
    private static final Principal ANA = Principal.user("u-ana", "Ana");

    @TempDir
    Path dataDir;
    private String postgres;
    private String schema;
    private String storeUrl;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void createSchema() throws SQLException {
        postgres = Services.postgres();
        schema = "wt_admin_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        sql("CREATE SCHEMA " + schema);
        storeUrl = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&password=" + PASSWORD;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        assertFalse(out().contains(PASSWORD) || err().contains(PASSWORD), "the password leaked:\n" + out() + err());
    }

    private int admin(String stdin, String... args) {
        AdminCommand command = new AdminCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader(stdin)));
        return command.run(args, Map.of("WEBTALK_DATA_DIR", dataDir.toString(), "WEBTALK_STORE", storeUrl));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private DemoServer node() throws Exception {
        return DemoServer.start(new DemoConfig(0, dataDir, null, SqliteChatStore.Synchronous.NORMAL, storeUrl, null));
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A PNG of {@code size} bytes: the signature and an IHDR chunk header, then zeros. */
    private static byte[] png(int size) {
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
        return Arrays.copyOf(header, Math.max(size, header.length));
    }

    private static Message upload(DemoServer node, Room room, String name, byte[] bytes) {
        return node.chat().uploadFile(ANA, room.id(), name, new ByteArrayInputStream(bytes));
    }

    @Test
    void checkPassesAHealthyStoreWhileANodeRunsAndReportsAMissingChunkAndAMovedCounter() throws Exception {
        String big;
        String roomId;
        try (DemoServer node = node()) {
            Room room = node.chat().createRoom(ANA, "Files", null);
            roomId = room.id().value();
            big = upload(node, room, "big.png", png(600 * 1024)).attachment().id(); // three chunks
            Message small = upload(node, room, "small.png", png(100));
            node.chat().pin(ANA, room.id(), small.seq());
            Message gone = upload(node, room, "gone.png", png(100));
            node.chat().deleteMessage(ANA, room.id(), gone.seq());
            node.chat().createRoom(ANA, "Empty", null);

            assertEquals(AdminCommand.OK, admin("", "check"), err());
            assertTrue(out().contains(": ok; 2 shared file(s) present"), out());
        }
        long events = count("SELECT last_pos FROM " + schema + ".rooms WHERE id = '" + roomId + "'");
        assertTrue(events >= 5, "create, three files, pin, delete: " + events);

        sql("DELETE FROM " + schema + ".attachment_chunks WHERE key = '" + big + "' AND n = 1");
        sql("UPDATE " + schema + ".rooms SET last_pos = last_pos + 1 WHERE id = '" + roomId + "'");
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("2 problem(s)"), err());
        assertTrue(err().contains("file " + big + " is incomplete: 2 chunk(s) up to number 2 hold "
                + (600 * 1024 - 256 * 1024) + " of its " + 600 * 1024 + " bytes"), err());
        assertTrue(err().contains("room " + roomId + ": last_pos is " + (events + 1)
                + " but its highest event position is " + events), err());

        // A gap in the stream: counters agree with the highest position, yet one is missing.
        sql("UPDATE " + schema + ".rooms SET last_pos = last_pos - 1 WHERE id = '" + roomId + "'");
        sql("DELETE FROM " + schema + ".events WHERE room_id = '" + roomId + "' AND pos = 2");
        sql("DELETE FROM " + schema + ".attachments WHERE key = '" + big + "'");
        err.reset();
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("room " + roomId + ": event positions are not dense: " + (events - 1)
                + " event(s) from position 1 to " + events), err());
        assertTrue(err().contains("file " + big + " is missing"), err());
    }

    @Test
    void checkReportsASchemaThatIsNoStoreAndAnUnknownVersion() throws Exception {
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("has no schema_version table"), err());

        try (DemoServer node = node()) {
            node.chat().createRoom(ANA, "General", null);
        }
        sql("INSERT INTO " + schema + ".schema_version (version, description) VALUES (99, 'from the future')");
        err.reset();
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("schema version 99 is newer than this WebTalk knows"), err());
        assertEquals(AdminCommand.FAILED, admin("", "wipe", "--yes"), "a wipe leaves a schema it does not know alone");
        assertEquals(1, count("SELECT count(*) FROM " + schema + ".rooms"));
    }

    @Test
    void purgeOrphansDeletesOnlyOldUnreferencedFilesWhileANodeRuns() throws Exception {
        try (DemoServer node = node();
             PostgresAttachmentStore files = PostgresAttachmentStore.open(PostgresDatabase.Options.of(storeUrl).withPoolSize(1))) {
            Room room = node.chat().createRoom(ANA, "Files", null);
            String kept = upload(node, room, "kept.png", png(300 * 1024)).attachment().id();
            Message gone = upload(node, room, "gone.png", png(100));
            node.chat().deleteMessage(ANA, room.id(), gone.seq());
            String oldOrphan = files.write(new ByteArrayInputStream(png(300 * 1024)), 1 << 20).key();
            String youngOrphan = files.write(new ByteArrayInputStream(png(100)), 1 << 20).key();
            sql("UPDATE " + schema + ".attachments SET stored_at = now() - interval '"
                    + (AdminCommand.ORPHAN_MIN_AGE.toMinutes() + 1) + " minutes' WHERE key IN ('" + kept + "', '" + oldOrphan + "')");

            assertEquals(AdminCommand.OK, admin("", "purge-orphans"), err());
            assertTrue(out().contains("deleted 1 orphaned file(s), " + 300 * 1024 + " bytes"), out());
            assertFalse(files.open(oldOrphan).isPresent(), "an old orphan is deleted");
            assertTrue(files.open(youngOrphan).isPresent(), "a young file may be an upload in progress");
            assertTrue(files.open(kept).isPresent(), "a referenced file is never purged, however old");
            assertEquals(0, count("SELECT count(*) FROM " + schema + ".attachment_chunks WHERE key = '" + oldOrphan + "'"),
                    "its chunks go with it");
            assertEquals(AdminCommand.OK, admin("", "check"), err());
        }
    }

    @Test
    void wipeAsksFirstThenEmptiesEveryTableAndTheStoreStillWorks() throws Exception {
        try (DemoServer node = node()) {
            Room room = node.chat().createRoom(ANA, "General", null);
            Message file = upload(node, room, "a.png", png(100));
            node.chat().pin(ANA, room.id(), file.seq());
            node.chat().react(ANA, room.id(), file.seq(), "👍", true);
        }
        assertEquals(AdminCommand.FAILED, admin("no\n", "wipe"));
        assertTrue(out().contains("Stop every node using it first") && out().contains("cannot check that none does"), out());
        assertTrue(out().contains("nothing deleted"), out());
        assertEquals(1, count("SELECT count(*) FROM " + schema + ".rooms"), "a refused confirmation deletes nothing");

        assertEquals(AdminCommand.OK, admin("wipe\n", "wipe"), err());
        assertTrue(out().contains("the schema and its version are kept"), out());
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(postgres);
             PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), count("SELECT count(*) FROM " + schema + "." + rs.getString(1)));
                }
            }
        }
        long versions = rows.remove("schema_version");
        assertTrue(versions >= 2, "the version rows are kept: " + versions);
        assertTrue(rows.keySet().containsAll(java.util.List.of("rooms", "messages", "events", "attachments",
                "attachment_chunks", "members", "settings")), rows.toString());
        rows.values().removeIf(n -> n == 0);
        assertEquals(Map.of(), rows, "every other table is empty");

        try (DemoServer fresh = node()) {
            assertEquals(0, fresh.chat().rooms().size());
            Room room = fresh.chat().createRoom(ANA, "Again", null);
            upload(fresh, room, "b.png", png(100));
            assertEquals(1, fresh.chat().rooms().size());
        }
        assertEquals(AdminCommand.OK, admin("", "check"), err());
        assertTrue(out().contains("ok; 1 shared file(s) present"), out());
    }

    @Test
    void backupWritesADumpPgRestoreCanListAndNeverOverwrites() throws Exception {
        Assumptions.assumeTrue(onPath("pg_dump") && onPath("pg_restore"), "pg_dump/pg_restore are not on the PATH "
                + "(Debian package postgresql-client): skipped");
        Path dump = dataDir.resolve("store.dump");
        try (DemoServer node = node()) {
            Room room = node.chat().createRoom(ANA, "General", null);
            upload(node, room, "a.png", png(100));
            assertEquals(AdminCommand.OK, admin("", "--store", storeUrl, "backup", dump.toString()), err());
        }
        assertTrue(out().contains("backed up schema " + schema), out());
        assertTrue(out().contains("pg_restore --dbname=URL " + dump), out());
        Process list = new ProcessBuilder("pg_restore", "--list", dump.toString()).redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor(), toc);
        for (String table : java.util.List.of("rooms", "messages", "events", "attachment_chunks", "schema_version")) {
            assertTrue(toc.contains("TABLE DATA " + schema + " " + table + " "), table + " in\n" + toc);
        }
        assertFalse(toc.contains(" public "), "only the store's schema:\n" + toc);

        long size = Files.size(dump);
        assertEquals(AdminCommand.FAILED, admin("", "backup", dump.toString()), "an existing file is kept");
        assertTrue(err().contains("exists already"), err());
        assertEquals(size, Files.size(dump));
        assertEquals(AdminCommand.USAGE_ERROR, admin("", "backup"));
    }

    @Test
    void aStoreThatIsNotPostgresIsBadUsage() {
        AdminCommand command = new AdminCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader("")));
        assertEquals(AdminCommand.USAGE_ERROR, command.run(new String[] {"check", "--store", "mysql://x?password=" + PASSWORD},
                Map.of("WEBTALK_DATA_DIR", dataDir.toString())));
        assertTrue(err().contains("--store must be sqlite or a jdbc:postgresql:// URL"), err());
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
