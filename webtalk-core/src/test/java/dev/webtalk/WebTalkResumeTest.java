package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resuming a room after a reconnect: {@code join} with {@code since}. */
class WebTalkResumeTest extends ChatTestSupport {
    private TestClient ana;
    private String room;

    /** Ana owns the room and sends {@code count} messages ("m1", "m2", …). */
    private void roomWithMessages(int count) {
        ana = connect("u-ana", "Ana");
        room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        for (int i = 1; i <= count; i++) {
            say(ana, room, "m" + i);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void resumeReturnsExactlyTheMissedMessagesWithTheirCurrentState() {
        roomWithMessages(3);
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);
        bo.disconnect();
        for (int i = 4; i <= 8; i++) {
            say(ana, room, "m" + i);
        }
        ana.ok("delete_message", "room", room, "seq", 5);
        ana.ok("delete_message", "room", room, "seq", 2); // before Bo's since: not replayed

        TestClient back = connect("u-bo", "Bo");
        JsonNode joined = back.ok("join", "room", room, "since", 3);

        List<JsonNode> missed = list(joined.path("missed"));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), seqs(missed));
        assertEquals("m4", missed.get(0).path("text").asText());
        assertTrue(missed.get(1).path("deleted").asBoolean(), "a message deleted while away comes as deleted");
        assertTrue(missed.get(1).path("text").isNull());
        assertTrue(missed.get(1).has("deletedAt"));
        assertFalse(joined.path("resync").asBoolean());
        assertFalse(joined.has("history"), "a resume carries missed instead of the newest page");
        assertEquals("member", joined.path("role").asText());
    }

    @Test
    void resumeWithNothingMissedIsEmpty() {
        roomWithMessages(4);
        TestClient bo = connect("u-bo", "Bo");
        JsonNode joined = bo.ok("join", "room", room, "since", 4);
        assertEquals(0, joined.path("missed").size());
        assertTrue(joined.path("missed").isArray());
        assertFalse(joined.path("resync").asBoolean());
    }

    @Test
    void resumeFromZeroInAnEmptyRoomIsEmpty() {
        roomWithMessages(0);
        TestClient bo = connect("u-bo", "Bo");
        assertEquals(0, bo.ok("join", "room", room, "since", 0).path("missed").size());
    }

    @Test
    void missingMoreThanTheBoundAsksForAResyncWithTheNewestPage() {
        start(Limits.defaults().withMaxResumeMessages(3).withJoinHistory(2));
        roomWithMessages(7);
        TestClient bo = connect("u-bo", "Bo");

        JsonNode far = bo.ok("join", "room", room, "since", 3);
        assertTrue(far.path("resync").asBoolean());
        assertFalse(far.has("missed"));
        assertEquals(List.of(6L, 7L), seqs(list(far.path("history"))));
        assertTrue(far.path("hasMore").asBoolean());

        JsonNode near = bo.ok("join", "room", room, "since", 4); // exactly the bound
        assertEquals(List.of(5L, 6L, 7L), seqs(list(near.path("missed"))));
    }

    @Test
    void aSinceBeyondTheNewestMessageAsksForAResync() {
        roomWithMessages(2);
        TestClient bo = connect("u-bo", "Bo");
        JsonNode joined = bo.ok("join", "room", room, "since", 9);
        assertTrue(joined.path("resync").asBoolean());
        assertEquals(List.of(1L, 2L), seqs(list(joined.path("history"))));
    }

    @Test
    void aBadSinceIsInvalidAndJoinsNothing() {
        roomWithMessages(1);
        TestClient bo = connect("u-bo", "Bo");
        assertEquals("invalid", bo.error("join", "room", room, "since", -1));
        assertEquals("invalid", bo.error("join", "room", room, "since", "3"));
        assertEquals("invalid", bo.error("join", "room", room, "since", 1.5));
        assertTrue(bo.session().rooms().isEmpty());
        assertEquals("not_member", bo.error("send", "room", room, "text", "hi"));
    }

    @Test
    void aJoinWithoutSinceStillAnswersTheNewestPage() {
        roomWithMessages(3);
        JsonNode joined = connect("u-bo", "Bo").ok("join", "room", room);
        assertEquals(List.of(1L, 2L, 3L), seqs(list(joined.path("history"))));
        assertFalse(joined.has("missed"));
        assertFalse(joined.has("resync"));
    }

    @Test
    void messagesSentAfterTheResumeArePushedWithNoGap() {
        roomWithMessages(2);
        TestClient bo = connect("u-bo", "Bo");
        JsonNode joined = bo.ok("join", "room", room, "since", 1);
        assertEquals(List.of(2L), seqs(list(joined.path("missed"))));
        say(ana, room, "m3");
        assertEquals(3, bo.connection().awaitType("message").path("message").path("seq").asLong());
        assertEquals(0, bo.connection().frames(FakeConnection.ofType("error")).size());
    }
}
