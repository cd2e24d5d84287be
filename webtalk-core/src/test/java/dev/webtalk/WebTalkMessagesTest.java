package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.spi.OutboundFrame;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sending, history and deleting messages over the text protocol. */
class WebTalkMessagesTest extends TwoInARoomSupport {
    private static Predicate<JsonNode> messageWithSeq(long seq) {
        return f -> FakeConnection.ofType("message").test(f) && f.path("message").path("seq").asLong() == seq;
    }

    @Test
    void sendAcknowledgesWithADenseSeqFromOneAndPushesToEveryonePresent() {
        twoInARoom();

        JsonNode first = ana.ok("send", "room", room, "text", "Hello!", "clientMsgId", "c-1").path("message");
        assertEquals(2, say(bo, room, "Hi Ana"));
        assertEquals(3, say(ana, room, "How are you?"));

        assertEquals(room, first.path("room").asText());
        assertEquals(1, first.path("seq").asLong());
        assertEquals("u-ana", first.path("author").path("id").asText());
        assertEquals("Ana", first.path("author").path("name").asText());
        assertEquals("text", first.path("kind").asText());
        assertEquals("Hello!", first.path("text").asText());
        assertEquals("c-1", first.path("clientMsgId").asText());
        assertEquals(clock.millis(), first.path("createdAt").asLong());
        assertFalse(first.path("deleted").asBoolean());

        for (TestClient c : List.of(ana, bo)) {
            List<JsonNode> pushes = c.connection().awaitFrames(FakeConnection.ofType("message"), 3);
            assertEquals(List.of(1L, 2L, 3L), seqs(pushes));
            assertEquals(first, pushes.get(0).path("message"), "the push carries the same message as the ack");
            assertEquals(room, pushes.get(0).path("room").asText());
            assertFalse(pushes.get(0).has("id"));
        }
        // Seqs are per room.
        String other = createRoom(bo, "Other");
        bo.ok("join", "room", other);
        assertEquals(1, say(bo, other, "first in other room"));
    }

    @Test
    void fanOutEncodesEachPushOnceForAllRecipients() {
        twoInARoom();
        say(ana, room, "shared");

        OutboundFrame toAna = pushFrame(ana, 1);
        OutboundFrame toBo = pushFrame(bo, 1);
        assertSame(toAna, toBo);
    }

    private static OutboundFrame pushFrame(TestClient client, long seq) {
        client.connection().awaitFrame(messageWithSeq(seq));
        List<JsonNode> frames = client.connection().frames();
        List<OutboundFrame> raw = client.connection().rawFrames();
        for (int i = 0; i < frames.size(); i++) {
            if (messageWithSeq(seq).test(frames.get(i))) {
                return raw.get(i);
            }
        }
        throw new AssertionError("no push for seq " + seq);
    }

    @Test
    void manyMessagesFromTwoUsersArriveEverywhereInOneOrder() {
        twoInARoom();
        int perUser = 300;

        CompletableFuture<List<String>> anaIds = CompletableFuture.supplyAsync(() -> burst(ana, perUser));
        CompletableFuture<List<String>> boIds = CompletableFuture.supplyAsync(() -> burst(bo, perUser));
        List<JsonNode> acks = new ArrayList<>();
        anaIds.join().forEach(id -> acks.add(ana.connection().awaitReply(id)));
        boIds.join().forEach(id -> acks.add(bo.connection().awaitReply(id)));

        List<Long> expected = LongStream.rangeClosed(1, 2L * perUser).boxed().toList();
        List<JsonNode> atAna = ana.connection().awaitFrames(FakeConnection.ofType("message"), 2 * perUser);
        List<JsonNode> atBo = bo.connection().awaitFrames(FakeConnection.ofType("message"), 2 * perUser);
        assertEquals(expected, seqs(atAna));
        assertEquals(atAna, atBo, "both see the same messages in the same order");
        assertEquals(expected, acks.stream().map(a -> a.path("result").path("message").path("seq").asLong()).sorted().toList());
        // Each user's own messages keep the order they were sent in.
        for (String user : List.of("u-ana", "u-bo")) {
            List<String> texts = atAna.stream().map(f -> f.path("message"))
                    .filter(m -> m.path("author").path("id").asText().equals(user))
                    .map(m -> m.path("text").asText()).toList();
            assertEquals(LongStream.range(0, perUser).mapToObj(i -> "m" + i).toList(), texts);
        }
        assertEquals(2L * perUser, store.appendedMessages().size());
    }

    private List<String> burst(TestClient client, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.fire("send", "room", room, "text", "m" + i));
        }
        return ids;
    }

    @Test
    void sendChecksTheText() {
        twoInARoom();

        assertEquals("too_large", ana.error("send", "room", room, "text", "x".repeat(2001)));
        assertEquals("invalid", ana.error("send", "room", room, "text", ""));
        assertEquals("invalid", ana.error("send", "room", room, "text", " \n\t "));
        assertEquals("invalid", ana.error("send", "room", room));
        assertEquals("invalid", ana.error("send", "room", room, "text", 12));
        assertEquals("invalid", ana.error("send", "room", room, "text", "ok", "clientMsgId", "c".repeat(65)));
        assertEquals("room_not_found", ana.error("send", "room", "NoSuchRm", "text", "hello"));
        assertEquals("invalid", ana.error("send", "room", room, "text", "half an emoji \uD83D"),
                "an unpaired surrogate has no UTF-8 form and would be stored as '?'");

        assertEquals(1, say(ana, room, "x".repeat(2000)));
        // The limit counts characters: 2000 emoji are 4000 UTF-16 units.
        assertEquals(2, say(ana, room, "\uD83D\uDE00".repeat(2000)));
        assertEquals(2, store.appendedMessages().size(), "rejected sends use no seq");
    }

    @Test
    void sendNeedsPresenceInTheRoom() {
        twoInARoom();
        TestClient cy = connect("u-cy", "Cy");
        TestClient boSecondTab = connect("u-bo", "Bo");

        assertEquals("not_member", cy.error("send", "room", room, "text", "let me in"));
        assertEquals("not_member", boSecondTab.error("send", "room", room, "text", "join on this tab first"));

        assertEquals(1, say(bo, room, "first"));
    }

    @Test
    void aResentClientMsgIdIsStoredOnceAndAnsweredWithTheOriginal() {
        twoInARoom();
        JsonNode original = ana.ok("send", "room", room, "text", "once", "clientMsgId", "c-1").path("message");
        clock.advance(Duration.ofSeconds(5));

        JsonNode retry = ana.ok("send", "room", room, "text", "once", "clientMsgId", "c-1").path("message");

        assertEquals(original, retry);
        // Another user may use the same client id; a new id gets a new seq.
        assertEquals(2, bo.ok("send", "room", room, "text", "mine", "clientMsgId", "c-1").path("message").path("seq").asLong());
        assertEquals(3, ana.ok("send", "room", room, "text", "next", "clientMsgId", "c-2").path("message").path("seq").asLong());
        for (TestClient c : List.of(ana, bo)) {
            c.connection().awaitFrame(messageWithSeq(3));
            assertEquals(List.of(1L, 2L, 3L), seqs(c.connection().framesOfType("message")), "no duplicate push");
        }
        assertEquals(3, store.appendedMessages().size());
    }

    @Test
    void aRetryWhileTheOriginalIsStillBeingStoredGetsTheSameMessage() {
        twoInARoom();
        store.hold();
        String first = ana.fire("send", "room", room, "text", "once", "clientMsgId", "c-1");
        store.awaitHeld(Duration.ofSeconds(5));
        String retry = ana.fire("send", "room", room, "text", "once", "clientMsgId", "c-1");
        String other = ana.fire("send", "room", room, "text", "other", "clientMsgId", "c-2");
        store.release();

        JsonNode a = ana.connection().awaitReply(first).path("result").path("message");
        JsonNode b = ana.connection().awaitReply(retry).path("result").path("message");
        assertEquals(1, a.path("seq").asLong());
        assertEquals(a, b);
        assertEquals(2, ana.connection().awaitReply(other).path("result").path("message").path("seq").asLong());
        bo.connection().awaitFrame(messageWithSeq(2));
        assertEquals(List.of(1L, 2L), seqs(bo.connection().framesOfType("message")));
        assertEquals(2, store.appendedMessages().size());
    }

    /**
     * Seqs are given as the store commits, so a message the store fails takes none: the one queued
     * behind it, even in the same batch, takes the next seq, and the failed one, resent, comes after it.
     * No seq is ever missing, whatever fails.
     */
    @Test
    void aMessageTheStoreFailsTakesNoSeqSoTheRoomStaysDense() {
        twoInARoom();
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage a && "two".equals(a.message().text()));
        store.hold();
        String one = ana.fire("send", "room", room, "text", "one", "clientMsgId", "c-1");
        store.awaitHeld(Duration.ofSeconds(5));
        String two = ana.fire("send", "room", room, "text", "two", "clientMsgId", "c-2");
        String three = bo.fire("send", "room", room, "text", "three", "clientMsgId", "c-3");
        Await.until("both sends queued behind the held one", () -> chat.pendingWrites() == 2);
        store.release();

        assertEquals(1, ana.connection().awaitReply(one).path("result").path("message").path("seq").asLong());
        JsonNode failed = ana.connection().awaitReply(two);
        assertEquals("internal", failed.path("code").asText());
        assertFalse(failed.path("message").asText().contains("injected"), "no fault text reaches the client: " + failed);
        assertTrue(failed.path("message").asText().contains(failed.path("ref").asText()), "a reference to find it in the log");
        assertEquals(8, failed.path("ref").asText().length());
        assertEquals(2, bo.connection().awaitReply(three).path("result").path("message").path("seq").asLong(),
                "three shared a batch with the failed two, and takes the seq two never had");
        store.failWrites(w -> false);

        assertEquals(3, ana.ok("send", "room", room, "text", "two", "clientMsgId", "c-2").path("message").path("seq").asLong());
        assertEquals(List.of("one", "three", "two"), store.appendedMessages().stream().map(Message::text).toList());
        bo.connection().awaitFrame(messageWithSeq(3));
        assertEquals(List.of(1L, 2L, 3L), seqs(bo.connection().framesOfType("message")), "no gap, no repeat");
    }

    @Test
    void historyPagesBackwardsWithBeforeAndLimit() {
        twoInARoom();
        String last = null;
        for (int i = 1; i <= 120; i++) {
            last = ana.fire("send", "room", room, "text", "m" + i);
        }
        ana.connection().awaitReply(last);

        JsonNode newest = bo.ok("history", "room", room);
        assertPage(newest, 71, 120, true);
        assertPage(bo.ok("history", "room", room, "before", 71), 21, 70, true);
        assertPage(bo.ok("history", "room", room, "before", 21), 1, 20, false);
        assertPage(bo.ok("history", "room", room, "before", 21, "limit", 20), 1, 20, false);
        assertPage(bo.ok("history", "room", room, "before", 1), 0, -1, false);
        assertPage(bo.ok("history", "room", room, "limit", 5), 116, 120, true);
        assertPage(bo.ok("history", "room", room, "limit", 1000), 21, 120, true); // clamped to 100
        assertPage(bo.ok("history", "room", room, "before", 500, "limit", 3), 118, 120, true);
        assertEquals("m71", newest.path("messages").get(0).path("text").asText());

        assertEquals("invalid", bo.error("history", "room", room, "limit", 0));
        assertEquals("invalid", bo.error("history", "room", room, "limit", -1));
        assertEquals("invalid", bo.error("history", "room", room, "before", 0));
        assertEquals("invalid", bo.error("history", "room", room, "before", "ten"));
        assertEquals("invalid", bo.error("history", "room", room, "limit", 2.5));
    }

    private static void assertPage(JsonNode page, long firstSeq, long lastSeq, boolean hasMore) {
        JsonNode messages = page.path("messages");
        assertEquals(LongStream.rangeClosed(firstSeq, lastSeq).boxed().toList(), seqs(list(messages)), page.toString());
        assertEquals(hasMore, page.path("hasMore").asBoolean());
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void historyIsForMembersAndAdmins() {
        twoInARoom();
        say(ana, room, "members only");
        TestClient cy = connect("u-cy", "Cy");
        TestClient root = connect(Principal.admin("u-root", "Root"));

        assertEquals("not_member", cy.error("history", "room", room));
        assertEquals(1, root.ok("history", "room", room).path("messages").size());
        // Membership outlives the connection.
        bo.disconnect();
        TestClient boAgain = connect("u-bo", "Bo");
        assertEquals(1, boAgain.ok("history", "room", room).path("messages").size());
    }

    @Test
    void deletingYourOwnMessageErasesItForEveryone() {
        twoInARoom();
        say(bo, room, "oops");
        say(bo, room, "keep");
        clock.advance(Duration.ofMinutes(1));

        assertEquals(0, bo.ok("delete_message", "room", room, "seq", 1).size());

        for (TestClient c : List.of(ana, bo)) {
            JsonNode pushed = c.connection().awaitType("message_deleted");
            assertEquals(room, pushed.path("room").asText());
            assertEquals(1, pushed.path("seq").asLong());
            assertFalse(pushed.has("id"));
            assertFalse(pushed.toString().contains("oops"));
        }
        JsonNode history = ana.ok("history", "room", room).path("messages");
        assertEquals(2, history.size());
        JsonNode deleted = history.get(0);
        assertEquals(1, deleted.path("seq").asLong());
        assertTrue(deleted.path("deleted").asBoolean());
        assertTrue(deleted.path("text").isNull());
        assertEquals(clock.millis(), deleted.path("deletedAt").asLong());
        assertEquals("keep", history.get(1).path("text").asText());
        assertFalse(history.get(1).path("deleted").asBoolean());
        assertTrue(store.message(RoomId.of(room), 1).orElseThrow().text() == null, "the text is gone from the store");

        // A later joiner sees it deleted too.
        TestClient cy = connect("u-cy", "Cy");
        JsonNode joinHistory = cy.ok("join", "room", room).path("history");
        assertTrue(joinHistory.get(0).path("deleted").asBoolean());
        assertTrue(joinHistory.get(0).path("text").isNull());
    }

    @Test
    void deletingSomeoneElsesMessageIsForbiddenUnlessOwnerOrAdmin() {
        twoInARoom();
        TestClient cy = connect("u-cy", "Cy");
        cy.ok("join", "room", room);
        TestClient root = connect(Principal.admin("u-root", "Root"));
        say(bo, room, "one");
        say(bo, room, "two");
        say(ana, room, "three");

        assertEquals("forbidden", cy.error("delete_message", "room", room, "seq", 1));
        assertEquals("forbidden", bo.error("delete_message", "room", room, "seq", 3), "not even the owner's own");
        assertFalse(ana.ok("history", "room", room).path("messages").get(0).path("deleted").asBoolean());

        ana.ok("delete_message", "room", room, "seq", 1); // the room owner
        root.ok("delete_message", "room", room, "seq", 2); // an admin, not even in the room
        List<JsonNode> deletions = cy.connection().awaitFrames(FakeConnection.ofType("message_deleted"), 2);
        assertEquals(List.of(1L, 2L), seqs(deletions));

        assertEquals("message_not_found", ana.error("delete_message", "room", room, "seq", 99));
        assertEquals("invalid", ana.error("delete_message", "room", room, "seq", 0));
        assertEquals("invalid", ana.error("delete_message", "room", room));
        assertEquals("room_not_found", ana.error("delete_message", "room", "NoSuchRm", "seq", 1));
    }
}
