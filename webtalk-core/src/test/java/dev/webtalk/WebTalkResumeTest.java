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

    /** Bo joins the room (his membership is an event too), notes the position, and goes away. */
    private long boJoinsAndLeaves() {
        TestClient bo = connect("u-bo", "Bo");
        long pos = bo.ok("join", "room", room).path("pos").asLong();
        bo.disconnect();
        return pos;
    }

    @Test
    void resumeReplaysEveryChangeSinceThePositionInItsCurrentState() {
        roomWithMessages(3);
        long since = boJoinsAndLeaves();
        for (int i = 4; i <= 8; i++) {
            say(ana, room, "m" + i);
        }
        ana.ok("delete_message", "room", room, "seq", 5);
        ana.ok("delete_message", "room", room, "seq", 2); // a message Bo already had
        ana.ok("edit_message", "room", room, "seq", 6, "text", "m6, edited");
        ana.ok("edit_message", "room", room, "seq", 1, "text", "m1, edited"); // also one Bo had

        TestClient back = connect("u-bo", "Bo");
        JsonNode joined = back.ok("join", "room", room, "since", since);

        List<JsonNode> missed = list(joined.path("missed"));
        assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L), seqs(missed), "every message a change touched, by seq");
        assertEquals("m1, edited", missed.get(0).path("text").asText());
        assertTrue(missed.get(0).has("editedAt"));
        assertTrue(missed.get(1).path("deleted").asBoolean(), "a deletion of a message the client had is replayed");
        assertTrue(missed.get(1).path("text").isNull());
        assertEquals("m4", missed.get(2).path("text").asText());
        assertFalse(missed.get(2).has("editedAt"));
        assertTrue(missed.get(3).path("deleted").asBoolean(), "a message posted and deleted while away comes as deleted");
        assertTrue(missed.get(3).has("deletedAt"));
        assertEquals("m6, edited", missed.get(4).path("text").asText());
        assertEquals(since + 9, joined.path("pos").asLong(), "five posts, two deletes, two edits later");
        assertFalse(joined.path("resync").asBoolean());
        assertFalse(joined.has("history"), "a resume carries missed instead of the newest page");
        assertEquals("member", joined.path("role").asText());
    }

    @Test
    void resumeWithNothingMissedIsEmpty() {
        roomWithMessages(4);
        long since = boJoinsAndLeaves();
        JsonNode joined = connect("u-bo", "Bo").ok("join", "room", room, "since", since);
        assertEquals(0, joined.path("missed").size());
        assertTrue(joined.path("missed").isArray());
        assertEquals(since, joined.path("pos").asLong(), "a member coming back changes nothing durable");
        assertFalse(joined.path("resync").asBoolean());
    }

    @Test
    void changesThatTouchNoMessageReplayNoMessage() {
        roomWithMessages(2);
        long since = boJoinsAndLeaves();
        ana.ok("set_room", "room", room, "topic", "Exams");
        ana.ok("mute", "room", room, "user", "u-bo", "duration", 60);
        ana.ok("unmute", "room", room, "user", "u-bo");

        JsonNode joined = connect("u-bo", "Bo").ok("join", "room", room, "since", since);
        assertEquals(0, joined.path("missed").size(), "settings and members travel whole in the result");
        assertEquals("Exams", joined.path("settings").path("topic").asText());
        assertEquals(since + 3, joined.path("pos").asLong());
    }

    @Test
    void resumeFromZeroInAnEmptyRoomIsEmpty() {
        roomWithMessages(0);
        TestClient bo = connect("u-bo", "Bo");
        assertEquals(0, bo.ok("join", "room", room, "since", 0).path("missed").size());
    }

    @Test
    void missingMoreThanTheBoundAsksForAResyncWithTheNewestPage() {
        start(Limits.builder().maxResumeEvents(3).joinHistory(2).build());
        roomWithMessages(0);
        long joinedAt = boJoinsAndLeaves();
        for (int i = 1; i <= 7; i++) {
            say(ana, room, "m" + i);
        }
        TestClient bo = connect("u-bo", "Bo");

        JsonNode far = bo.ok("join", "room", room, "since", joinedAt + 3);
        assertTrue(far.path("resync").asBoolean());
        assertFalse(far.has("missed"));
        assertEquals(List.of(6L, 7L), seqs(list(far.path("history"))));
        assertTrue(far.path("hasMore").asBoolean());

        JsonNode near = bo.ok("join", "room", room, "since", joinedAt + 4); // exactly the bound
        assertEquals(List.of(5L, 6L, 7L), seqs(list(near.path("missed"))));
    }

    @Test
    void aSinceBeyondTheNewestPositionAsksForAResync() {
        roomWithMessages(2);
        long since = boJoinsAndLeaves();
        JsonNode joined = connect("u-bo", "Bo").ok("join", "room", room, "since", since + 1);
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
        assertEquals(5, joined.path("pos").asLong(), "created with Ana in it, three posts, Bo's membership");
        assertFalse(joined.has("missed"));
        assertFalse(joined.has("resync"));
    }

    @Test
    void pushesAfterTheResumeCarryTheNextPositions() {
        roomWithMessages(2);
        TestClient bo = connect("u-bo", "Bo");
        JsonNode joined = bo.ok("join", "room", room, "since", 2); // room created at 1, m1 at 2
        assertEquals(List.of(2L), seqs(list(joined.path("missed"))));
        long pos = joined.path("pos").asLong();
        assertEquals(4, pos, "m2 at 3, Bo's membership at 4");
        say(ana, room, "m3");
        JsonNode push = bo.connection().awaitType("message");
        assertEquals(3, push.path("message").path("seq").asLong());
        assertEquals(pos + 1, push.path("pos").asLong());
        ana.ok("edit_message", "room", room, "seq", 3, "text", "m3!");
        assertEquals(pos + 2, bo.connection().awaitType("message_edited").path("pos").asLong());
        ana.ok("delete_message", "room", room, "seq", 3);
        assertEquals(pos + 3, bo.connection().awaitType("message_deleted").path("pos").asLong());
        assertEquals(0, bo.connection().frames(FakeConnection.ofType("error")).size());
    }
}
