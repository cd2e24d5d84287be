package dev.webtalk.demo.admin;

import dev.webtalk.Principal;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The maintenance commands against real data directories, with and without a running server. */
class AdminCommandIT {
    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int admin(String stdin, String... args) {
        AdminCommand command = new AdminCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader(stdin)));
        return command.run(args, Map.of("WEBTALK_DATA_DIR", dataDir.toString()));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void serverWithOneRoom() throws Exception {
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir))) {
            server.chat().createRoom(Principal.user("u-ana", "Ana"), "General", null);
        }
    }

    @Test
    void checkPassesAHealthyDatabaseAndFailsADamagedOne() throws Exception {
        serverWithOneRoom();
        assertEquals(AdminCommand.OK, admin("", "check"));
        assertTrue(out().contains(": ok"), out());

        Path db = dataDir.resolve(DemoServer.DATABASE_FILE);
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.seek(0);
            file.write("garbage, not a header".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("problem"), err());
    }

    /** The first bytes of a PNG file: the signature and an IHDR chunk header. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
            0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

    @Test
    void checkFindsMissingFilesAndPurgeDeletesOnlyOldOrphans() throws Exception {
        Principal ana = Principal.user("u-ana", "Ana");
        String kept;
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir))) {
            var room = server.chat().createRoom(ana, "Files", null);
            kept = server.chat().uploadFile(ana, room.id(), "kept.png", new java.io.ByteArrayInputStream(PNG))
                    .attachment().id();
            var gone = server.chat().uploadFile(ana, room.id(), "gone.png", new java.io.ByteArrayInputStream(PNG));
            server.chat().deleteMessage(ana, room.id(), gone.seq());
        }
        Path files = dataDir.resolve(DemoServer.ATTACHMENTS_DIR);
        Path oldOrphan = Files.write(files.resolve("AAAAAAAAAAAAAAAAAAAAAA"), PNG);
        Files.setLastModifiedTime(oldOrphan, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(AdminCommand.ORPHAN_MIN_AGE).minusSeconds(60)));
        Path youngOrphan = Files.write(files.resolve("BBBBBBBBBBBBBBBBBBBBBB"), PNG);

        assertEquals(AdminCommand.OK, admin("", "check"));
        assertTrue(out().contains("1 shared file(s) present"), out());

        assertEquals(AdminCommand.OK, admin("", "purge-orphans"));
        assertTrue(out().contains("deleted 1 orphaned file(s)"), out());
        assertFalse(Files.exists(oldOrphan));
        assertTrue(Files.exists(youngOrphan), "a young file may be an upload in progress");
        assertTrue(Files.exists(files.resolve(kept)), "a referenced file is never purged");

        Files.write(files.resolve(kept), new byte[3]);
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("has 3 bytes, expected " + PNG.length), err());
        Files.delete(files.resolve(kept));
        assertEquals(AdminCommand.FAILED, admin("", "check"));
        assertTrue(err().contains("file " + kept + " is missing"), err());
    }

    @Test
    void backupRunsWhileTheServerRunsAndNeverOverwrites() throws Exception {
        Path copy = dataDir.resolve("copy.db");
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir))) {
            server.chat().createRoom(Principal.user("u-ana", "Ana"), "General", null);
            assertEquals(AdminCommand.OK, admin("", "backup", copy.toString()));
        }
        assertTrue(Files.size(copy) > 0);
        assertEquals(AdminCommand.FAILED, admin("", "backup", copy.toString()), "an existing file is kept");
        assertTrue(err().contains("exists already"), err());
        assertEquals(AdminCommand.USAGE_ERROR, admin("", "backup"));
    }

    @Test
    void wipeAsksFirstRefusesWhileTheServerRunsAndThenDeletesTheDatabase() throws Exception {
        serverWithOneRoom();
        Path db = dataDir.resolve(DemoServer.DATABASE_FILE);

        assertEquals(AdminCommand.FAILED, admin("no\n", "wipe"));
        assertTrue(Files.exists(db), "a refused confirmation deletes nothing");

        try (DemoServer running = DemoServer.start(new DemoConfig(0, dataDir))) {
            assertEquals(AdminCommand.FAILED, admin("", "wipe", "--yes"));
            assertTrue(err().contains("another WebTalk server is using"), err());
            assertEquals(1, running.chat().rooms().size(), "the running server lost nothing");
        }

        assertEquals(AdminCommand.OK, admin("wipe\n", "wipe"));
        assertFalse(Files.exists(db));
        assertFalse(Files.exists(dataDir.resolve(DemoServer.ATTACHMENTS_DIR)), "shared files go too");
        try (DemoServer fresh = DemoServer.start(new DemoConfig(0, dataDir))) {
            assertEquals(0, fresh.chat().rooms().size());
        }
    }

    @Test
    void badUsageSaysWhatIsWrong() {
        assertEquals(AdminCommand.USAGE_ERROR, admin(""));
        assertEquals(AdminCommand.USAGE_ERROR, admin("", "defrag"));
        assertTrue(err().contains("unknown command: defrag"));
        assertEquals(AdminCommand.USAGE_ERROR, admin("", "check", "--force"));
        assertEquals(AdminCommand.OK, admin("", "--help"));
        assertTrue(out().contains("backup FILE"));
    }
}
