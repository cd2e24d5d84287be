package dev.webtalk.store.sqlite;

import dev.webtalk.Attachment;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.RoomEvent;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.ChatStoreContract;
import dev.webtalk.store.sqlite.SqliteChatStore.Options;
import dev.webtalk.store.sqlite.SqliteChatStore.Synchronous;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQLite store passes the contract on a real file, and keeps its schema, journal and options right. */
class SqliteChatStoreTest extends ChatStoreContract {
    private static final Room LOBBY = new Room(RoomId.of("lobby001"), "Lobby", UserId.of("alice"), null,
            Instant.parse("2024-05-01T10:00:00Z"));

    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return SqliteChatStore.open(file());
    }

    @Override
    protected ChatStore reopenStore() {
        return SqliteChatStore.open(file());
    }

    private Path file() {
        return dir.resolve("chat.db");
    }

    private SqliteChatStore sqlite() {
        return (SqliteChatStore) store();
    }

    @Test
    void queuedAppendsRunBeforeTheWritesThatFollowThemInABatch() {
        UserId alice = UserId.of("alice");
        Instant t = LOBBY.createdAt();
        Message one = new Message(LOBBY.id(), 1, alice, "Alice", MessageKind.TEXT, "one", "c-1", t, null);
        Message two = new Message(LOBBY.id(), 2, alice, "Alice", MessageKind.TEXT, "two", null, t, null);
        Message three = new Message(LOBBY.id(), 3, alice, "Alice", MessageKind.TEXT, "three", null, t, null);

        // The appends are batched in JDBC; the delete must still see message 1, and message 3 must
        // still reach the file although nothing follows it.
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY), new StoreWrite.AppendMessage(one),
                new StoreWrite.AppendMessage(two), new StoreWrite.DeleteMessage(LOBBY.id(), 1, t.plusSeconds(1)),
                new StoreWrite.AppendMessage(three)));

        assertEquals(List.of(one.deleted(t.plusSeconds(1)), two, three), store().messagesAfter(LOBBY.id(), 0, 10));
    }

    @Test
    void recordsTheSchemaVersionInTheFile() throws Exception {
        assertEquals(String.valueOf(Migrations.latestVersion()), sqlite().writerPragma("user_version"));
        store().close();

        assertEquals(String.valueOf(Migrations.latestVersion()), pragma(file(), "user_version"));
    }

    @Test
    void refusesANewerSchemaAndLeavesTheFileAlone() throws Exception {
        Path newer = Files.createDirectory(dir.resolve("newer")).resolve("chat.db");
        try (Connection c = DriverManager.getConnection(url(newer)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE from_the_future (x TEXT)");
            s.execute("PRAGMA user_version = " + (Migrations.latestVersion() + 1));
        }
        byte[] before = Files.readAllBytes(newer);

        StoreException e = assertThrows(StoreException.class, () -> SqliteChatStore.open(newer));

        assertTrue(e.getMessage().contains("newer than this WebTalk supports"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(newer), "the refused file was changed");
        assertEquals(Set.of("chat.db"), filesIn(newer.getParent()), "connections left open or files left behind");
        assertEquals("delete", pragma(newer, "journal_mode"));
    }

    @Test
    void refusesAFileThatIsNotADatabaseAndLeavesItAlone() throws Exception {
        Path notes = Files.createDirectory(dir.resolve("notes")).resolve("chat.db");
        Files.writeString(notes, "shopping: milk, eggs, a better file name\n".repeat(200));
        byte[] before = Files.readAllBytes(notes);

        StoreException e = assertThrows(StoreException.class, () -> SqliteChatStore.open(notes));

        assertTrue(e.getMessage().contains(notes.toString()), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(notes), "the refused file was changed");
        assertEquals(Set.of("chat.db"), filesIn(notes.getParent()));
    }

    @Test
    void writesInWalModeWithDefaultSettings() throws Exception {
        assertEquals("wal", sqlite().writerPragma("journal_mode"));
        assertEquals("1", sqlite().writerPragma("synchronous"), "NORMAL");
        assertEquals("5000", sqlite().writerPragma("busy_timeout"));
        assertEquals("1", sqlite().writerPragma("foreign_keys"));
        store().close();

        assertEquals("wal", pragma(file(), "journal_mode"), "WAL mode is not recorded in the file");
    }

    @Test
    void copiesTheWalIntoTheFileOnItsOwnThreadNotInTheWritersCommits() throws Exception {
        assertEquals(String.valueOf(Checkpointer.BACKSTOP_PAGES), sqlite().writerPragma("wal_autocheckpoint"));
        UserId alice = UserId.of("alice");
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
        long before = Files.size(file());
        String text = "x".repeat(1000);
        List<StoreWrite> batch = new ArrayList<>();
        for (int seq = 1; seq <= 2000; seq++) {
            batch.add(new StoreWrite.AppendMessage(new Message(LOBBY.id(), seq, alice, "Alice", MessageKind.TEXT,
                    text, "c-" + seq, LOBBY.createdAt(), null)));
            if (batch.size() == 100) {
                store().apply(batch);
                batch.clear();
            }
        }

        // About 2 MB went to the WAL: a twentieth of the writer's own threshold, so only the background
        // checkpoint can have copied it into the database file, without closing the store.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.size(file()) < before + 2_000_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.size(file()) >= before + 2_000_000,
                "the database file did not grow: " + before + " -> " + Files.size(file()));
        assertEquals(2000, store().messagesAfter(LOBBY.id(), 0, 5000).size());
    }

    @Test
    void appliesTheGivenOptions() {
        Options options = Options.defaults()
                .withSynchronous(Synchronous.FULL)
                .withBusyTimeout(Duration.ofMillis(250))
                .withReadPoolSize(1);
        try (SqliteChatStore other = SqliteChatStore.open(dir.resolve("other.db"), options)) {
            assertEquals(options, other.options());
            assertEquals("2", other.writerPragma("synchronous"), "FULL");
            assertEquals("250", other.writerPragma("busy_timeout"));

            other.apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
            assertEquals(List.of(LOBBY), other.rooms());
            assertEquals(Optional.of(LOBBY), other.room(LOBBY.id()), "the only read connection was not returned");
        }
    }

    @Test
    void optionsAreValidated() {
        Options defaults = Options.defaults();
        assertEquals(new Options(Synchronous.NORMAL, Duration.ofSeconds(5), 4), defaults);
        assertEquals(Duration.ZERO, defaults.withBusyTimeout(Duration.ZERO).busyTimeout());

        assertThrows(NullPointerException.class, () -> defaults.withSynchronous(null));
        assertThrows(NullPointerException.class, () -> defaults.withBusyTimeout(null));
        assertRejected("busyTimeout", () -> defaults.withBusyTimeout(Duration.ofMillis(-1)));
        assertRejected("busyTimeout", () -> defaults.withBusyTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L)));
        assertRejected("busyTimeout", () -> defaults.withBusyTimeout(Duration.ofSeconds(Long.MAX_VALUE)));
        assertRejected("readPoolSize", () -> defaults.withReadPoolSize(0));
        assertThrows(NullPointerException.class, () -> SqliteChatStore.open(dir.resolve("none.db"), null));
    }

    @Test
    void createsMissingParentDirectories() {
        Path nested = dir.resolve("a/b/chat.db");
        try (SqliteChatStore store = SqliteChatStore.open(nested)) {
            assertEquals(nested.toAbsolutePath(), store.file());
            assertTrue(Files.isRegularFile(nested));
        }
    }

    @Test
    void closeReleasesEveryConnection() throws Exception {
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
        assertEquals(List.of(LOBBY), store().rooms());

        store().close();

        // SQLite removes the -wal and -shm files only when the last connection to the file closes.
        assertEquals(Set.of("chat.db"), filesIn(dir));
    }

    @Test
    void readsDoNotWaitForAnotherWritersTransaction() throws Exception {
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
        try (Connection other = DriverManager.getConnection(url(file())); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("DELETE FROM rooms");

            // The default busy timeout is 5 s: a read stuck behind the lock would blow this bound.
            assertTimeout(Duration.ofSeconds(2), () -> assertEquals(List.of(LOBBY), store().rooms()));
            s.execute("ROLLBACK");
        }
    }

    @Test
    void aWriteBlockedByAnotherProcessFailsAfterTheBusyTimeout() throws Exception {
        Path shared = dir.resolve("shared.db");
        Options impatient = Options.defaults().withBusyTimeout(Duration.ofMillis(100));
        try (SqliteChatStore store = SqliteChatStore.open(shared, impatient);
             Connection other = DriverManager.getConnection(url(shared)); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");

            StoreException e = assertThrows(StoreException.class,
                    () -> store.apply(List.of(new StoreWrite.CreateRoom(LOBBY))));
            assertTrue(e.getMessage().contains("write transaction"), e.getMessage());

            s.execute("ROLLBACK");
            store.apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
            assertEquals(List.of(LOBBY), store.rooms());
        }
    }

    @Test
    void migrationRunsOnlyMissingStepsAndStopsAtAFailingOne() throws Exception {
        store().close();
        int latest = Migrations.latestVersion();
        List<Migrations.Step> steps = new ArrayList<>(Migrations.STEPS);
        steps.add(new Migrations.Step("room topics", List.of("ALTER TABLE rooms ADD COLUMN topic TEXT")));
        steps.add(new Migrations.Step("broken step", List.of("CREATE TABLE half_done (x TEXT)", "NOT SQL AT ALL")));

        try (Connection c = DriverManager.getConnection(url(file()))) {
            StoreException e = assertThrows(StoreException.class, () -> Migrations.migrate(c, steps));

            assertTrue(e.getMessage().contains("version " + (latest + 2) + " (broken step)"), e.getMessage());
            assertEquals(latest + 1, Migrations.currentVersion(c));
            assertTrue(hasColumn(c, "rooms", "topic"), "the good step was not kept");
            assertFalse(hasColumn(c, "half_done", "x"), "the failed step was not rolled back");
        }
    }

    @Test
    void aVersionOneDatabaseGainsFileColumnsAndKeepsItsMessages() throws Exception {
        store().close();
        Path old = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection(url(old)); Statement s = c.createStatement()) {
            Migrations.migrate(c, Migrations.STEPS.subList(0, 1));
            s.execute("INSERT INTO rooms VALUES ('lobby001', 'Lobby', 'alice', NULL, 0)");
            s.execute("INSERT INTO messages VALUES ('lobby001', 1, 'alice', 'Alice', 'TEXT', 'hi', NULL, 1000, NULL)");
        }

        try (SqliteChatStore store = SqliteChatStore.open(old)) {
            Message hi = store.message(LOBBY.id(), 1).orElseThrow();
            assertEquals("hi", hi.text());
            assertEquals(null, hi.attachment());
            Message file = new Message(LOBBY.id(), 2, UserId.of("alice"), "Alice", MessageKind.FILE, "cat.png", null,
                    Instant.ofEpochMilli(2000), null, new Attachment("fileAAAAAAAAAAAAAAAAAA", "cat.png", "image/png", 42));
            store.apply(List.of(new StoreWrite.AppendMessage(file)));
            assertEquals(Optional.of(file), store.messageByAttachment(LOBBY.id(), "fileAAAAAAAAAAAAAAAAAA"));
        }
        assertEquals(String.valueOf(Migrations.latestVersion()), pragma(old, "user_version"));
    }

    /**
     * A database written by the previous release (schema version 4, before the event stream): its
     * messages become the first events of their rooms, posted at pos = seq, deleted ones included, so the
     * stream starts where the history starts and new changes continue after it.
     */
    @Test
    void aVersionFourDatabaseGainsAStreamThatStartsWithItsMessages() throws Exception {
        store().close();
        Path old = dir.resolve("v4.db");
        try (Connection c = DriverManager.getConnection(url(old)); Statement s = c.createStatement()) {
            Migrations.migrate(c, Migrations.STEPS.subList(0, 4));
            s.execute("INSERT INTO rooms VALUES ('lobby001', 'Lobby', 'alice', NULL, 0)");
            s.execute("INSERT INTO rooms VALUES ('attic002', 'Attic', 'alice', NULL, 0)");
            s.execute("INSERT INTO members VALUES ('lobby001', 'bob', 'Bob', 'MEMBER', 500, 1)");
            s.execute("INSERT INTO members VALUES ('attic002', 'bob', 'Bob', 'MEMBER', 500, 1)");
            s.execute("INSERT INTO messages (room_id, seq, author_id, author_name, kind, text, client_msg_id, created_at, "
                    + "deleted_at) VALUES ('lobby001', 1, 'alice', 'Alice', 'TEXT', 'hi', 'c-1', 1000, NULL), "
                    + "('lobby001', 2, 'bob', 'Bob', 'TEXT', NULL, NULL, 2000, 2500), "
                    + "('lobby001', 3, 'alice', 'Alice', 'TEXT', 'bye', NULL, 3000, NULL)");
        }

        try (SqliteChatStore store = SqliteChatStore.open(old)) {
            RoomId lobby = LOBBY.id();
            assertEquals(3, store.lastPos(lobby));
            assertEquals(List.of(
                    RoomEvent.aboutMessage(lobby, 1, RoomEvent.Kind.MESSAGE_POSTED, Instant.ofEpochMilli(1000), 1),
                    RoomEvent.aboutMessage(lobby, 2, RoomEvent.Kind.MESSAGE_POSTED, Instant.ofEpochMilli(2000), 2),
                    RoomEvent.aboutMessage(lobby, 3, RoomEvent.Kind.MESSAGE_POSTED, Instant.ofEpochMilli(3000), 3)),
                    store.eventsAfter(lobby, 0, 10));
            assertEquals(0, store.lastPos(RoomId.of("attic002")));
            assertEquals(3, store.readSeq(lobby, UserId.of("bob")), "members from before have read everything");
            assertEquals(0, store.readSeq(RoomId.of("attic002"), UserId.of("bob")));
            assertEquals(List.of(RoomId.of("attic002"), lobby).stream().sorted(java.util.Comparator.comparing(RoomId::value)).toList(),
                    store.roomsOf(UserId.of("bob")).stream().sorted(java.util.Comparator.comparing(RoomId::value)).toList());
            Message hi = store.message(lobby, 1).orElseThrow();
            assertEquals("hi", hi.text());
            assertEquals(null, hi.editedAt());
            assertTrue(store.message(lobby, 2).orElseThrow().isDeleted());

            store.apply(List.of(new StoreWrite.EditMessage(lobby, 1, "hello", Instant.ofEpochMilli(4000)),
                    new StoreWrite.AppendEvent(RoomEvent.aboutMessage(lobby, 4, RoomEvent.Kind.MESSAGE_EDITED,
                            Instant.ofEpochMilli(4000), 1))));
            assertEquals("hello", store.message(lobby, 1).orElseThrow().text());
            assertEquals(List.of(new MessageEdit(lobby, 1, "hi", Instant.ofEpochMilli(4000))), store.edits(lobby, 1));
            assertEquals(4, store.lastPos(lobby));
        }
        assertEquals(String.valueOf(Migrations.latestVersion()), pragma(old, "user_version"));
    }

    /** Issue #16: a file whose table pages are damaged is refused at open, not at every request. */
    @Test
    void aDamagedFileIsRefusedAtOpenSayingSo() throws Exception {
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
        store().close();
        long root;
        long pageSize;
        try (Connection c = DriverManager.getConnection(url(file())); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            try (ResultSet rs = s.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = 'messages'")) {
                rs.next();
                root = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                pageSize = rs.getLong(1);
            }
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file(),
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] junk = new byte[(int) pageSize];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            ch.write(java.nio.ByteBuffer.wrap(junk), (root - 1) * pageSize);
        }

        StoreException e = assertThrows(StoreException.class, () -> SqliteChatStore.open(file()));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    /** Issue #16: a store that cannot write says "read-only" at open (probed on a read-only connection). */
    @Test
    void aFileThatCannotBeWrittenIsRefusedSayingReadOnly() throws Exception {
        store().close();
        org.sqlite.SQLiteConfig readOnly = new org.sqlite.SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = readOnly.createConnection(url(file()))) {
            StoreException e = assertThrows(StoreException.class, () -> SqliteChatStore.probe(c));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(url(file()))) {
            SqliteChatStore.probe(c); // a writable, sound file passes
        }
    }

    @Test
    void roomActivityAndMessageCountSinceMatchABruteForceCount() {
        UserId alice = UserId.of("alice");
        SplittableRandom random = new SplittableRandom(7);
        long start = LOBBY.createdAt().toEpochMilli();
        List<Message> stored = new ArrayList<>();
        List<StoreWrite> writes = new ArrayList<>();
        int[] sizes = {0, 1, 2, 3, 50, 257, 1024};
        for (int r = 0; r < sizes.length; r++) {
            RoomId id = RoomId.of("stats" + r);
            writes.add(new StoreWrite.CreateRoom(new Room(id, "Stats " + r, alice, null, LOBBY.createdAt())));
            long at = start + random.nextInt(5_000); // rooms overlap in time, each starting elsewhere
            for (long seq = 1; seq <= sizes[r]; seq++) {
                at += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 2_000); // a quarter share a millisecond
                Message m = new Message(id, seq, alice, "Alice", MessageKind.TEXT, "m" + seq, null,
                        Instant.ofEpochMilli(at), null);
                writes.add(new StoreWrite.AppendMessage(m));
                stored.add(m);
            }
        }
        RoomId gone = RoomId.of("gone");
        writes.add(new StoreWrite.CreateRoom(new Room(gone, "Gone", alice, null, LOBBY.createdAt())));
        for (long seq = 1; seq <= 20; seq++) {
            writes.add(new StoreWrite.AppendMessage(new Message(gone, seq, alice, "Alice", MessageKind.TEXT, "x",
                    null, Instant.ofEpochMilli(start + seq), null)));
        }
        store().apply(writes);
        // Soft-deleted messages still count; a deleted room's messages are gone.
        List<StoreWrite> deletions = new ArrayList<>();
        for (int i = 0; i < stored.size(); i += 5) {
            Message m = stored.get(i);
            deletions.add(new StoreWrite.DeleteMessage(m.roomId(), m.seq(), m.createdAt().plusSeconds(1)));
        }
        deletions.add(new StoreWrite.DeleteRoom(gone));
        store().apply(deletions);

        Map<RoomId, ChatStore.RoomActivity> expected = new HashMap<>();
        for (Message m : stored) { // in seq order, so the last one seen is the newest
            ChatStore.RoomActivity before = expected.get(m.roomId());
            expected.put(m.roomId(), new ChatStore.RoomActivity(before == null ? 1 : before.messages() + 1,
                    m.createdAt()));
        }
        assertEquals(sizes.length - 1, expected.size(), "the room without messages has no entry");
        assertEquals(expected, store().roomActivity());

        TreeSet<Long> times = new TreeSet<>();
        stored.forEach(m -> times.add(m.createdAt().toEpochMilli()));
        List<Long> sinces = new ArrayList<>(List.of(0L, times.first() - 1, times.last() + 1, Long.MAX_VALUE / 2));
        for (long t : times) { // exactly at every creation time, and either side of it
            sinces.addAll(List.of(t - 1, t, t + 1));
        }
        for (long since : sinces) {
            long bruteForce = stored.stream().filter(m -> m.createdAt().toEpochMilli() >= since).count();
            assertEquals(bruteForce, store().messageCountSince(Instant.ofEpochMilli(since)), "since " + since);
        }
    }

    @Test
    void aSeqLeftUnusedByAFailedAppendCountsButDoesNotDerailTheSearch() {
        UserId alice = UserId.of("alice");
        List<StoreWrite> writes = new ArrayList<>(List.of(new StoreWrite.CreateRoom(LOBBY)));
        for (long seq = 1; seq <= 10; seq++) {
            if (seq != 5) { // seq 5 was taken by an append whose write failed
                writes.add(new StoreWrite.AppendMessage(new Message(LOBBY.id(), seq, alice, "Alice", MessageKind.TEXT,
                        "m" + seq, null, LOBBY.createdAt().plusSeconds(seq), null)));
            }
        }
        store().apply(writes);

        assertEquals(10, store().roomActivity().get(LOBBY.id()).messages(), "counted by the highest seq");
        for (long seq = 7; seq <= 11; seq++) {
            assertEquals(11 - seq, store().messageCountSince(LOBBY.createdAt().plusSeconds(seq)), "from " + seq);
        }
        // The unused seq counts with the message after it: once that one counts, so does the gap.
        assertEquals(6, store().messageCountSince(LOBBY.createdAt().plusSeconds(6)));
        assertEquals(6, store().messageCountSince(LOBBY.createdAt().plusSeconds(5)));
        assertEquals(7, store().messageCountSince(LOBBY.createdAt().plusSeconds(4)));
        assertEquals(10, store().messageCountSince(LOBBY.createdAt()));
    }

    @Test
    void theStatisticsQueriesSeekMessagesAndNeverScanThem() throws Exception {
        UserId alice = UserId.of("alice");
        List<StoreWrite> writes = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            RoomId id = RoomId.of("plan" + r);
            writes.add(new StoreWrite.CreateRoom(new Room(id, "Plan " + r, alice, null, LOBBY.createdAt())));
            for (long seq = 1; seq <= 100; seq++) {
                writes.add(new StoreWrite.AppendMessage(new Message(id, seq, alice, "Alice", MessageKind.TEXT, "m",
                        "c-" + seq, LOBBY.createdAt().plusSeconds(seq), null)));
            }
        }
        store().apply(writes);

        try (Connection c = DriverManager.getConnection(url(file()))) {
            for (boolean analyzed : new boolean[] {false, true}) {
                if (analyzed) { // table statistics change the planner's costs: the plans must hold with them too
                    try (Statement s = c.createStatement()) {
                        s.execute("ANALYZE");
                    }
                }
                for (String sql : List.of(Sql.ROOM_ACTIVITY, Sql.MESSAGES_SINCE)) {
                    List<String> plan = queryPlan(c, sql);
                    String where = (analyzed ? "after ANALYZE, " : "") + "plan " + plan + " of " + sql;
                    // Only rooms (alias r) and the search's own rows (s) may be scanned; messages (alias m) never.
                    for (String step : plan) {
                        if (step.startsWith("SCAN ")) {
                            String table = step.split(" ")[1];
                            assertTrue(Set.of("rooms", "r", "s", "search").contains(table),
                                    "scans " + table + ": " + where);
                        }
                    }
                    assertTrue(plan.stream().anyMatch(step -> step.matches("SEARCH (messages|m) USING PRIMARY KEY .*")),
                            "no primary-key seek into messages: " + where);
                }
            }
        }
    }

    /** The {@code detail} column of {@code EXPLAIN QUERY PLAN}, one entry per step. */
    private static List<String> queryPlan(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setLong(i, 0);
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }

    private static void assertRejected(String option, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file;
    }

    private static String pragma(Path file, String pragma) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(file)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Set<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
