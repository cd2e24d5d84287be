package dev.webtalk.store.postgres;

import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.StoreConflictException;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.ChatStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL store passes the contract, each test on a new schema of its own; and when another
 * writer of the same database numbered a room first, it refuses the batch as a conflict.
 */
class PostgresChatStoreTest extends ChatStoreContract {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Room LOBBY = new Room(RoomId.of("lobby001"), "Lobby", UserId.of("alice"), null, T0);
    private static final UserId ALICE = UserId.of("alice");

    private TestSchemas schemas;
    private String schema;

    @Override
    protected ChatStore openStore() {
        schemas = new TestSchemas();
        schema = schemas.newSchema();
        return PostgresChatStore.open(schemas.options(schema));
    }

    @Override
    protected ChatStore reopenStore() {
        return PostgresChatStore.open(schemas.options(schema));
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (store() != null) {
            store().close(); // before the drop; the contract's own close after it is a no-op
        }
        if (schemas != null) {
            schemas.close();
        }
    }

    /** A second store on the same schema, as another node would open it. */
    private PostgresChatStore otherNode() {
        return PostgresChatStore.open(schemas.options(schema));
    }

    private static Message text(long seq, String clientMsgId) {
        return new Message(LOBBY.id(), seq, ALICE, "Alice", MessageKind.TEXT, "message " + seq, clientMsgId,
                T0.plusSeconds(seq), null);
    }

    /** A message and its MESSAGE_POSTED event, as the engine appends them. */
    private static List<StoreWrite> post(long seq, long pos) {
        Message m = text(seq, "c-" + seq);
        return List.of(new StoreWrite.AppendMessage(m),
                new StoreWrite.AppendEvent(RoomEvent.aboutMessage(LOBBY.id(), pos, RoomEvent.Kind.MESSAGE_POSTED, m.createdAt(), seq)));
    }

    private static List<StoreWrite> concat(List<StoreWrite> a, List<StoreWrite> b) {
        List<StoreWrite> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aBatchNumberedFromStaleSeqsIsAConflictAndStoresNothing() {
        store().apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
        try (PostgresChatStore other = otherNode()) {
            other.apply(concat(post(1, 1), post(2, 2)));

            // This node still believes the room is empty: its message 1 collides.
            Member bob = new Member(LOBBY.id(), UserId.of("bob"), "Bob", MemberRole.MEMBER, T0);
            StoreConflictException e = assertThrows(StoreConflictException.class,
                    () -> store().apply(concat(List.of(new StoreWrite.PutMember(bob)), post(1, 1))));

            assertTrue(e.getMessage().contains("message seq 1 given, but the store's next is 3"), e.getMessage());
            assertEquals(List.of(), store().members(LOBBY.id()), "nothing of the refused batch is stored");
            assertEquals(2, store().lastSeq(LOBBY.id()));
            assertEquals(2, store().lastPos(LOBBY.id()));

            // Numbered again from what the store says, the same writes go through.
            store().apply(concat(List.of(new StoreWrite.PutMember(bob)), post(3, 3)));
            assertEquals(3, other.lastSeq(LOBBY.id()));
            assertEquals(List.of(bob), other.members(LOBBY.id()));
        }
    }

    @Test
    void aStaleStreamPositionIsAConflictToo() {
        store().apply(concat(List.of(new StoreWrite.CreateRoom(LOBBY)), post(1, 1)));
        try (PostgresChatStore other = otherNode()) {
            other.apply(List.of(new StoreWrite.AppendEvent(
                    RoomEvent.aboutMember(LOBBY.id(), 2, RoomEvent.Kind.MEMBER_JOINED, T0, ALICE))));

            // The seq is right (2), the position is not (2 is taken).
            assertThrows(StoreConflictException.class, () -> store().apply(post(2, 2)));

            store().apply(post(2, 3));
            assertEquals(List.of(1L, 2L, 3L), store().eventsAfter(LOBBY.id(), 0, 10).stream().map(RoomEvent::pos).toList());
        }
    }

    @Test
    void aTakenKeyBehindStaleNumbersIsAConflictButOtherFailuresAreNot() throws Exception {
        store().apply(concat(List.of(new StoreWrite.CreateRoom(LOBBY)), post(1, 1)));
        // The numbering row lags the rows (as it never does by itself): the insert hits the primary key.
        schemas.exec("UPDATE " + schema + ".rooms SET last_seq = 0, last_pos = 0");

        assertInstanceOf(StoreConflictException.class, assertThrows(StoreException.class, () -> store().apply(post(1, 1))));
        schemas.exec("UPDATE " + schema + ".rooms SET last_seq = 1, last_pos = 1");

        StoreException duplicateClientId = assertThrows(StoreException.class, () -> store().apply(List.of(
                new StoreWrite.AppendMessage(text(2, "c-1")))));
        StoreException missingRoom = assertThrows(StoreException.class, () -> store().apply(List.of(
                new StoreWrite.AppendMessage(new Message(RoomId.of("nowhere9"), 1, ALICE, "Alice", MessageKind.TEXT,
                        "hi", null, T0, null)))));
        StoreException gapInBatch = assertThrows(StoreException.class, () -> store().apply(List.of(
                new StoreWrite.AppendMessage(text(2, null)), new StoreWrite.AppendMessage(text(4, null)))));
        StoreException memberOfMissingRoom = assertThrows(StoreException.class, () -> store().apply(List.of(
                new StoreWrite.PutMember(new Member(RoomId.of("nowhere9"), ALICE, "Alice", MemberRole.MEMBER, T0)))));

        for (StoreException e : List.of(duplicateClientId, missingRoom, gapInBatch, memberOfMissingRoom)) {
            assertFalse(e instanceof StoreConflictException, "retrying would not help, yet: " + e);
        }
        assertTrue(duplicateClientId.getMessage().contains("messages_by_client_id"), duplicateClientId.getMessage());
        assertTrue(missingRoom.getMessage().contains("nowhere9 does not exist"), missingRoom.getMessage());
        assertTrue(gapInBatch.getMessage().contains("message seq 4 given where 3 follows"), gapInBatch.getMessage());
        assertFalse(duplicateClientId.getMessage().contains("message 2"), "a message's text in an error: "
                + duplicateClientId.getMessage());
        assertEquals(1, store().lastSeq(LOBBY.id()));
    }

    @Test
    void theSchemaVersionIsRecordedOnePerStep() throws Exception {
        try (Connection c = schemas.connect();
             PreparedStatement ps = c.prepareStatement("SELECT version, description FROM " + schema
                     + ".schema_version ORDER BY version");
             ResultSet rs = ps.executeQuery()) {
            for (int v = 1; v <= Migrations.latestVersion(); v++) {
                assertTrue(rs.next());
                assertEquals(v, rs.getInt(1));
                assertEquals(Migrations.STEPS.get(v - 1).description(), rs.getString(2));
            }
            assertFalse(rs.next());
        }
    }

    @Test
    void commitsAreDurableWhateverTheUrlAsks() {
        String url = schemas.url() + "&options=" + URLEncoder.encode("-c synchronous_commit=off", StandardCharsets.UTF_8);
        try (PostgresChatStore lax = PostgresChatStore.open(PostgresDatabase.Options.of(url).withSchema(schema))) {
            assertEquals("on", lax.sessionSetting("synchronous_commit"));
        }
        String strict = schemas.url() + "&options=" + URLEncoder.encode("-c synchronous_commit=remote_apply", StandardCharsets.UTF_8);
        try (PostgresChatStore kept = PostgresChatStore.open(PostgresDatabase.Options.of(strict).withSchema(schema))) {
            assertEquals("remote_apply", kept.sessionSetting("synchronous_commit"), "a stronger setting is left alone");
        }
    }

    @Test
    void textWithNulAndItsEscapeCharacterRoundTripsAndIsFoundByIt() {
        String odd = "a\u0000b\u0001c\u0001\u0000\u00010";
        Room room = new Room(LOBBY.id(), odd, UserId.of("u\u0000"), null, T0);
        Message m = new Message(LOBBY.id(), 1, UserId.of("u\u0000"), odd, MessageKind.TEXT, odd, odd, T0, null);
        store().apply(List.of(new StoreWrite.CreateRoom(room), new StoreWrite.AppendMessage(m)));

        assertEquals(Optional.of(room), store().room(LOBBY.id()));
        assertEquals(Optional.of(m), store().messageByClientId(LOBBY.id(), UserId.of("u\u0000"), odd));
        assertEquals(Optional.empty(), store().messageByClientId(LOBBY.id(), UserId.of("u\u0000"), "a\u0001b\u0001c"));
    }
}
