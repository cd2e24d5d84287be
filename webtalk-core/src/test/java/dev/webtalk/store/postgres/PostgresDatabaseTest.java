package dev.webtalk.store.postgres;

import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import dev.webtalk.spi.StoreWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Opening fails fast and says why; one pool serves both stores; closing is clear and idempotent. */
class PostgresDatabaseTest {
    private static final Room LOBBY = new Room(RoomId.of("lobby001"), "Lobby", UserId.of("alice"), null,
            Instant.parse("2024-05-01T10:00:00Z"));

    @Test
    void anUnreachableDatabaseFailsAtOpenNamingWhereItLookedWithoutThePassword() {
        // Port 1 on the loopback refuses at once: no PostgreSQL needed for this test.
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=webtalk&password=s3cret";

        StoreException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(StoreException.class, () -> PostgresChatStore.open(url)));

        assertTrue(e.getMessage().contains("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/test"), e.getMessage());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        StoreException attachments = assertThrows(StoreException.class,
                () -> PostgresAttachmentStore.open(PostgresDatabase.Options.of(url).withConnectTimeout(Duration.ofSeconds(1))));
        assertTrue(attachments.getMessage().contains("cannot connect"), attachments.getMessage());
    }

    @Test
    void optionsAreCheckedAndNeverShowThePassword() {
        assertThrows(IllegalArgumentException.class, () -> PostgresDatabase.Options.of("jdbc:sqlite:chat.db"));
        PostgresDatabase.Options options = PostgresDatabase.Options.of("jdbc:postgresql://db/chat?password=hunter2");
        assertThrows(IllegalArgumentException.class, () -> options.withPoolSize(0));
        assertThrows(IllegalArgumentException.class, () -> options.withSchema("Chat"));
        assertThrows(IllegalArgumentException.class, () -> options.withSchema("x; DROP TABLE rooms"));
        assertThrows(IllegalArgumentException.class, () -> options.withConnectTimeout(Duration.ofMillis(10)));
        assertEquals("webtalk_2", options.withSchema("webtalk_2").schema());
        assertThrows(IllegalArgumentException.class, () -> options.withCredentials(null, "another"));
        assertThrows(IllegalArgumentException.class,
                () -> PostgresDatabase.Options.of("jdbc:postgresql://db/chat?ssl=true&user=a").withCredentials("b", null));

        String shown = PostgresDatabase.Options.of("jdbc:postgresql://db/chat").withCredentials("chat", "correct horse").toString();
        assertFalse(shown.contains("correct horse"), shown);
        assertFalse(options.toString().contains("hunter2"), options.toString());
        assertTrue(shown.contains("user=chat"), shown);
    }

    @Test
    void aUserWhoCannotWriteIsRefusedAtOpen() throws Exception {
        try (TestSchemas schemas = new TestSchemas()) {
            String schema = schemas.newSchema();
            PostgresChatStore.open(schemas.options(schema)).close();
            String reader = "wt_reader_" + UUID.randomUUID().toString().substring(0, 8);
            schemas.exec("CREATE ROLE " + reader + " LOGIN",
                    "GRANT USAGE ON SCHEMA " + schema + " TO " + reader,
                    "GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + reader);
            try {
                StoreException e = assertThrows(StoreException.class, () -> PostgresChatStore.open(
                        PostgresDatabase.Options.of(schemas.urlWithoutUser()).withSchema(schema).withCredentials(reader, null)));

                assertTrue(e.getMessage().contains("user " + reader + " cannot write the tables"), e.getMessage());
                assertTrue(e.getMessage().contains("messages"), e.getMessage());
            } finally {
                schemas.exec("DROP OWNED BY " + reader, "DROP ROLE " + reader);
            }
        }
    }

    @Test
    void theChatAndAttachmentStoresShareOnePoolAndCloseClearly() throws Exception {
        try (TestSchemas schemas = new TestSchemas()) {
            PostgresDatabase db = PostgresDatabase.open(schemas.options(schemas.newSchema()));
            PostgresChatStore chat = db.chatStore();
            PostgresAttachmentStore files = db.attachmentStore();
            chat.apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
            StoredFile stored = files.write(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);

            chat.close();
            chat.close();
            assertClosed(() -> chat.room(LOBBY.id()));
            assertArrayEquals(new byte[] {1, 2, 3}, files.open(stored.key()).orElseThrow().readAllBytes(),
                    "closing one store left the database open");
            PostgresChatStore again = db.chatStore();
            assertEquals(Optional.of(LOBBY), again.room(LOBBY.id()));

            db.close();
            db.close();
            assertTrue(db.isClosed());
            assertClosed(() -> again.room(LOBBY.id()));
            assertClosed(() -> again.apply(List.of(new StoreWrite.DeleteRoom(LOBBY.id()))));
            assertClosed(() -> files.list());
            assertClosed(db::chatStore);
            files.close(); // still idempotent and quiet
        }
    }

    private static void assertClosed(Executable call) {
        StoreException e = assertThrows(StoreException.class, call);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
