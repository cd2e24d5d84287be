package dev.webtalk.store;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.Pin;
import dev.webtalk.Reaction;
import dev.webtalk.MessageKind;
import dev.webtalk.ModerationAction;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.HostSession;
import dev.webtalk.spi.StoreWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link ChatStore} must have. A store's test passes it by extending this class and
 * saying how to open the store; a durable store also says how to reopen its data after a close.
 *
 * <p>Every test starts from a new, empty store and closes it afterwards. Ids, names and times are
 * fixed, so a failure reproduces.
 */
public abstract class ChatStoreContract {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final RoomId LOBBY = RoomId.of("lobby001");
    private static final RoomId ATTIC = RoomId.of("attic002");
    private static final RoomId CELLAR = RoomId.of("cellar03");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final UserId CAROL = UserId.of("carol");
    private static final String HASH = "pbkdf2-sha256$600000$c2FsdA$aGFzaA";

    private ChatStore store;

    /** A new, empty, open store. Called before each test. */
    protected abstract ChatStore openStore();

    /**
     * Opens a store on the data that the last store, now closed, left behind. Durable stores override
     * this; the default skips the test, for stores that keep nothing across a close.
     */
    protected ChatStore reopenStore() {
        Assumptions.abort(getClass().getSimpleName() + " keeps nothing across a close");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    final void openFreshStore() {
        store = openStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** The store under test. */
    protected final ChatStore store() {
        return store;
    }

    // ---- rooms ----

    @Test
    void roomIsReadBackWithAndWithoutPasswordHash() {
        Room open = room(LOBBY, 0, null);
        Room locked = room(ATTIC, 1, HASH);
        apply(new StoreWrite.CreateRoom(open), new StoreWrite.CreateRoom(locked));

        assertEquals(Optional.of(open), store.room(LOBBY));
        assertEquals(Optional.of(locked), store.room(ATTIC));
        assertNull(store.room(LOBBY).orElseThrow().passwordHash());
        assertEquals(HASH, store.room(ATTIC).orElseThrow().passwordHash());
    }

    @Test
    void roomsAreListedOldestFirstAndByIdAtTheSameInstant() {
        Room newest = room(CELLAR, 5, null);
        Room oldest = room(LOBBY, 1, HASH);
        Room sameAsNewest = room(ATTIC, 5, null);
        apply(new StoreWrite.CreateRoom(newest));
        apply(new StoreWrite.CreateRoom(oldest), new StoreWrite.CreateRoom(sameAsNewest));

        assertEquals(List.of(oldest, sameAsNewest, newest), store.rooms());
    }

    @Test
    void unknownRoomReadsAsEmpty() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        RoomId unknown = RoomId.of("nowhere9");

        assertAll(
                () -> assertEquals(Optional.empty(), store.room(unknown)),
                () -> assertEquals(List.of(), store.members(unknown)),
                () -> assertEquals(Optional.empty(), store.member(unknown, ALICE)),
                () -> assertEquals(0L, store.lastSeq(unknown)),
                () -> assertEquals(List.of(), store.history(unknown, Long.MAX_VALUE, 50)),
                () -> assertEquals(List.of(), store.messagesAfter(unknown, 0, 50)),
                () -> assertEquals(Optional.empty(), store.message(unknown, 1)),
                () -> assertEquals(Optional.empty(), store.messageByClientId(unknown, ALICE, "c-1")),
                () -> assertEquals(Optional.empty(), store.messageByAttachment(unknown, "fileAAAAAAAAAAAAAAAAAA")),
                () -> assertEquals(Map.of(), store.memberCounts()));
    }

    @Test
    void creatingATakenRoomIdFailsAndKeepsTheFirstRoom() {
        Room first = room(LOBBY, 0, null);
        apply(new StoreWrite.CreateRoom(first));

        assertBatchFails(new StoreWrite.CreateRoom(new Room(LOBBY, "Impostor", BOB, HASH, T0.plusSeconds(9))));

        assertEquals(List.of(first), store.rooms());
    }

    @Test
    void deletingARoomRemovesItsMembersAndMessagesOnly() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)),
                put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1), put(ATTIC, CAROL, 2),
                append(text(LOBBY, 1, ALICE, "hi", "c-1")), append(text(ATTIC, 1, CAROL, "up here", "c-1")));

        apply(new StoreWrite.DeleteRoom(LOBBY));

        assertAll(
                () -> assertEquals(Optional.empty(), store.room(LOBBY)),
                () -> assertEquals(List.of(), store.members(LOBBY)),
                () -> assertEquals(Optional.empty(), store.member(LOBBY, ALICE)),
                () -> assertEquals(0L, store.lastSeq(LOBBY)),
                () -> assertEquals(List.of(), store.messagesAfter(LOBBY, 0, 50)),
                () -> assertEquals(Optional.empty(), store.messageByClientId(LOBBY, ALICE, "c-1")),
                () -> assertEquals(Map.of(ATTIC, 1), store.memberCounts()),
                () -> assertEquals(List.of(room(ATTIC, 1, null)), store.rooms()),
                () -> assertEquals(List.of(member(ATTIC, CAROL, 2)), store.members(ATTIC)),
                () -> assertEquals(List.of(text(ATTIC, 1, CAROL, "up here", "c-1")),
                        store.messagesAfter(ATTIC, 0, 50)));
    }

    @Test
    void aDeletedRoomsIdStartsAfreshWhenCreatedAgain() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, HASH)), put(LOBBY, ALICE, 0),
                append(text(LOBBY, 1, ALICE, "old", "c-1")));
        apply(new StoreWrite.DeleteRoom(LOBBY));

        Room again = room(LOBBY, 7, null);
        Message first = text(LOBBY, 1, ALICE, "new", "c-1");
        apply(new StoreWrite.CreateRoom(again), append(first));

        assertEquals(Optional.of(again), store.room(LOBBY));
        assertEquals(List.of(), store.members(LOBBY));
        assertEquals(List.of(first), store.messagesAfter(LOBBY, 0, 50));
        assertEquals(Optional.of(first), store.messageByClientId(LOBBY, ALICE, "c-1"));
    }

    @Test
    void deletingAMissingRoomIsNotAnError() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));

        apply(new StoreWrite.DeleteRoom(ATTIC));

        assertEquals(List.of(room(LOBBY, 0, null)), store.rooms());
    }

    // ---- members ----

    @Test
    void membersAreListedInJoinOrder() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), put(LOBBY, CAROL, 0));
        apply(put(LOBBY, ALICE, 1), put(LOBBY, BOB, 2));

        assertEquals(List.of(member(LOBBY, CAROL, 0), member(LOBBY, ALICE, 1), member(LOBBY, BOB, 2)),
                store.members(LOBBY));
        assertEquals(Optional.of(member(LOBBY, ALICE, 1)), store.member(LOBBY, ALICE));
        assertEquals(Optional.empty(), store.member(LOBBY, UserId.of("dave")));
    }

    @Test
    void puttingAnExistingMemberReplacesItInPlace() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1));
        Member promoted = new Member(LOBBY, ALICE, "Alice the Mod", MemberRole.MODERATOR, T0.plusSeconds(5));

        apply(new StoreWrite.PutMember(promoted));

        assertEquals(List.of(promoted, member(LOBBY, BOB, 1)), store.members(LOBBY));
        assertEquals(Optional.of(promoted), store.member(LOBBY, ALICE));
    }

    @Test
    void aMemberWhoLeavesAndComesBackJoinsLast() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)),
                put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1), put(LOBBY, CAROL, 2));

        apply(new StoreWrite.RemoveMember(LOBBY, ALICE));
        assertEquals(List.of(member(LOBBY, BOB, 1), member(LOBBY, CAROL, 2)), store.members(LOBBY));
        assertEquals(Optional.empty(), store.member(LOBBY, ALICE));

        apply(put(LOBBY, ALICE, 3));
        assertEquals(List.of(member(LOBBY, BOB, 1), member(LOBBY, CAROL, 2), member(LOBBY, ALICE, 3)),
                store.members(LOBBY));
    }

    @Test
    void removingAMissingMembershipIsNotAnError() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), put(LOBBY, ALICE, 0));

        apply(new StoreWrite.RemoveMember(LOBBY, BOB), new StoreWrite.RemoveMember(ATTIC, ALICE));

        assertEquals(List.of(member(LOBBY, ALICE, 0)), store.members(LOBBY));
    }

    @Test
    void aMemberOfAMissingRoomFailsTheBatch() {
        assertBatchFails(put(LOBBY, ALICE, 0));

        assertEquals(List.of(), store.members(LOBBY));
    }

    @Test
    void memberCountsCoverRoomsThatHaveMembers() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)),
                new StoreWrite.CreateRoom(room(CELLAR, 2, null)),
                put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1), put(LOBBY, CAROL, 2), put(ATTIC, BOB, 3),
                put(CELLAR, CAROL, 4));
        apply(new StoreWrite.RemoveMember(CELLAR, CAROL), put(LOBBY, BOB, 5));

        assertEquals(Map.of(LOBBY, 3, ATTIC, 1), store.memberCounts());
    }

    @Test
    void ownerNamesNameEachRoomsOwnerWhileTheyAreAMember() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)),
                new StoreWrite.CreateRoom(room(CELLAR, 2, null)),
                put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1), put(ATTIC, BOB, 2), put(CELLAR, ALICE, 3));
        assertEquals(Map.of(LOBBY, "Alice", CELLAR, "Alice"), store.ownerNames(), "Attic's owner is no member");

        apply(new StoreWrite.SetOwner(LOBBY, BOB), new StoreWrite.RemoveMember(CELLAR, ALICE));
        assertEquals(Map.of(LOBBY, "Bob"), store.ownerNames());
    }

    // ---- messages ----

    @Test
    void appendedMessagesReadBackInSeqOrderWithLastSeq() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        assertEquals(0L, store.lastSeq(LOBBY));
        List<Message> sent = List.of(
                text(LOBBY, 1, ALICE, "hello", "c-1"),
                new Message(LOBBY, 2, BOB, "Bob", MessageKind.FILE, "cat.png", null, T0.plusSeconds(2), null),
                new Message(LOBBY, 3, UserId.of("system"), "WebTalk", MessageKind.SYSTEM, "Bob joined", null,
                        T0.plusSeconds(3), null));

        apply(append(sent.get(0)));
        apply(append(sent.get(1)), append(sent.get(2)));

        assertEquals(3L, store.lastSeq(LOBBY));
        assertEquals(sent, store.messagesAfter(LOBBY, 0, 50));
        assertEquals(Optional.of(sent.get(1)), store.message(LOBBY, 2));
        assertEquals(Optional.empty(), store.message(LOBBY, 4));
        assertEquals(Optional.empty(), store.message(LOBBY, 0));
    }

    @Test
    void historyIsTheNewestPageBeforeASeqInAscendingOrder() {
        List<Message> all = lobbyWithMessages(10);

        assertAll(
                () -> assertEquals(all.subList(7, 10), store.history(LOBBY, Long.MAX_VALUE, 3)),
                () -> assertEquals(all.subList(4, 7), store.history(LOBBY, 8, 3)),
                () -> assertEquals(all.subList(0, 2), store.history(LOBBY, 3, 5)),
                () -> assertEquals(all, store.history(LOBBY, 11, 50)),
                () -> assertEquals(List.of(), store.history(LOBBY, 1, 5)),
                () -> assertEquals(List.of(), store.history(LOBBY, Long.MAX_VALUE, 0)));
    }

    @Test
    void messagesAfterIsTheOldestPageAfterASeq() {
        List<Message> all = lobbyWithMessages(10);

        assertAll(
                () -> assertEquals(all.subList(0, 3), store.messagesAfter(LOBBY, 0, 3)),
                () -> assertEquals(all.subList(3, 6), store.messagesAfter(LOBBY, 3, 3)),
                () -> assertEquals(all.subList(8, 10), store.messagesAfter(LOBBY, 8, 50)),
                () -> assertEquals(List.of(), store.messagesAfter(LOBBY, 10, 50)),
                () -> assertEquals(List.of(), store.messagesAfter(LOBBY, 0, 0)));
    }

    @Test
    void aNegativeLimitIsRejected() {
        lobbyWithMessages(2);

        assertThrows(IllegalArgumentException.class, () -> store.history(LOBBY, Long.MAX_VALUE, -1));
        assertThrows(IllegalArgumentException.class, () -> store.messagesAfter(LOBBY, 0, -1));
    }

    @Test
    void eachRoomHasItsOwnSequence() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        Message lobby1 = text(LOBBY, 1, ALICE, "lobby one", "c-1");
        Message lobby2 = text(LOBBY, 2, ALICE, "lobby two", "c-2");
        Message attic1 = text(ATTIC, 1, ALICE, "attic one", "c-1");

        apply(append(lobby1), append(attic1), append(lobby2));

        assertEquals(2L, store.lastSeq(LOBBY));
        assertEquals(1L, store.lastSeq(ATTIC));
        assertEquals(List.of(lobby1, lobby2), store.history(LOBBY, Long.MAX_VALUE, 50));
        assertEquals(List.of(attic1), store.history(ATTIC, Long.MAX_VALUE, 50));
        assertEquals(Optional.of(attic1), store.messageByClientId(ATTIC, ALICE, "c-1"));
    }

    @Test
    void aTakenSeqFailsTheBatch() {
        List<Message> before = lobbyWithMessages(2);

        assertBatchFails(append(text(LOBBY, 2, BOB, "me too", null)));

        assertEquals(before, store.messagesAfter(LOBBY, 0, 50));
    }

    @Test
    void aMessageInAMissingRoomFailsTheBatch() {
        assertBatchFails(append(text(LOBBY, 1, ALICE, "anyone?", null)));

        assertEquals(0L, store.lastSeq(LOBBY));
    }

    @Test
    void messageByClientIdFindsWhatThatAuthorSentWithIt() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message fromAlice = text(LOBBY, 1, ALICE, "from alice", "c-1");
        Message fromBob = text(LOBBY, 2, BOB, "from bob", "c-1");
        Message noClientId = text(LOBBY, 3, CAROL, "no id", null);
        Message alsoNoClientId = text(LOBBY, 4, CAROL, "no id either", null);

        apply(append(fromAlice), append(fromBob), append(noClientId), append(alsoNoClientId));

        assertEquals(Optional.of(fromAlice), store.messageByClientId(LOBBY, ALICE, "c-1"));
        assertEquals(Optional.of(fromBob), store.messageByClientId(LOBBY, BOB, "c-1"));
        assertEquals(Optional.empty(), store.messageByClientId(LOBBY, ALICE, "c-2"));
        assertEquals(Optional.empty(), store.messageByClientId(LOBBY, CAROL, "c-1"));
        assertEquals(4L, store.lastSeq(LOBBY));
    }

    @Test
    void aRepeatedClientMsgIdFailsTheBatch() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message original = text(LOBBY, 1, ALICE, "once", "c-1");
        apply(append(original));

        assertBatchFails(append(text(LOBBY, 2, ALICE, "twice", "c-1")));
        assertBatchFails(append(text(LOBBY, 2, BOB, "bob", "c-9")), append(text(LOBBY, 3, BOB, "bob again", "c-9")));

        assertEquals(1L, store.lastSeq(LOBBY));
        assertEquals(Optional.of(original), store.messageByClientId(LOBBY, ALICE, "c-1"));
        assertEquals(Optional.empty(), store.messageByClientId(LOBBY, BOB, "c-9"));
    }

    // ---- soft delete ----

    @Test
    void deletingAMessageErasesItsTextAndKeepsItsPlace() {
        List<Message> all = lobbyWithMessages(3);
        Instant at = T0.plusSeconds(60);

        apply(new StoreWrite.DeleteMessage(LOBBY, 2, at));

        Message deleted = store.message(LOBBY, 2).orElseThrow();
        assertAll(
                () -> assertNull(deleted.text()),
                () -> assertEquals(at, deleted.deletedAt()),
                () -> assertTrue(deleted.isDeleted()),
                () -> assertEquals(all.get(1).deleted(at), deleted),
                () -> assertEquals(List.of(all.get(0), deleted, all.get(2)), store.history(LOBBY, Long.MAX_VALUE, 50)),
                () -> assertEquals(List.of(deleted, all.get(2)), store.messagesAfter(LOBBY, 1, 50)),
                () -> assertEquals(3L, store.lastSeq(LOBBY)),
                // A retried send must still find it, or it would be posted again.
                () -> assertEquals(Optional.of(deleted), store.messageByClientId(LOBBY, BOB, "c-2")));
    }

    @Test
    void deletingAgainKeepsTheFirstDeletionTime() {
        List<Message> all = lobbyWithMessages(1);

        apply(new StoreWrite.DeleteMessage(LOBBY, 1, T0.plusSeconds(60)));
        apply(new StoreWrite.DeleteMessage(LOBBY, 1, T0.plusSeconds(90)));

        assertEquals(Optional.of(all.get(0).deleted(T0.plusSeconds(60))), store.message(LOBBY, 1));
    }

    @Test
    void deletingAMissingMessageIsNotAnError() {
        List<Message> all = lobbyWithMessages(1);

        apply(new StoreWrite.DeleteMessage(LOBBY, 2, T0.plusSeconds(60)),
                new StoreWrite.DeleteMessage(ATTIC, 1, T0.plusSeconds(60)));

        assertEquals(all, store.messagesAfter(LOBBY, 0, 50));
    }

    // ---- batches ----

    @Test
    void aFailingBatchLeavesNothingOfItBehind() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, HASH)),
                put(LOBBY, ALICE, 0), put(LOBBY, BOB, 1), put(ATTIC, CAROL, 2),
                append(text(LOBBY, 1, ALICE, "one", "c-1")), append(text(LOBBY, 2, BOB, "two", "c-2")),
                append(text(ATTIC, 1, CAROL, "attic", "c-3")));
        Map<String, Object> before = snapshot();

        assertBatchFails(
                new StoreWrite.CreateRoom(room(CELLAR, 2, null)),
                put(CELLAR, ALICE, 3),
                new StoreWrite.PutMember(new Member(LOBBY, ALICE, "Renamed", MemberRole.MODERATOR, T0)),
                put(LOBBY, CAROL, 4),
                new StoreWrite.RemoveMember(LOBBY, BOB),
                new StoreWrite.DeleteMessage(LOBBY, 1, T0.plusSeconds(60)),
                append(text(LOBBY, 3, ALICE, "three", "c-4")),
                new StoreWrite.DeleteRoom(ATTIC),
                append(text(LOBBY, 2, CAROL, "seq 2 is taken", null)),
                append(text(LOBBY, 4, ALICE, "never reached", null)));

        assertEquals(before, snapshot());
    }

    @Test
    void theStoreWorksOnAfterAFailedBatch() {
        lobbyWithMessages(1);
        assertBatchFails(append(text(LOBBY, 2, ALICE, "two", null)), append(text(LOBBY, 2, ALICE, "two", null)));

        Message two = text(LOBBY, 2, BOB, "two, for real", null);
        apply(append(two), put(LOBBY, BOB, 1));

        assertEquals(Optional.of(two), store.message(LOBBY, 2));
        assertEquals(List.of(member(LOBBY, BOB, 1)), store.members(LOBBY));
    }

    @Test
    void anEmptyBatchChangesNothing() {
        List<Message> all = lobbyWithMessages(1);

        store.apply(List.of());

        assertEquals(all, store.messagesAfter(LOBBY, 0, 50));
    }

    // ---- values ----

    @Test
    void unicodeTextRoundTripsExactly() {
        String roomName = "Café ☕ 日本語 🇺🇦";
        String displayName = "Zoë 👩🏽‍💻";
        String clientMsgId = "ключ-🔑";
        String text = "Hi 👋🏽 family 👨‍👩‍👧‍👦 e\u0301 漢字 مرحبا 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200B zero-width, tab\tnew\nline "
                + "'quotes\" ; DROP TABLE messages; -- \\ and a NUL \u0000 byte, then 😀".repeat(3);
        Room room = new Room(LOBBY, roomName, ALICE, HASH, T0);
        Member member = new Member(LOBBY, ALICE, displayName, MemberRole.OWNER, T0);
        Message message = new Message(LOBBY, 1, ALICE, displayName, MessageKind.TEXT, text, clientMsgId, T0, null);

        apply(new StoreWrite.CreateRoom(room), new StoreWrite.PutMember(member), append(message));

        assertEquals(roomName, store.room(LOBBY).orElseThrow().name());
        assertEquals(displayName, store.member(LOBBY, ALICE).orElseThrow().displayName());
        assertEquals(text, store.message(LOBBY, 1).orElseThrow().text());
        assertEquals(Optional.of(message), store.messageByClientId(LOBBY, ALICE, clientMsgId));
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        Instant fine = T0.plusNanos(1_234_567);
        Instant millis = T0.plusMillis(1);
        apply(new StoreWrite.CreateRoom(new Room(LOBBY, "Lobby", ALICE, null, fine)),
                new StoreWrite.PutMember(new Member(LOBBY, ALICE, "Alice", MemberRole.OWNER, fine)),
                append(new Message(LOBBY, 1, ALICE, "Alice", MessageKind.TEXT, "hi", null, fine, null)));
        apply(new StoreWrite.DeleteMessage(LOBBY, 1, fine.plusSeconds(1)));

        assertEquals(millis, store.room(LOBBY).orElseThrow().createdAt());
        assertEquals(millis, store.member(LOBBY, ALICE).orElseThrow().joinedAt());
        Message stored = store.message(LOBBY, 1).orElseThrow();
        assertEquals(millis, stored.createdAt());
        assertEquals(millis.plusSeconds(1), stored.deletedAt());
    }

    // ---- lifecycle ----

    @Test
    void answersAPingWhileOpen() {
        store.ping();
        lobbyWithMessages(1);
        store.ping();
    }

    @Test
    void everyOperationFailsClearlyAfterClose() {
        lobbyWithMessages(1);
        store.close();

        assertAll(
                () -> assertClosed(() -> store.ping()),
                () -> assertClosed(() -> store.apply(List.of(new StoreWrite.CreateRoom(room(ATTIC, 1, null))))),
                () -> assertClosed(() -> store.apply(List.of())),
                () -> assertClosed(() -> store.room(LOBBY)),
                () -> assertClosed(() -> store.rooms()),
                () -> assertClosed(() -> store.members(LOBBY)),
                () -> assertClosed(() -> store.member(LOBBY, ALICE)),
                () -> assertClosed(() -> store.memberCounts()),
                () -> assertClosed(() -> store.lastSeq(LOBBY)),
                () -> assertClosed(() -> store.history(LOBBY, Long.MAX_VALUE, 50)),
                () -> assertClosed(() -> store.history(LOBBY, Long.MAX_VALUE, 0)),
                () -> assertClosed(() -> store.messagesAfter(LOBBY, 0, 50)),
                () -> assertClosed(() -> store.messagesAfter(LOBBY, 0, 0)),
                () -> assertClosed(() -> store.message(LOBBY, 1)),
                () -> assertClosed(() -> store.messageByClientId(LOBBY, ALICE, "c-1")),
                () -> assertClosed(() -> store.messageByAttachment(LOBBY, "fileAAAAAAAAAAAAAAAAAA")),
                () -> assertClosed(() -> store.isAttachmentReferenced("fileAAAAAAAAAAAAAAAAAA")));
        store.close(); // idempotent
    }

    @Test
    void hostSessionsAreSavedReplacedAndDeleted() {
        HostSession first = new HostSession("k".repeat(HostSession.MAX_KEY_CHARS), "csrf-1", T0.plusSeconds(60));
        store.putHostSession(first);
        store.putHostSession(new HostSession("other", "csrf-2", T0.plusSeconds(90)));
        assertEquals(Optional.of(first), store.hostSession(first.key()));
        assertEquals(Optional.empty(), store.hostSession("unknown"));

        HostSession renewed = new HostSession(first.key(), "csrf-3", T0.plusNanos(120_999_999_999L));
        store.putHostSession(renewed);
        assertEquals(Optional.of(new HostSession(first.key(), "csrf-3", T0.plusMillis(120_999))),
                store.hostSession(first.key()), "replaced, kept to the millisecond");

        assertTrue(store.deleteHostSession(first.key()));
        assertFalse(store.deleteHostSession(first.key()), "gone already");
        assertEquals(Optional.empty(), store.hostSession(first.key()));
        assertTrue(store.hostSession("other").isPresent(), "the other session is untouched");
    }

    @Test
    void expiredHostSessionsAreDeletedAndLiveOnesKept() {
        store.putHostSession(new HostSession("old", "a", T0.plusSeconds(10)));
        store.putHostSession(new HostSession("ends-now", "b", T0.plusSeconds(20)));
        store.putHostSession(new HostSession("live", "c", T0.plusSeconds(30)));
        assertEquals(2, store.deleteHostSessionsExpiredBy(T0.plusSeconds(20)));
        assertEquals(Optional.empty(), store.hostSession("old"));
        assertEquals(Optional.empty(), store.hostSession("ends-now"));
        assertEquals(Optional.of(new HostSession("live", "c", T0.plusSeconds(30))), store.hostSession("live"));
    }

    @Test
    void hostSessionsSurviveAReopen() {
        store.putHostSession(new HostSession("kept", "csrf", T0.plusSeconds(30)));
        store.close();
        store = reopenStore();
        assertEquals(Optional.of(new HostSession("kept", "csrf", T0.plusSeconds(30))), store.hostSession("kept"));
    }

    @Test
    void reopeningKeepsEverything() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, HASH)),
                new StoreWrite.CreateRoom(room(CELLAR, 2, null)),
                put(LOBBY, CAROL, 0), put(LOBBY, ALICE, 1), put(LOBBY, BOB, 2), put(ATTIC, BOB, 3),
                put(CELLAR, ALICE, 4),
                append(text(LOBBY, 1, ALICE, "one 👋", "c-1")), append(text(LOBBY, 2, BOB, "two", "c-2")),
                append(text(LOBBY, 3, CAROL, "three", null)), append(text(CELLAR, 1, ALICE, "gone soon", null)));
        Member promoted = new Member(LOBBY, CAROL, "Carol", MemberRole.MODERATOR, T0.plusSeconds(8));
        apply(new StoreWrite.DeleteMessage(LOBBY, 2, T0.plusSeconds(60)), new StoreWrite.RemoveMember(LOBBY, ALICE),
                new StoreWrite.PutMember(promoted), new StoreWrite.DeleteRoom(CELLAR));
        Map<String, Object> before = snapshot();

        store.close();
        store = reopenStore();

        assertEquals(before, snapshot());
        assertEquals(Optional.of(text(LOBBY, 2, BOB, "two", "c-2").deleted(T0.plusSeconds(60))),
                store.messageByClientId(LOBBY, BOB, "c-2"));

        // The reopened store goes on where the old one stopped: join order, seqs, client ids.
        apply(put(LOBBY, ALICE, 9), append(text(LOBBY, 4, ALICE, "back", "c-4")));
        assertEquals(List.of(promoted, member(LOBBY, BOB, 2), member(LOBBY, ALICE, 9)), store.members(LOBBY));
        assertEquals(4L, store.lastSeq(LOBBY));
        assertBatchFails(append(text(LOBBY, 5, ALICE, "one again", "c-1")));
        assertEquals(Optional.empty(), store.room(CELLAR));
    }

    @Test
    void readsRunWhileBatchesCommitAndSeeOnlyWholeBatches() throws Exception {
        int batches = 100;
        int batchSize = 4;
        int readers = 3;
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<?> writer = pool.submit(() -> {
                start.await();
                try {
                    for (int b = 0; b < batches; b++) {
                        List<StoreWrite> batch = new ArrayList<>();
                        for (int i = 1; i <= batchSize; i++) {
                            long seq = (long) b * batchSize + i;
                            batch.add(append(text(LOBBY, seq, ALICE, "message " + seq, "c-" + seq)));
                        }
                        store.apply(batch);
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<Future<?>> reads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                reads.add(pool.submit(readWhile(writing, start, batchSize)));
            }
            start.countDown();

            writer.get(30, TimeUnit.SECONDS);
            for (Future<?> read : reads) {
                read.get(30, TimeUnit.SECONDS); // rethrows what the reader saw
            }
            assertEquals((long) batches * batchSize, store.lastSeq(LOBBY));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads did not stop");
        }
    }

    /** Reads until the writer stops; every read must see a whole number of batches. */
    private Callable<Void> readWhile(AtomicBoolean writing, CountDownLatch start, int batchSize) {
        return () -> {
            start.await();
            long lastSeen = 0;
            do {
                long last = store.lastSeq(LOBBY);
                assertEquals(0, last % batchSize, "lastSeq inside a batch: " + last);
                assertTrue(last >= lastSeen, "lastSeq went back from " + lastSeen + " to " + last);
                lastSeen = last;

                List<Message> page = store.history(LOBBY, Long.MAX_VALUE, 2 * batchSize + 1);
                if (!page.isEmpty()) {
                    long newest = page.get(page.size() - 1).seq();
                    assertEquals(0, newest % batchSize, "history ends inside a batch: " + newest);
                    assertEquals(LongStream.rangeClosed(newest - page.size() + 1, newest).boxed().toList(),
                            page.stream().map(Message::seq).toList(), "history is not dense and ascending");
                }
                int seen = store.messagesAfter(LOBBY, 0, Integer.MAX_VALUE).size();
                assertEquals(0, seen % batchSize, "messagesAfter saw part of a batch: " + seen);
            } while (writing.get());
            return null;
        };
    }

    // ---- file messages ----

    @Test
    void aFileMessageReadsBackWithItsAttachment() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message file = file(LOBBY, 1, ALICE, "fileAAAAAAAAAAAAAAAAAA", "Ünïcode report.pdf");
        apply(append(file));

        assertAll(
                () -> assertEquals(Optional.of(file), store.message(LOBBY, 1)),
                () -> assertEquals(List.of(file), store.history(LOBBY, Long.MAX_VALUE, 50)),
                () -> assertEquals(Optional.of(file), store.messageByAttachment(LOBBY, "fileAAAAAAAAAAAAAAAAAA")),
                () -> assertTrue(store.isAttachmentReferenced("fileAAAAAAAAAAAAAAAAAA")),
                // Found only in its own room, and only by its own id.
                () -> assertEquals(Optional.empty(), store.messageByAttachment(ATTIC, "fileAAAAAAAAAAAAAAAAAA")),
                () -> assertEquals(Optional.empty(), store.messageByAttachment(LOBBY, "fileBBBBBBBBBBBBBBBBBB")),
                () -> assertFalse(store.isAttachmentReferenced("fileBBBBBBBBBBBBBBBBBB")));
    }

    @Test
    void deletingAFileMessageErasesItsAttachmentAndReleasesTheBytes() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message file = file(LOBBY, 1, ALICE, "fileAAAAAAAAAAAAAAAAAA", "cat.png");
        apply(append(file));

        apply(new StoreWrite.DeleteMessage(LOBBY, 1, T0.plusSeconds(60)));

        Message deleted = store.message(LOBBY, 1).orElseThrow();
        assertAll(
                () -> assertNull(deleted.attachment()),
                () -> assertEquals(file.deleted(T0.plusSeconds(60)), deleted),
                () -> assertEquals(Optional.empty(), store.messageByAttachment(LOBBY, "fileAAAAAAAAAAAAAAAAAA")),
                () -> assertFalse(store.isAttachmentReferenced("fileAAAAAAAAAAAAAAAAAA")));
    }

    @Test
    void deletingARoomReleasesTheBytesOfItsFiles() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        apply(append(file(LOBBY, 1, ALICE, "fileAAAAAAAAAAAAAAAAAA", "a.png")),
                append(file(ATTIC, 1, ALICE, "fileBBBBBBBBBBBBBBBBBB", "b.png")));

        apply(new StoreWrite.DeleteRoom(LOBBY));

        assertFalse(store.isAttachmentReferenced("fileAAAAAAAAAAAAAAAAAA"));
        assertTrue(store.isAttachmentReferenced("fileBBBBBBBBBBBBBBBBBB"));
    }

    @Test
    void anAttachmentIdCarriedByAnotherMessageFailsTheBatch() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        Message first = file(LOBBY, 1, ALICE, "fileAAAAAAAAAAAAAAAAAA", "a.png");
        apply(append(first));

        assertBatchFails(append(text(LOBBY, 2, BOB, "fine", null)),
                append(file(ATTIC, 1, BOB, "fileAAAAAAAAAAAAAAAAAA", "again.png")));

        assertEquals(1L, store.lastSeq(LOBBY));
        assertEquals(0L, store.lastSeq(ATTIC));
        assertEquals(Optional.of(first), store.messageByAttachment(LOBBY, "fileAAAAAAAAAAAAAAAAAA"));
    }

    @Test
    void fileMessagesSurviveAReopen() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message file = file(LOBBY, 1, ALICE, "fileAAAAAAAAAAAAAAAAAA", "cat.png");
        apply(append(file));

        store.close();
        store = reopenStore();

        assertEquals(Optional.of(file), store.messageByAttachment(LOBBY, "fileAAAAAAAAAAAAAAAAAA"));
        assertTrue(store.isAttachmentReferenced("fileAAAAAAAAAAAAAAAAAA"));
    }

    // ---- archive, activity, settings ----

    @Test
    void archivingKeepsTheFirstTimeAndUnarchivingClearsIt() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        assertEquals(Map.of(), store.archivedRooms());

        apply(new StoreWrite.SetRoomArchived(LOBBY, T0.plusSeconds(10)));
        apply(new StoreWrite.SetRoomArchived(LOBBY, T0.plusSeconds(20)));
        assertEquals(Map.of(LOBBY, T0.plusSeconds(10)), store.archivedRooms());

        apply(new StoreWrite.SetRoomArchived(LOBBY, null), new StoreWrite.SetRoomArchived(ATTIC, T0.plusSeconds(30)));
        assertEquals(Map.of(ATTIC, T0.plusSeconds(30)), store.archivedRooms());
        assertEquals(Optional.of(room(ATTIC, 1, null)), store.room(ATTIC), "archiving leaves the room itself alone");
    }

    @Test
    void archivingAMissingRoomIsNoErrorAndDeletingARoomForgetsItsArchive() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        apply(new StoreWrite.SetRoomArchived(RoomId.of("nowhere9"), T0), new StoreWrite.SetRoomArchived(LOBBY, T0));

        apply(new StoreWrite.DeleteRoom(LOBBY));
        assertEquals(Map.of(), store.archivedRooms());
        apply(new StoreWrite.CreateRoom(room(LOBBY, 2, null)));
        assertEquals(Map.of(), store.archivedRooms(), "a new room with the same id is not archived");
    }

    @Test
    void roomActivityCountsMessagesWithTheNewestTime() {
        lobbyWithMessages(3);
        apply(new StoreWrite.CreateRoom(room(ATTIC, 1, null)), new StoreWrite.DeleteMessage(LOBBY, 3, T0.plusSeconds(99)));

        assertEquals(Map.of(LOBBY, new ChatStore.RoomActivity(3, T0.plusSeconds(3))), store.roomActivity());
        assertEquals(3, store.messageCountSince(T0));
        assertEquals(2, store.messageCountSince(T0.plusSeconds(2)));
        assertEquals(0, store.messageCountSince(T0.plusSeconds(4)));
    }

    /** Buckets from the instant on: messages and distinct authors, system messages left out, deleted ones counted. */
    @Test
    void messageActivityCountsMessagesAndAuthorsPerBucket() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        apply(append(at(LOBBY, 1, ALICE, MessageKind.TEXT, 10)), append(at(LOBBY, 2, BOB, MessageKind.TEXT, 20)),
                append(at(LOBBY, 3, ALICE, MessageKind.TEXT, 70)), append(at(LOBBY, 4, ALICE, MessageKind.SYSTEM, 80)),
                append(at(LOBBY, 5, BOB, MessageKind.TEXT, 200)),
                append(at(ATTIC, 1, CAROL, MessageKind.TEXT, 30)), append(at(ATTIC, 2, CAROL, MessageKind.TEXT, 75)));
        apply(new StoreWrite.DeleteMessage(ATTIC, 2, T0.plusSeconds(90)));

        Instant from = T0.plusSeconds(15);
        assertEquals(List.of(new dev.webtalk.ActivityBucket(from, 3, 3),
                        new dev.webtalk.ActivityBucket(from.plusSeconds(60), 1, 1),
                        new dev.webtalk.ActivityBucket(from.plusSeconds(180), 1, 1)),
                store.messageActivity(from, java.time.Duration.ofMinutes(1)));
        assertEquals(List.of(new dev.webtalk.ActivityBucket(T0, 6, 3)),
                store.messageActivity(T0, java.time.Duration.ofHours(1)));
        assertEquals(List.of(), store.messageActivity(T0.plusSeconds(201), java.time.Duration.ofHours(1)));
    }

    private static Message at(RoomId roomId, long seq, UserId author, MessageKind kind, int second) {
        return new Message(roomId, seq, author, author.value(), kind, "m" + seq, null, T0.plusSeconds(second), null);
    }

    @Test
    void settingsAreReplacedAndRemoved() {
        apply(new StoreWrite.PutSetting("a", "1"), new StoreWrite.PutSetting("b", "2"));
        apply(new StoreWrite.PutSetting("a", "3"), new StoreWrite.PutSetting("b", null));

        assertEquals(Map.of("a", "3"), store.settings());
    }

    @Test
    void aFailedBatchLeavesArchiveAndSettingsAlone() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.PutSetting("a", "1"));

        assertBatchFails(new StoreWrite.SetRoomArchived(LOBBY, T0), new StoreWrite.PutSetting("a", "2"),
                new StoreWrite.CreateRoom(room(LOBBY, 1, null)));

        assertEquals(Map.of(), store.archivedRooms());
        assertEquals(Map.of("a", "1"), store.settings());
    }

    @Test
    void archiveAndSettingsSurviveAReopen() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.SetRoomArchived(LOBBY, T0),
                new StoreWrite.PutSetting("maxRooms", "7"));

        store.close();
        store = reopenStore();

        assertEquals(Map.of(LOBBY, T0), store.archivedRooms());
        assertEquals(Map.of("maxRooms", "7"), store.settings());
    }

    // ---- moderation: owner, bans and mutes, audit log ----

    @Test
    void ownershipMovesToAnotherUser() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, HASH)));
        apply(new StoreWrite.SetOwner(LOBBY, BOB), new StoreWrite.SetOwner(RoomId.of("nowhere9"), BOB));

        Room moved = store.room(LOBBY).orElseThrow();
        assertEquals(BOB, moved.ownerId());
        assertEquals(HASH, moved.passwordHash());
        assertEquals(List.of(moved), store.rooms());
    }

    @Test
    void restrictionsAreStoredReplacedAndLifted() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        Restriction ban = restriction(LOBBY, BOB, Restriction.Kind.BAN, "spam", T0.plusSeconds(3600), 10);
        Restriction mute = restriction(LOBBY, CAROL, Restriction.Kind.MUTE, null, null, 20);
        Restriction bobMuted = restriction(LOBBY, BOB, Restriction.Kind.MUTE, null, T0.plusSeconds(60), 30);
        apply(new StoreWrite.PutRestriction(ban), new StoreWrite.PutRestriction(mute),
                new StoreWrite.PutRestriction(bobMuted));

        assertEquals(Optional.of(ban), store.restriction(LOBBY, BOB, Restriction.Kind.BAN));
        assertEquals(Optional.of(bobMuted), store.restriction(LOBBY, BOB, Restriction.Kind.MUTE));
        assertEquals(Optional.empty(), store.restriction(ATTIC, BOB, Restriction.Kind.BAN));
        assertEquals(List.of(ban, mute, bobMuted), store.restrictions(LOBBY));

        Restriction forever = restriction(LOBBY, BOB, Restriction.Kind.BAN, "again", null, 40);
        apply(new StoreWrite.PutRestriction(forever));
        assertEquals(Optional.of(forever), store.restriction(LOBBY, BOB, Restriction.Kind.BAN));

        apply(new StoreWrite.RemoveRestriction(LOBBY, BOB, Restriction.Kind.BAN),
                new StoreWrite.RemoveRestriction(LOBBY, ALICE, Restriction.Kind.BAN));
        assertEquals(Optional.empty(), store.restriction(LOBBY, BOB, Restriction.Kind.BAN));
        assertEquals(List.of(mute, bobMuted), store.restrictions(LOBBY));
    }

    @Test
    void restrictionsNeedTheirRoomAndGoWithIt() {
        assertBatchFails(new StoreWrite.PutRestriction(restriction(LOBBY, BOB, Restriction.Kind.BAN, null, null, 0)));
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)),
                new StoreWrite.PutRestriction(restriction(LOBBY, BOB, Restriction.Kind.BAN, null, null, 0)));
        apply(new StoreWrite.DeleteRoom(LOBBY));
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));

        assertEquals(List.of(), store.restrictions(LOBBY));
    }

    @Test
    void auditLogIsPagedNewestFirstWithIncreasingIds() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        for (int i = 1; i <= 5; i++) {
            apply(new StoreWrite.AppendAudit(audit(LOBBY, i)), new StoreWrite.AppendAudit(audit(ATTIC, i)));
        }

        List<AuditEntry> newest = store.audit(LOBBY, Long.MAX_VALUE, 3);
        assertEquals(List.of(5L, 4L, 3L), newest.stream().map(e -> e.at().getEpochSecond() - T0.getEpochSecond()).toList());
        assertTrue(newest.get(0).id() > newest.get(1).id() && newest.get(1).id() > newest.get(2).id());
        assertEquals(audit(LOBBY, 5).withId(newest.get(0).id()), newest.get(0));

        List<AuditEntry> older = store.audit(LOBBY, newest.get(2).id(), 3);
        assertEquals(List.of(2L, 1L), older.stream().map(e -> e.at().getEpochSecond() - T0.getEpochSecond()).toList());
        assertEquals(List.of(), store.audit(LOBBY, Long.MAX_VALUE, 0));
        assertEquals(List.of(), store.audit(RoomId.of("nowhere9"), Long.MAX_VALUE, 10));
        assertThrows(IllegalArgumentException.class, () -> store.audit(LOBBY, Long.MAX_VALUE, -1));
    }

    @Test
    void applyReportsTheIdItGaveEachAuditEntry() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        StoreWrite.AppendAudit first = new StoreWrite.AppendAudit(audit(LOBBY, 1));
        StoreWrite.AppendAudit elsewhere = new StoreWrite.AppendAudit(audit(ATTIC, 1));
        StoreWrite.AppendAudit second = new StoreWrite.AppendAudit(audit(LOBBY, 2));
        apply(first, elsewhere, second);

        List<AuditEntry> log = store.audit(LOBBY, Long.MAX_VALUE, 10);
        assertEquals(List.of(second.storedEntry(), first.storedEntry()), log);
        assertEquals(store.audit(ATTIC, Long.MAX_VALUE, 10), List.of(elsewhere.storedEntry()));
        assertTrue(first.storedEntry().id() > 0, "an id was reported");
    }

    @Test
    void auditEntriesKeepEveryField() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        AuditEntry ban = new AuditEntry(0, LOBBY, T0, ALICE, "Alice", ModerationAction.BAN, BOB, "spam",
                T0.plusSeconds(600), null, null);
        AuditEntry role = new AuditEntry(0, LOBBY, T0.plusSeconds(1), ALICE, "Alice", ModerationAction.SET_ROLE,
                CAROL, null, null, null, MemberRole.MODERATOR);
        AuditEntry delete = new AuditEntry(0, LOBBY, T0.plusSeconds(2), ALICE, "Alice",
                ModerationAction.DELETE_MESSAGE, BOB, null, null, 42L, null);
        apply(new StoreWrite.AppendAudit(ban), new StoreWrite.AppendAudit(role), new StoreWrite.AppendAudit(delete));

        List<AuditEntry> log = store.audit(LOBBY, Long.MAX_VALUE, 10);
        assertEquals(List.of(delete, role, ban), log.stream().map(e -> e.withId(0)).toList());
        assertBatchFails(new StoreWrite.AppendAudit(audit(ATTIC, 1)));
    }

    /** The target's name is kept with the entry and the ban, so a log or a ban list names someone who left. */
    @Test
    void auditEntriesAndRestrictionsKeepTheTargetsName() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        AuditEntry named = new AuditEntry(0, LOBBY, T0, ALICE, "Alice", ModerationAction.BAN, BOB, "Bob Brown",
                "spam", null, null, null, null);
        AuditEntry unnamed = new AuditEntry(0, LOBBY, T0.plusSeconds(1), ALICE, "Alice", ModerationAction.MUTE,
                CAROL, null, null, null, null, null, null);
        Restriction ban = new Restriction(LOBBY, BOB, "Bob Brown", Restriction.Kind.BAN, "spam", null, ALICE, T0);
        Restriction mute = new Restriction(LOBBY, CAROL, null, Restriction.Kind.MUTE, null, null, ALICE,
                T0.plusSeconds(1));
        apply(new StoreWrite.PutRestriction(ban), new StoreWrite.AppendAudit(named),
                new StoreWrite.PutRestriction(mute), new StoreWrite.AppendAudit(unnamed));

        assertEquals(List.of(unnamed, named),
                store.audit(LOBBY, Long.MAX_VALUE, 10).stream().map(e -> e.withId(0)).toList());
        assertEquals(List.of(ban, mute), store.restrictions(LOBBY));
        assertEquals("Bob Brown", store.restriction(LOBBY, BOB, Restriction.Kind.BAN).orElseThrow().userName());

        // Banning again replaces the name with the one given now.
        Restriction renamed = new Restriction(LOBBY, BOB, "Bobby", Restriction.Kind.BAN, null, null, ALICE,
                T0.plusSeconds(2));
        apply(new StoreWrite.PutRestriction(renamed));
        assertEquals(Optional.of(renamed), store.restriction(LOBBY, BOB, Restriction.Kind.BAN));
    }

    @Test
    void aFailedBatchLeavesNoRestrictionOrAuditEntry() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        assertBatchFails(new StoreWrite.PutRestriction(restriction(LOBBY, BOB, Restriction.Kind.BAN, null, null, 0)),
                new StoreWrite.AppendAudit(audit(LOBBY, 1)),
                new StoreWrite.SetOwner(LOBBY, BOB),
                new StoreWrite.CreateRoom(room(LOBBY, 0, null)));

        assertEquals(List.of(), store.restrictions(LOBBY));
        assertEquals(List.of(), store.audit(LOBBY, Long.MAX_VALUE, 10));
        assertEquals(ALICE, store.room(LOBBY).orElseThrow().ownerId());
    }

    @Test
    void roomSettingsAreStoredReplacedAndGoWithTheirRoom() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        assertEquals(dev.webtalk.RoomSettings.DEFAULTS, store.roomSettings(LOBBY));
        assertEquals(dev.webtalk.RoomSettings.DEFAULTS, store.roomSettings(ATTIC));
        dev.webtalk.RoomSettings slow = new dev.webtalk.RoomSettings(java.time.Duration.ofSeconds(30), true, "Be kind");
        apply(new StoreWrite.PutRoomSettings(LOBBY, slow));
        assertEquals(slow, store.roomSettings(LOBBY));
        apply(new StoreWrite.PutRoomSettings(LOBBY, dev.webtalk.RoomSettings.DEFAULTS));
        assertEquals(dev.webtalk.RoomSettings.DEFAULTS, store.roomSettings(LOBBY));
        assertBatchFails(new StoreWrite.PutRoomSettings(ATTIC, slow));

        apply(new StoreWrite.PutRoomSettings(LOBBY, slow), new StoreWrite.DeleteRoom(LOBBY));
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        assertEquals(dev.webtalk.RoomSettings.DEFAULTS, store.roomSettings(LOBBY));
    }

    @Test
    void anAuditEntryOnTheRoomItselfHasNoTargetAndKeepsTheSettings() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        AuditEntry entry = new AuditEntry(0, LOBBY, T0, ALICE, "Alice", ModerationAction.SET_ROOM, null, null, null,
                null, null, new dev.webtalk.RoomSettings(java.time.Duration.ofSeconds(5), false, null));
        apply(new StoreWrite.AppendAudit(entry));

        assertEquals(List.of(entry), store.audit(LOBBY, Long.MAX_VALUE, 10).stream().map(e -> e.withId(0)).toList());
    }

    @Test
    void bansAndTheAuditLogSurviveAReopen() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Restriction ban = restriction(LOBBY, BOB, Restriction.Kind.BAN, "spam", T0.plusSeconds(3600), 10);
        apply(new StoreWrite.PutRestriction(ban), new StoreWrite.AppendAudit(audit(LOBBY, 1)));

        store.close();
        store = reopenStore();

        assertEquals(Optional.of(ban), store.restriction(LOBBY, BOB, Restriction.Kind.BAN));
        assertEquals(List.of(audit(LOBBY, 1)), store.audit(LOBBY, Long.MAX_VALUE, 10).stream().map(e -> e.withId(0)).toList());
    }

    // ---- event stream and edits ----

    @Test
    void eventsReadBackInPositionOrderWithLastPos() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)));
        RoomEvent joined = RoomEvent.aboutMember(LOBBY, 1, RoomEvent.Kind.MEMBER_JOINED, T0, ALICE);
        RoomEvent posted = RoomEvent.aboutMessage(LOBBY, 2, RoomEvent.Kind.MESSAGE_POSTED, T0.plusSeconds(1), 1);
        RoomEvent settings = RoomEvent.aboutMember(LOBBY, 3, RoomEvent.Kind.SETTINGS_CHANGED, T0.plusSeconds(2), null);
        RoomEvent elsewhere = RoomEvent.aboutMember(ATTIC, 1, RoomEvent.Kind.MEMBER_LEFT, T0, BOB);
        apply(append(text(LOBBY, 1, ALICE, "hi", null)), new StoreWrite.AppendEvent(joined),
                new StoreWrite.AppendEvent(posted), new StoreWrite.AppendEvent(elsewhere), new StoreWrite.AppendEvent(settings));

        assertEquals(3L, store.lastPos(LOBBY));
        assertEquals(1L, store.lastPos(ATTIC));
        assertEquals(0L, store.lastPos(CELLAR));
        assertEquals(List.of(joined, posted, settings), store.eventsAfter(LOBBY, 0, 10));
        assertEquals(List.of(posted), store.eventsAfter(LOBBY, 1, 1));
        assertEquals(List.of(), store.eventsAfter(LOBBY, 3, 10));
        assertEquals(List.of(elsewhere), store.eventsAfter(ATTIC, 0, 10));
        assertEquals(List.of(), store.eventsAfter(CELLAR, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> store.eventsAfter(LOBBY, 0, -1));
    }

    @Test
    void aTakenPositionOrAMissingRoomFailsTheBatch() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        RoomEvent first = RoomEvent.aboutMember(LOBBY, 1, RoomEvent.Kind.MEMBER_JOINED, T0, ALICE);
        apply(new StoreWrite.AppendEvent(first));

        assertBatchFails(append(text(LOBBY, 1, ALICE, "lost", null)),
                new StoreWrite.AppendEvent(RoomEvent.aboutMessage(LOBBY, 1, RoomEvent.Kind.MESSAGE_POSTED, T0, 1)));
        assertBatchFails(new StoreWrite.AppendEvent(RoomEvent.aboutMember(ATTIC, 1, RoomEvent.Kind.MEMBER_JOINED, T0, ALICE)));

        assertEquals(List.of(first), store.eventsAfter(LOBBY, 0, 10));
        assertEquals(0L, store.lastSeq(LOBBY), "the message of the failed batch is not stored either");
    }

    @Test
    void deletingARoomDeletesItsStream() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)),
                new StoreWrite.AppendEvent(RoomEvent.aboutMember(LOBBY, 1, RoomEvent.Kind.MEMBER_JOINED, T0, ALICE)));
        apply(new StoreWrite.DeleteRoom(LOBBY));
        apply(new StoreWrite.CreateRoom(room(LOBBY, 5, null)));

        assertEquals(0L, store.lastPos(LOBBY));
        assertEquals(List.of(), store.eventsAfter(LOBBY, 0, 10));
    }

    @Test
    void editingReplacesTheTextAndKeepsTheOldOnesInOrder() {
        List<Message> all = lobbyWithMessages(2);
        Instant first = T0.plusSeconds(100);
        Instant second = T0.plusSeconds(200);

        apply(new StoreWrite.EditMessage(LOBBY, 1, "message 1, better", first));
        apply(new StoreWrite.EditMessage(LOBBY, 1, "message 1, best", second));

        Message edited = store.message(LOBBY, 1).orElseThrow();
        assertAll(
                () -> assertEquals(all.get(0).edited("message 1, best", second), edited),
                () -> assertEquals(second, edited.editedAt()),
                () -> assertEquals(List.of(edited, all.get(1)), store.messagesAfter(LOBBY, 0, 10)),
                () -> assertEquals(List.of(new MessageEdit(LOBBY, 1, "message 1", first),
                        new MessageEdit(LOBBY, 1, "message 1, better", second)), store.edits(LOBBY, 1)),
                () -> assertEquals(List.of(), store.edits(LOBBY, 2)),
                () -> assertEquals(List.of(), store.edits(ATTIC, 1)));
    }

    @Test
    void editingADeletedOrMissingMessageChangesNothing() {
        List<Message> all = lobbyWithMessages(2);
        apply(new StoreWrite.DeleteMessage(LOBBY, 2, T0.plusSeconds(50)));

        apply(new StoreWrite.EditMessage(LOBBY, 2, "back from the dead", T0.plusSeconds(60)),
                new StoreWrite.EditMessage(LOBBY, 9, "never was", T0.plusSeconds(60)),
                new StoreWrite.EditMessage(ATTIC, 1, "no room", T0.plusSeconds(60)));

        assertEquals(List.of(all.get(0), all.get(1).deleted(T0.plusSeconds(50))), store.messagesAfter(LOBBY, 0, 10));
        assertEquals(List.of(), store.edits(LOBBY, 2));
    }

    @Test
    void deletingAnEditedMessageErasesItsEarlierTextsAndKeepsItsEditTime() {
        lobbyWithMessages(1);
        Instant editedAt = T0.plusSeconds(100);
        apply(new StoreWrite.EditMessage(LOBBY, 1, "second thoughts", editedAt));

        apply(new StoreWrite.DeleteMessage(LOBBY, 1, T0.plusSeconds(200)));

        Message deleted = store.message(LOBBY, 1).orElseThrow();
        assertNull(deleted.text());
        assertEquals(editedAt, deleted.editedAt());
        assertEquals(List.of(), store.edits(LOBBY, 1), "the words are gone from the store, the old ones too");
    }

    @Test
    void aFailedBatchLeavesNoEditBehind() {
        List<Message> all = lobbyWithMessages(1);
        assertBatchFails(new StoreWrite.EditMessage(LOBBY, 1, "changed", T0.plusSeconds(100)),
                new StoreWrite.CreateRoom(room(LOBBY, 0, null)));

        assertEquals(all, store.messagesAfter(LOBBY, 0, 10));
        assertEquals(List.of(), store.edits(LOBBY, 1));
    }

    // ---- replies, mentions, reactions, pins, read markers ----

    @Test
    void repliesAndMentionsReadBackAndMentionsGoWithADelete() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        Message first = text(LOBBY, 1, ALICE, "hi all", null);
        Message reply = text(LOBBY, 2, BOB, "@alice @carol hello", null).withReplyTo(1).withMentions(List.of(ALICE, CAROL), false);
        Message everyone = text(LOBBY, 3, ALICE, "@room lunch?", null).withMentions(List.of(), true);
        UserId spaced = UserId.of("user 4:2 with spaces");
        Message odd = text(LOBBY, 4, ALICE, "@odd", null).withMentions(List.of(spaced, BOB), false);
        apply(append(first), append(reply), append(everyone), append(odd));

        assertEquals(List.of(first, reply, everyone, odd), store.messagesAfter(LOBBY, 0, 10));
        assertEquals(Optional.of(reply), store.message(LOBBY, 2));
        assertEquals(2L, store.mentionsAfter(LOBBY, CAROL, 0), "by name, and @room");
        assertEquals(1L, store.mentionsAfter(LOBBY, CAROL, 2));
        assertEquals(1L, store.mentionsAfter(LOBBY, ALICE, 0), "her own @room does not count for her");
        assertEquals(2L, store.mentionsAfter(LOBBY, BOB, 1), "@room and the odd one");
        assertEquals(2L, store.mentionsAfter(LOBBY, spaced, 0), "@room counts for non-members too");
        assertEquals(0L, store.mentionsAfter(ATTIC, CAROL, 0));

        apply(new StoreWrite.DeleteMessage(LOBBY, 2, T0.plusSeconds(60)), new StoreWrite.DeleteMessage(LOBBY, 3, T0.plusSeconds(60)));
        assertEquals(0L, store.mentionsAfter(LOBBY, CAROL, 0), "a deleted message mentions nobody");
        Message deleted = store.message(LOBBY, 2).orElseThrow();
        assertEquals(List.of(), deleted.mentions());
        assertEquals(1L, deleted.replyTo(), "a deleted reply still says what it answered");
    }

    @Test
    void anEditReplacesTheMentions() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        apply(append(text(LOBBY, 1, ALICE, "@bob look", null).withMentions(List.of(BOB), false)));

        apply(new StoreWrite.EditMessage(LOBBY, 1, "@carol look", T0.plusSeconds(10), List.of(CAROL), false));

        assertEquals(List.of(CAROL), store.message(LOBBY, 1).orElseThrow().mentions());
        assertEquals(0L, store.mentionsAfter(LOBBY, BOB, 0));
        assertEquals(1L, store.mentionsAfter(LOBBY, CAROL, 0));
        apply(new StoreWrite.EditMessage(LOBBY, 1, "@room look", T0.plusSeconds(20), List.of(), true));
        assertTrue(store.message(LOBBY, 1).orElseThrow().mentionsRoom());
        assertEquals(1L, store.mentionsAfter(LOBBY, BOB, 0));
    }

    @Test
    void reactionsCountPerEmojiInTheOrderTheyCameAndSayWhetherTheReaderIsIn() {
        lobbyWithMessages(3);
        apply(new StoreWrite.PutReaction(LOBBY, 1, "👍", ALICE, T0.plusSeconds(1)),
                new StoreWrite.PutReaction(LOBBY, 1, "🎉", BOB, T0.plusSeconds(2)),
                new StoreWrite.PutReaction(LOBBY, 1, "👍", BOB, T0.plusSeconds(3)),
                new StoreWrite.PutReaction(LOBBY, 1, "👍", BOB, T0.plusSeconds(4)), // again: not counted twice
                new StoreWrite.PutReaction(LOBBY, 3, "❤️", CAROL, T0.plusSeconds(5)),
                new StoreWrite.PutReaction(LOBBY, 9, "👍", CAROL, T0.plusSeconds(5))); // no such message

        Map<Long, List<Reaction>> forBob = store.reactions(LOBBY, List.of(1L, 2L, 3L, 9L), BOB);
        assertEquals(Map.of(
                1L, List.of(new Reaction("👍", 2, true), new Reaction("🎉", 1, true)),
                3L, List.of(new Reaction("❤️", 1, false))), forBob);
        assertEquals(List.of(new Reaction("👍", 2, true), new Reaction("🎉", 1, false)),
                store.reactions(LOBBY, List.of(1L), ALICE).get(1L));
        assertEquals(Map.of(), store.reactions(LOBBY, List.of(), ALICE));

        apply(new StoreWrite.RemoveReaction(LOBBY, 1, "👍", ALICE), new StoreWrite.RemoveReaction(LOBBY, 1, "🎉", BOB),
                new StoreWrite.RemoveReaction(LOBBY, 2, "👍", ALICE)); // a missing one is no error
        assertEquals(List.of(new Reaction("👍", 1, false)), store.reactions(LOBBY, List.of(1L), ALICE).get(1L));

        apply(new StoreWrite.RemoveReaction(LOBBY, 1, "👍", BOB), new StoreWrite.PutReaction(LOBBY, 1, "🎉", CAROL, T0.plusSeconds(7)),
                new StoreWrite.PutReaction(LOBBY, 1, "👍", ALICE, T0.plusSeconds(8)));
        assertEquals(List.of(new Reaction("🎉", 1, false), new Reaction("👍", 1, true)),
                store.reactions(LOBBY, List.of(1L), ALICE).get(1L), "👍 had gone: back, it comes after 🎉");

        apply(new StoreWrite.DeleteMessage(LOBBY, 3, T0.plusSeconds(60)));
        apply(new StoreWrite.PutReaction(LOBBY, 3, "👍", ALICE, T0.plusSeconds(61)));
        assertEquals(Map.of(), store.reactions(LOBBY, List.of(3L), CAROL), "deleting removes them, and none come back");
    }

    @Test
    void pinsAreListedOldestFirstAndGoWithTheirMessage() {
        lobbyWithMessages(4);
        Pin second = new Pin(LOBBY, 2, ALICE, T0.plusSeconds(10));
        Pin fourth = new Pin(LOBBY, 4, BOB, T0.plusSeconds(20));
        apply(new StoreWrite.PutPin(fourth), new StoreWrite.PutPin(second),
                new StoreWrite.PutPin(new Pin(LOBBY, 9, ALICE, T0))); // no such message: nothing
        apply(new StoreWrite.PutPin(new Pin(LOBBY, 2, BOB, T0.plusSeconds(30)))); // again: the first pin stays

        assertEquals(List.of(second, fourth), store.pins(LOBBY));
        assertEquals(List.of(), store.pins(ATTIC));

        apply(new StoreWrite.RemovePin(LOBBY, 2), new StoreWrite.RemovePin(LOBBY, 3));
        assertEquals(List.of(fourth), store.pins(LOBBY));
        apply(new StoreWrite.DeleteMessage(LOBBY, 4, T0.plusSeconds(60)));
        assertEquals(List.of(), store.pins(LOBBY));
        apply(new StoreWrite.PutPin(new Pin(LOBBY, 4, ALICE, T0.plusSeconds(70))));
        assertEquals(List.of(), store.pins(LOBBY), "a deleted message cannot be pinned");
    }

    @Test
    void roomsOfAUserAreTheRoomsTheyAreAMemberOf() {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)), new StoreWrite.CreateRoom(room(ATTIC, 1, null)),
                new StoreWrite.CreateRoom(room(CELLAR, 2, null)),
                new StoreWrite.PutMember(member(LOBBY, ALICE, 1)), new StoreWrite.PutMember(member(CELLAR, ALICE, 2)),
                new StoreWrite.PutMember(member(ATTIC, BOB, 3)));
        apply(new StoreWrite.RemoveMember(CELLAR, ALICE));

        assertEquals(List.of(LOBBY), store.roomsOf(ALICE));
        assertEquals(List.of(ATTIC), store.roomsOf(BOB));
        assertEquals(List.of(), store.roomsOf(CAROL));
    }

    @Test
    void readMarkersOnlyMoveForward() {
        lobbyWithMessages(5);
        assertEquals(0L, store.readSeq(LOBBY, ALICE));
        apply(new StoreWrite.PutReadMarker(LOBBY, ALICE, 3));
        apply(new StoreWrite.PutReadMarker(LOBBY, ALICE, 2));
        apply(new StoreWrite.PutReadMarker(LOBBY, BOB, 5));

        assertEquals(3L, store.readSeq(LOBBY, ALICE));
        assertEquals(5L, store.readSeq(LOBBY, BOB));
        assertEquals(0L, store.readSeq(ATTIC, ALICE));
        assertBatchFails(new StoreWrite.PutReadMarker(CELLAR, ALICE, 1));

        apply(new StoreWrite.DeleteRoom(LOBBY));
        apply(new StoreWrite.CreateRoom(room(LOBBY, 9, null)));
        assertEquals(0L, store.readSeq(LOBBY, ALICE), "deleting the room deleted its markers");
    }

    @Test
    void aFailedBatchLeavesNoReactionPinOrMarkerBehind() {
        lobbyWithMessages(2);
        apply(new StoreWrite.PutReaction(LOBBY, 1, "👍", BOB, T0));
        assertBatchFails(new StoreWrite.PutReaction(LOBBY, 2, "👍", ALICE, T0),
                new StoreWrite.RemoveReaction(LOBBY, 1, "👍", BOB),
                new StoreWrite.PutPin(new Pin(LOBBY, 1, ALICE, T0)),
                new StoreWrite.PutReadMarker(LOBBY, ALICE, 2),
                new StoreWrite.CreateRoom(room(LOBBY, 0, null)));

        assertEquals(Map.of(1L, List.of(new Reaction("👍", 1, true))), store.reactions(LOBBY, List.of(1L, 2L), BOB));
        assertEquals(List.of(), store.pins(LOBBY));
        assertEquals(0L, store.readSeq(LOBBY, ALICE));
    }

    // ---- helpers ----

    private static Restriction restriction(RoomId roomId, UserId user, Restriction.Kind kind, String reason,
                                           Instant until, int second) {
        return new Restriction(roomId, user, kind, reason, until, ALICE, T0.plusSeconds(second));
    }

    /** A kick of Bob by Alice, {@code second} seconds after T0. */
    private static AuditEntry audit(RoomId roomId, int second) {
        return new AuditEntry(0, roomId, T0.plusSeconds(second), ALICE, "Alice", ModerationAction.KICK, BOB,
                "reason " + second, null, null, null);
    }

    private void apply(StoreWrite... writes) {
        store.apply(List.of(writes));
    }

    private void assertBatchFails(StoreWrite... writes) {
        assertThrows(StoreException.class, () -> store.apply(List.of(writes)));
    }

    private static void assertClosed(Executable call) {
        StoreException e = assertThrows(StoreException.class, call);
        assertTrue(e.getMessage().contains("closed"), () -> "unclear message: " + e.getMessage());
    }

    /** The lobby with {@code count} messages alternating between Alice and Bob, as sent. */
    private List<Message> lobbyWithMessages(int count) {
        apply(new StoreWrite.CreateRoom(room(LOBBY, 0, null)));
        List<Message> sent = new ArrayList<>();
        for (int seq = 1; seq <= count; seq++) {
            Message m = text(LOBBY, seq, seq % 2 == 1 ? ALICE : BOB, "message " + seq, "c-" + seq);
            sent.add(m);
        }
        store.apply(sent.stream().<StoreWrite>map(StoreWrite.AppendMessage::new).toList());
        return sent;
    }

    /** Everything the store returns for the known rooms, to compare before and after. */
    private Map<String, Object> snapshot() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("rooms", store.rooms());
        state.put("memberCounts", store.memberCounts());
        for (RoomId id : List.of(LOBBY, ATTIC, CELLAR)) {
            state.put(id + " room", store.room(id));
            state.put(id + " members", store.members(id));
            state.put(id + " lastSeq", store.lastSeq(id));
            state.put(id + " messages", store.messagesAfter(id, 0, Integer.MAX_VALUE));
            state.put(id + " events", store.eventsAfter(id, 0, Integer.MAX_VALUE));
        }
        return state;
    }

    private static Room room(RoomId id, int minute, String passwordHash) {
        return new Room(id, "Room " + id, ALICE, passwordHash, T0.plusSeconds(60L * minute));
    }

    /** A plain member whose join time is {@code second} seconds after T0. */
    private static Member member(RoomId roomId, UserId userId, int second) {
        String name = Character.toUpperCase(userId.value().charAt(0)) + userId.value().substring(1);
        return new Member(roomId, userId, name, MemberRole.MEMBER, T0.plusSeconds(second));
    }

    private static StoreWrite put(RoomId roomId, UserId userId, int second) {
        return new StoreWrite.PutMember(member(roomId, userId, second));
    }

    private static Message text(RoomId roomId, long seq, UserId author, String text, String clientMsgId) {
        return new Message(roomId, seq, author, author.value(), MessageKind.TEXT, text, clientMsgId,
                T0.plusSeconds(seq), null);
    }

    private static Message file(RoomId roomId, long seq, UserId author, String fileId, String name) {
        return new Message(roomId, seq, author, author.value(), MessageKind.FILE, name, null, T0.plusSeconds(seq),
                null, new Attachment(fileId, name, "image/png", 1234 + seq));
    }

    private static StoreWrite append(Message message) {
        return new StoreWrite.AppendMessage(message);
    }
}
