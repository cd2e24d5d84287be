package dev.webtalk.store.sqlite;

import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteMaintenanceTest {
    private static final RoomId ROOM = RoomId.of("room0001");
    private static final UserId ANA = UserId.of("ana");
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    private Path filledDatabase(int messages) {
        Path db = dir.resolve("chat.db");
        try (SqliteChatStore store = SqliteChatStore.open(db)) {
            List<StoreWrite> writes = new ArrayList<>();
            writes.add(new StoreWrite.CreateRoom(new Room(ROOM, "General", ANA, null, T0)));
            for (int seq = 1; seq <= messages; seq++) {
                writes.add(new StoreWrite.AppendMessage(new Message(ROOM, seq, ANA, "Ana", MessageKind.TEXT,
                        "message " + seq + " " + "x".repeat(200), null, T0.plusSeconds(seq), null)));
            }
            store.apply(writes);
        }
        return db;
    }

    @Test
    void aHealthyDatabaseHasNoProblems() {
        assertEquals(List.of(), SqliteMaintenance.check(filledDatabase(10)));
    }

    @Test
    void aDamagedOrForeignFileIsReportedNotThrown() throws Exception {
        Path db = filledDatabase(2_000);
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.seek(file.length() / 2);
            file.write(new byte[8192]);
        }
        assertFalse(SqliteMaintenance.check(db).isEmpty(), "zeroed pages in the middle are found");

        Path text = Files.writeString(dir.resolve("notes.db"), "this is not a database, just text ".repeat(50));
        assertFalse(SqliteMaintenance.check(text).isEmpty());
        assertThrows(StoreException.class, () -> SqliteMaintenance.check(dir.resolve("missing.db")));
    }

    @Test
    void backupIsAConsistentCopyMadeWhileTheStoreIsOpen() {
        Path db = filledDatabase(50);
        Path copy = dir.resolve("backup.db");
        try (SqliteChatStore live = SqliteChatStore.open(db)) {
            SqliteMaintenance.backup(db, copy);
            live.apply(List.of(new StoreWrite.AppendMessage(new Message(ROOM, 51, ANA, "Ana", MessageKind.TEXT,
                    "after the backup", null, T0.plusSeconds(51), null))));
        }
        assertEquals(List.of(), SqliteMaintenance.check(copy));
        try (SqliteChatStore restored = SqliteChatStore.open(copy)) {
            assertEquals(50, restored.lastSeq(ROOM), "the copy holds exactly what was committed when it was made");
            assertEquals("General", restored.room(ROOM).orElseThrow().name());
        }
    }

    @Test
    void backupNeverOverwritesAFile() throws Exception {
        Path db = filledDatabase(1);
        Path existing = Files.writeString(dir.resolve("keep.db"), "precious");
        assertThrows(StoreException.class, () -> SqliteMaintenance.backup(db, existing));
        assertEquals("precious", Files.readString(existing));
        assertThrows(StoreException.class, () -> SqliteMaintenance.backup(db, dir.resolve("no/such/dir/copy.db")));
        assertTrue(Files.notExists(dir.resolve("no")));
    }
}
