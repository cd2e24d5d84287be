package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who is online, joined/left notices, and typing notices. */
class WebTalkPresenceTest extends ChatTestSupport {

    private static Predicate<JsonNode> about(String type, String userId) {
        return f -> FakeConnection.ofType(type).test(f) && f.path("user").path("id").asText().equals(userId);
    }

    private int online(String room) {
        return chat.room(RoomId.of(room)).orElseThrow().onlineCount();
    }

    /**
     * A burst of joins (their memberships committed in one batch) is announced in a few
     * {@code members_joined} frames instead of one frame per join per member, and still tells every
     * member about every joiner exactly once, before anything a joiner says.
     */
    @Test
    void aBurstOfJoinsIsAnnouncedTogetherAndEveryJoinerExactlyOnce() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        int burst = 40;
        List<TestClient> joiners = new java.util.ArrayList<>();
        for (int i = 0; i < burst; i++) {
            joiners.add(connect("u-" + i, "User " + i));
        }
        store.hold();
        List<String> ids = new java.util.ArrayList<>();
        for (TestClient joiner : joiners) {
            ids.add(joiner.fire("join", "room", room));
        }
        store.awaitHeld(Duration.ofSeconds(5));
        store.release();
        for (int i = 0; i < burst; i++) {
            JsonNode reply = joiners.get(i).connection().awaitReply(ids.get(i));
            assertEquals("result", reply.path("type").asText(), reply.toString());
        }
        say(joiners.get(burst - 1), room, "hello from the last one");
        ana.connection().awaitType("message");

        List<String> announced = new java.util.ArrayList<>();
        int frames = 0;
        for (JsonNode f : ana.connection().frames()) {
            switch (f.path("type").asText()) {
                case "member_joined" -> {
                    frames++;
                    announced.add(f.path("user").path("id").asText());
                }
                case "members_joined" -> {
                    frames++;
                    assertEquals(room, f.path("room").asText());
                    f.path("users").forEach(u -> announced.add(u.path("id").asText()));
                }
                case "message" -> assertEquals(burst, announced.size(), "every join announced before the message");
                default -> { }
            }
        }
        assertEquals(burst, announced.size(), "each joiner once: " + announced);
        assertEquals(burst, new java.util.HashSet<>(announced).size(), "no joiner twice: " + announced);
        assertTrue(frames < burst, "a burst is batched, not one frame per join: " + frames + " frames");
        assertEquals(burst + 1, online(room));
    }

    @Test
    void oneUserOnTwoConnectionsIsOnlineOnceAndJoinsAndLeavesOnce() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        TestClient boPhone = connect("u-bo", "Bo");
        TestClient boLaptop = connect("u-bo", "Bo");

        boPhone.ok("join", "room", room);
        JsonNode second = boLaptop.ok("join", "room", room);

        assertEquals(2, second.path("room").path("online").asInt());
        assertEquals(2, online(room));
        assertEquals(2, ana.ok("list_rooms").path("rooms").get(0).path("online").asInt());
        // The second connection's join is silent; a later message proves nothing was queued before it.
        say(boLaptop, room, "from the laptop");
        ana.connection().awaitType("message");
        assertEquals(1, ana.connection().frames(about("member_joined", "u-bo")).size());

        boPhone.disconnect();
        say(boLaptop, room, "still here");
        ana.connection().awaitFrames(FakeConnection.ofType("message"), 2);
        assertTrue(ana.connection().framesOfType("member_left").isEmpty(), "another connection is still present");
        assertEquals(2, online(room));

        boLaptop.disconnect();
        JsonNode left = ana.connection().awaitFrame(about("member_left", "u-bo"));
        assertEquals("disconnected", left.path("reason").asText());
        assertEquals("Bo", left.path("user").path("name").asText());
        assertEquals(1, online(room));
        assertEquals(2, chat.room(RoomId.of(room)).orElseThrow().memberCount(), "a disconnect keeps the membership");
        assertEquals(1, ana.connection().framesOfType("member_left").size());
    }

    @Test
    void leaveEndsThePresenceOfEveryConnectionOfTheUser() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        TestClient boPhone = connect("u-bo", "Bo");
        TestClient boLaptop = connect("u-bo", "Bo");
        boPhone.ok("join", "room", room);
        boLaptop.ok("join", "room", room);

        boPhone.ok("leave", "room", room);

        JsonNode left = ana.connection().awaitFrame(about("member_left", "u-bo"));
        assertEquals("left", left.path("reason").asText());
        assertEquals(1, online(room));
        assertTrue(boLaptop.session().rooms().isEmpty());
        assertEquals("not_member", boLaptop.error("send", "room", room, "text", "am I still in?"));
        boLaptop.disconnect();
        say(ana, room, "barrier");
        ana.connection().awaitType("message");
        assertEquals(1, ana.connection().framesOfType("member_left").size(), "no second notice on disconnect");
    }

    @Test
    void theJoinerIsNotToldAboutThemselves() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");

        ana.ok("join", "room", room);
        say(ana, room, "barrier");
        ana.connection().awaitType("message");

        assertTrue(ana.connection().framesOfType("member_joined").isEmpty());
    }

    @Test
    void aConnectionThatClosesWhileJoiningLeavesNoGhost() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        for (int i = 0; i < 30; i++) {
            TestClient ghost = connect("u-ghost-" + i, "Ghost " + i);
            ghost.fire("join", "room", room);
            ghost.disconnect();
        }

        Await.untilEquals("only Ana is online", 1, () -> online(room));
        Await.until("every ghost that was announced has left",
                () -> ana.connection().framesOfType("member_joined").size() == ana.connection().framesOfType("member_left").size());
        assertEquals(1, chat.connectionCount());
    }

    @Test
    void typingReachesTheOthersButNotTheTypist() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        TestClient boLaptop = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        boLaptop.ok("join", "room", room);

        bo.tell("typing", "room", room);

        JsonNode typing = ana.connection().awaitType("typing");
        assertEquals(room, typing.path("room").asText());
        assertEquals("u-bo", typing.path("user").path("id").asText());
        assertEquals("Bo", typing.path("user").path("name").asText());
        assertFalse(typing.has("id"));
        say(bo, room, "barrier");
        for (TestClient c : List.of(bo, boLaptop)) {
            c.connection().awaitType("message");
            assertTrue(c.connection().framesOfType("typing").isEmpty(), "not to any of the typist's connections");
        }
    }

    @Test
    void typingIsThrottledPerUserAndRoomByTheClock() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        TestClient cy = connect("u-cy", "Cy");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        cy.ok("join", "room", room);

        bo.tell("typing", "room", room);
        ana.connection().awaitFrame(about("typing", "u-bo"));
        clock.advance(Duration.ofMillis(1999));
        bo.tell("typing", "room", room); // dropped: within 2 s
        cy.tell("typing", "room", room); // another user has their own throttle
        ana.connection().awaitFrame(about("typing", "u-cy"));
        assertEquals(1, ana.connection().frames(about("typing", "u-bo")).size());

        clock.advance(Duration.ofMillis(1));
        assertEquals(0, bo.ok("typing", "room", room).size());
        assertEquals(2, ana.connection().awaitFrames(about("typing", "u-bo"), 2).size());
    }

    @Test
    void typingIsNeverStoredAndNeedsPresence() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        int writesBefore = store.committed().size();

        ana.ok("typing", "room", room);

        assertEquals(writesBefore, store.committed().size());
        assertEquals(0, ana.ok("history", "room", room).path("messages").size());
        assertEquals(1, say(ana, room, "first message still gets seq 1"));
        assertEquals("not_member", bo.error("typing", "room", room));
        bo.tell("typing", "room", room);
        JsonNode error = bo.connection().awaitFrame(f -> FakeConnection.ofType("error").test(f) && !f.has("id"));
        assertEquals("not_member", error.path("code").asText());
    }
}
