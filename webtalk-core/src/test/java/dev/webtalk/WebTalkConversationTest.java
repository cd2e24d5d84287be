package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replies, mentions, reactions, pins and read state over the text protocol. */
class WebTalkConversationTest extends TwoInARoomSupport {
    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.toString()));
        return out;
    }

    // ---- replies ----

    @Test
    void aReplyCarriesAPreviewOfWhatItAnswers() {
        twoInARoom();
        long question = say(ana, room, "Who brings the cake? " + "x".repeat(120));

        JsonNode reply = bo.ok("send", "room", room, "text", "Me!", "replyTo", question).path("message");

        JsonNode preview = reply.path("replyTo");
        assertEquals(question, preview.path("seq").asLong());
        assertEquals("Ana", preview.path("author").path("name").asText());
        assertEquals(100 + 1, preview.path("text").asText().codePointCount(0, preview.path("text").asText().length()),
                "the first 100 code points and an ellipsis");
        assertFalse(preview.path("deleted").asBoolean());
        assertEquals(reply, ana.connection().awaitFrame(f -> f.path("type").asText().equals("message")
                && f.path("message").path("seq").asLong() == reply.path("seq").asLong()).path("message"),
                "the push carries the same preview");

        ana.ok("delete_message", "room", room, "seq", question);
        JsonNode page = bo.ok("history", "room", room);
        JsonNode after = page.path("messages").get(1).path("replyTo");
        assertTrue(after.path("deleted").asBoolean(), "the preview says the original is gone");
        assertTrue(after.path("text").isNull(), "and shows none of its words");
    }

    @Test
    void replyingToAMissingOrDeletedMessageFailsAndStoresNothing() {
        twoInARoom();
        long gone = say(ana, room, "soon gone");
        ana.ok("delete_message", "room", room, "seq", gone);

        assertEquals("message_not_found", bo.error("send", "room", room, "text", "re", "replyTo", 42));
        assertEquals("message_deleted", bo.error("send", "room", room, "text", "re", "replyTo", gone));
        assertEquals("invalid", bo.error("send", "room", room, "text", "re", "replyTo", 0));
        assertEquals("invalid", bo.error("send", "room", room, "text", "re", "replyTo", "1"));
        assertEquals(1, store.appendedMessages().size());
    }

    // ---- mentions ----

    @Test
    void mentionsAreResolvedBySendAndCountedForTheMentioned() {
        twoInARoom();
        long mark = ana.ok("mark_read", "room", room, "seq", 0).path("seq").asLong();
        JsonNode m = bo.ok("send", "room", room, "text", "@ana can you see this?").path("message");
        assertEquals(List.of("\"u-ana\""), texts(m.path("mentions")));
        assertFalse(m.has("mentionsRoom"));

        JsonNode roomMention = bo.ok("send", "room", room, "text", "@room lunch?").path("message");
        assertFalse(roomMention.has("mentionsRoom"), "a plain member cannot mention the room");

        JsonNode anaJoin = connect("u-ana", "Ana").ok("join", "room", room);
        assertEquals(1, anaJoin.path("room").path("mentions").asLong(), "Bo's @ana");
        assertEquals(2, anaJoin.path("room").path("unread").asLong());
        assertEquals(0, mark);

        assertTrue(ana.ok("send", "room", room, "text", "@room lunch at noon").path("message").path("mentionsRoom").asBoolean());
        JsonNode boRooms = bo.ok("list_rooms").path("rooms").get(0);
        assertEquals(1, boRooms.path("mentions").asLong(), "Ana's @room");
        assertEquals(1, boRooms.path("unread").asLong(), "his own messages moved his marker past them");
        assertEquals(0, ana.ok("list_rooms").path("rooms").get(0).path("unread").asLong(),
                "posting moved Ana's marker past what she answered");
    }

    // ---- reactions ----

    @Test
    void reactionsToggleAndCountAndEveryoneSeesThem() {
        twoInARoom();
        long seq = say(ana, room, "Party on Friday");

        JsonNode mine = bo.ok("react", "room", room, "seq", seq, "emoji", "🎉").path("message").path("reactions");
        assertEquals("[{\"emoji\":\"🎉\",\"count\":1,\"mine\":true}]", mine.toString());
        JsonNode anas = ana.ok("react", "room", room, "seq", seq, "emoji", "🎉").path("message").path("reactions");
        assertEquals("[{\"emoji\":\"🎉\",\"count\":2,\"mine\":true}]", anas.toString());
        bo.ok("react", "room", room, "seq", seq, "emoji", "🎉"); // again: changes nothing

        JsonNode last = Await.value("Ana sees two", () -> ana.connection().framesOfType("reactions").stream()
                .filter(f -> f.path("reactions").path(0).path("count").asInt() == 2).findFirst().orElse(null));
        assertEquals(seq, last.path("seq").asLong());
        assertTrue(last.path("reactions").path(0).path("mine").asBoolean(), "Ana reacted: her frame says so");
        JsonNode history = bo.ok("history", "room", room).path("messages").get(0).path("reactions");
        assertEquals("[{\"emoji\":\"🎉\",\"count\":2,\"mine\":true}]", history.toString());

        JsonNode off = bo.ok("react", "room", room, "seq", seq, "emoji", "🎉", "add", false).path("message");
        assertEquals("[{\"emoji\":\"🎉\",\"count\":1,\"mine\":false}]", off.path("reactions").toString());
    }

    @Test
    void badReactionsGetAStableErrorAndNothingIsStored() {
        start(Limits.builder().maxReactionsPerMessage(2).build());
        twoInARoom();
        long seq = say(ana, room, "hello");
        long gone = say(ana, room, "gone");
        ana.ok("delete_message", "room", room, "seq", gone);

        for (String bad : List.of("a", "👍👍", "👍 ", "", ":+1:")) {
            assertEquals("invalid", bo.error("react", "room", room, "seq", seq, "emoji", bad), bad);
        }
        assertEquals("message_not_found", bo.error("react", "room", room, "seq", 99, "emoji", "👍"));
        assertEquals("message_deleted", bo.error("react", "room", room, "seq", gone, "emoji", "👍"));
        bo.ok("react", "room", room, "seq", seq, "emoji", "👍");
        bo.ok("react", "room", room, "seq", seq, "emoji", "👩‍💻");
        assertEquals("conflict", ana.error("react", "room", room, "seq", seq, "emoji", "🎉"), "a third emoji");
        ana.ok("react", "room", room, "seq", seq, "emoji", "👍"); // an emoji already there still counts
        ana.ok("mute", "room", room, "user", "u-bo", "duration", 60);
        assertEquals("muted", bo.error("react", "room", room, "seq", seq, "emoji", "👍", "add", false));
        assertEquals(2, chat.react(ana.principal(), RoomId.of(room), seq, "👍", true).get(0).count());
    }

    /**
     * A burst of reactions to one message is gathered: with everyone reacting at once, each member gets a
     * handful of frames, not one per reaction.
     */
    @Test
    void aStormOfReactionsIsCoalescedIntoAFewPushes() {
        start(Limits.defaults());
        TestClient owner = connect("u-owner", "Owner");
        room = createRoom(owner, "Stadium");
        owner.ok("join", "room", room);
        long seq = say(owner, room, "Goal!");
        List<TestClient> fans = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TestClient fan = connect("u-fan" + i, "Fan " + i);
            fan.ok("join", "room", room);
            fans.add(fan);
        }
        List<String> pending = new ArrayList<>();
        for (TestClient fan : fans) {
            pending.add(fan.fire("react", "room", room, "seq", seq, "emoji", "⚽"));
        }
        for (int i = 0; i < fans.size(); i++) {
            assertEquals("result", fans.get(i).connection().awaitReply(pending.get(i)).path("type").asText());
        }
        JsonNode last = Await.value("the owner sees all 60", () -> owner.connection().framesOfType("reactions").stream()
                .filter(f -> f.path("reactions").path(0).path("count").asInt() == 60).findFirst().orElse(null));
        assertFalse(last.path("reactions").path(0).has("mine"), "the owner did not react: the shared frame");
        int frames = owner.connection().framesOfType("reactions").size();
        assertTrue(frames < 20, "60 reactions reached a member in " + frames + " frames");
        assertEquals(0, owner.connection().frames(FakeConnection.ofType("error")).size());
    }

    /**
     * Gathered reaction pushes leave in the order of each message's newest change: a message reacted
     * to first but again later goes last, so positions rise (a client skips a push whose pos is not
     * above the highest it applied, and would lose the other one).
     */
    @Test
    void gatheredReactionPushesLeaveInPositionOrder() {
        start(Limits.defaults());
        twoInARoom();
        long first = say(ana, room, "first");
        long second = say(ana, room, "second");
        // All three within one gathering window (100 ms), pipelined: second is touched first and last.
        String a = bo.fire("react", "room", room, "seq", second, "emoji", "🎉");
        String b = bo.fire("react", "room", room, "seq", first, "emoji", "👍");
        String c = bo.fire("react", "room", room, "seq", second, "emoji", "❤️");
        for (String id : List.of(a, b, c)) {
            assertEquals("result", bo.connection().awaitReply(id).path("type").asText());
        }
        say(ana, room, "flush");
        long last = 0;
        for (JsonNode f : ana.connection().frames()) {
            if (f.has("pos")) {
                assertTrue(f.path("pos").asLong() > last, "pos " + f.path("pos") + " after " + last + ": " + ana.connection().frames());
                last = f.path("pos").asLong();
            }
        }
        List<Long> reacted = ana.connection().framesOfType("reactions").stream().map(f -> f.path("seq").asLong()).toList();
        assertTrue(reacted.contains(first) && reacted.contains(second), "both messages' reactions reached Ana: " + reacted);
    }

    // ---- pins ----

    @Test
    void moderatorsPinAndEveryJoinListsThePins() {
        start(Limits.builder().maxPins(1).build());
        twoInARoom();
        long rules = say(ana, room, "Rules: be kind");
        long other = say(bo, room, "hello");

        assertEquals("forbidden", bo.error("pin", "room", room, "seq", rules), "a member may not pin");
        ana.ok("pin", "room", room, "seq", rules);
        JsonNode push = bo.connection().awaitType("pinned");
        assertTrue(push.path("pinned").asBoolean());
        assertEquals("Rules: be kind", push.path("message").path("text").asText());
        assertEquals("Ana", push.path("by").path("name").asText());
        assertEquals("conflict", ana.error("pin", "room", room, "seq", other), "one pin at most here");

        JsonNode joined = connect("u-cy", "Cy").ok("join", "room", room);
        assertEquals(1, joined.path("pins").size());
        assertEquals(rules, joined.path("pins").get(0).path("seq").asLong());
        assertTrue(joined.path("history").get(0).path("pinned").asBoolean());
        assertEquals(List.of(rules), chat.pins(RoomId.of(room)).stream().map(Pin::seq).toList());

        ana.ok("delete_message", "room", room, "seq", rules);
        assertEquals(0, connect("u-dee", "Dee").ok("join", "room", room).path("pins").size(), "deleting unpins");
        assertEquals("message_not_found", ana.error("pin", "room", room, "seq", 99));
        ana.ok("pin", "room", room, "seq", other);
        ana.ok("unpin", "room", room, "seq", other);
        assertFalse(bo.connection().awaitFrame(f -> f.path("type").asText().equals("pinned")
                && f.path("seq").asLong() == other && !f.path("pinned").asBoolean()).path("pinned").asBoolean());
    }

    // ---- read state ----

    @Test
    void readStateIsSharedByAUsersConnectionsAndCountedInListsAndJoins() {
        twoInARoom();
        TestClient boPhone = connect("u-bo", "Bo");
        boPhone.ok("join", "room", room);
        for (int i = 1; i <= 5; i++) {
            say(ana, room, "news " + i);
        }
        JsonNode listed = bo.ok("list_rooms").path("rooms").get(0);
        assertEquals(5, listed.path("unread").asLong());

        JsonNode state = bo.ok("mark_read", "room", room, "seq", 3);
        assertEquals(3, state.path("seq").asLong());
        assertEquals(2, state.path("unread").asLong());
        JsonNode onPhone = boPhone.connection().awaitType("read");
        assertEquals(3, onPhone.path("seq").asLong(), "the phone hears of the tab's reading");
        assertEquals(2, onPhone.path("unread").asLong());

        assertEquals(3, bo.ok("mark_read", "room", room, "seq", 1).path("seq").asLong(), "markers only move forward");
        assertEquals(5, bo.ok("mark_read", "room", room, "seq", 99).path("seq").asLong(), "clamped to the newest");
        assertEquals(0, bo.ok("list_rooms").path("rooms").get(0).path("unread").asLong(),
                "the list counts a marker that is not stored yet");
        assertEquals(5, chat.readState(bo.principal(), RoomId.of(room)).readSeq());
        Await.until("the marker is stored", () -> store.readSeq(RoomId.of(room), UserId.of("u-bo")) == 5);

        JsonNode joined = connect("u-bo", "Bo").ok("join", "room", room);
        assertEquals(5, joined.path("readSeq").asLong());
        assertEquals(0, joined.path("room").path("unread").asLong());
        assertEquals("not_member", connect("u-zed", "Zed").error("mark_read", "room", room, "seq", 1));
        assertEquals("invalid", bo.error("mark_read", "room", room, "seq", -1));
    }

    @Test
    void readMarkersAreWrittenAtMostAboutOnceASecondPerUser() {
        twoInARoom();
        for (int i = 1; i <= 20; i++) {
            say(ana, room, "m" + i);
        }
        int before = store.batchSizes().size();
        for (int seq = 1; seq <= 20; seq++) {
            bo.ok("mark_read", "room", room, "seq", seq);
        }
        Await.until("the last marker is stored", () -> store.readSeq(RoomId.of(room), UserId.of("u-bo")) == 20);
        long writes = store.committed().stream()
                .filter(w -> w instanceof dev.webtalk.spi.StoreWrite.PutReadMarker p && p.userId().value().equals("u-bo"))
                .count();
        assertTrue(writes <= 3, "20 marks within a second stored in " + writes + " writes");
        assertTrue(store.batchSizes().size() - before <= 3);
    }

    @Test
    void aNewMemberHasReadEverythingBeforeThem() {
        twoInARoom();
        for (int i = 1; i <= 4; i++) {
            say(ana, room, "old " + i);
        }
        JsonNode joined = connect("u-cy", "Cy").ok("join", "room", room);
        assertEquals(4, joined.path("readSeq").asLong());
        assertEquals(0, joined.path("room").path("unread").asLong());
        say(ana, room, "new");
        assertEquals(1, connect("u-cy", "Cy").ok("list_rooms").path("rooms").get(0).path("unread").asLong());
    }
}
