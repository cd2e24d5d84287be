package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests one connection sends for one room take effect in the order sent, without waiting for replies. */
class WebTalkOrderingTest extends ChatTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestClient ana;
    private String room;

    private void openRoom() {
        ana = connect("u-ana", "Ana");
        room = createRoom(ana, "General");
        ana.ok("join", "room", room);
    }

    private static int indexOfReply(TestClient client, String id) {
        List<JsonNode> frames = client.connection().frames();
        for (int i = 0; i < frames.size(); i++) {
            if (FakeConnection.replyTo(id).test(frames.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no reply to " + id);
    }

    private static void assertResult(TestClient client, String id) {
        JsonNode reply = client.connection().awaitReply(id);
        assertEquals("result", reply.path("type").asText(), () -> "reply to " + id + ": " + reply);
    }

    @Test
    void aSendPipelinedBehindAJoinWaitsForTheJoin() {
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        store.hold();                                   // Bo's membership write waits in the store
        String join = bo.fire("join", "room", room);
        store.awaitHeld(WAIT);
        String send = bo.fire("send", "room", room, "text", "right after joining");
        store.release();

        assertResult(bo, join);
        assertResult(bo, send);
        assertTrue(indexOfReply(bo, join) < indexOfReply(bo, send), "the join is answered first");
        JsonNode pushed = ana.connection().awaitType("message");
        assertEquals("right after joining", pushed.path("message").path("text").asText());
    }

    @Test
    void manyPipelinedRequestsAfterAJoinAllTakeEffectInOrder() {
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        List<String> ids = new ArrayList<>();
        ids.add(bo.fire("join", "room", room));
        for (int i = 0; i < 20; i++) {
            ids.add(bo.fire("send", "room", room, "text", "m" + i, "clientMsgId", "c-" + i));
        }
        ids.add(bo.fire("history", "room", room));
        for (String id : ids) {
            assertResult(bo, id);
        }
        List<JsonNode> messages = ana.connection().awaitFrames(FakeConnection.ofType("message"), 20);
        for (int i = 0; i < 20; i++) {
            assertEquals("m" + i, messages.get(i).path("message").path("text").asText());
            assertEquals(i + 1, messages.get(i).path("message").path("seq").asLong());
        }
    }

    @Test
    void leaveThenJoinPipelinedLeavesTheConnectionPresent() {
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);
        String leave = bo.fire("leave", "room", room);
        String join = bo.fire("join", "room", room);
        String send = bo.fire("send", "room", room, "text", "back again");
        assertResult(bo, leave);
        assertResult(bo, join);
        assertResult(bo, send);
        assertEquals(java.util.Set.of(RoomId.of(room)), bo.session().rooms());
        say(ana, room, "welcome back");
        bo.connection().awaitFrame(f -> "welcome back".equals(f.path("message").path("text").asText()));
    }

    @Test
    void aSendPipelinedBehindALeaveFailsNotMember() {
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);
        String leave = bo.fire("leave", "room", room);
        String send = bo.fire("send", "room", room, "text", "too late");
        assertResult(bo, leave);
        JsonNode reply = bo.connection().awaitReply(send);
        assertEquals("not_member", reply.path("code").asText());
    }

    @Test
    void otherRoomsAndRequestsDoNotWaitForAJoin() {
        openRoom();
        String other = createRoom(ana, "Other");
        TestClient bo = connect("u-bo", "Bo");
        store.hold();
        String join = bo.fire("join", "room", room);
        store.awaitHeld(WAIT);
        // Answered while the join still waits for the store.
        assertEquals("result", bo.request("ping").path("type").asText());
        assertEquals("result", bo.request("list_rooms").path("type").asText());
        assertEquals("not_member", bo.error("history", "room", other));
        assertTrue(bo.connection().frames(FakeConnection.replyTo(join)).isEmpty());
        store.release();
        assertResult(bo, join);
    }

    @Test
    void requestsWaitingBehindAJoinAreBounded() {
        start(Limits.builder().maxQueuedRequests(3).build());
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        store.hold();
        String join = bo.fire("join", "room", room);
        store.awaitHeld(WAIT);
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(bo.fire("send", "room", room, "text", "q" + i));
        }
        assertEquals("rate_limited", bo.error("send", "room", room, "text", "one too many"));
        store.release();
        assertResult(bo, join);
        for (String id : queued) {
            assertResult(bo, id);
        }
    }

    @Test
    void aBurstRightAfterTheJoinReplyIsNotHeldBehindTheFinishedJoin() {
        start(Limits.builder().maxQueuedRequests(3).build());
        openRoom();
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(bo.fire("send", "room", room, "text", "burst " + i));
        }
        for (String id : ids) {
            assertResult(bo, id); // none waits behind the join, so the queue bound never applies
        }
    }

    @Test
    void joinsPipelinedBehindOtherMembershipChangesCheckThePasswordAndApplyInOrder() {
        ana = connect("u-ana", "Ana");
        room = createRoom(ana, "Secret", "pw");
        ana.ok("join", "room", room, "password", "pw");
        TestClient bo = connect("u-bo", "Bo");
        String first = bo.fire("join", "room", room, "password", "wrong");
        String second = bo.fire("join", "room", room, "password", "pw");
        String leave = bo.fire("leave", "room", room);
        String third = bo.fire("join", "room", room, "password", "pw");
        String send = bo.fire("send", "room", room, "text", "in at last");

        assertEquals("wrong_password", bo.connection().awaitReply(first).path("code").asText());
        assertResult(bo, second);
        assertResult(bo, leave);
        assertResult(bo, third);
        assertResult(bo, send);
        assertTrue(indexOfReply(bo, second) < indexOfReply(bo, leave));
        assertTrue(indexOfReply(bo, leave) < indexOfReply(bo, third));
        assertEquals(java.util.Set.of(RoomId.of(room)), bo.session().rooms());
    }
}
