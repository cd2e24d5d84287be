package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rooms over the text protocol: welcome, create, list, join, leave, delete. */
class WebTalkRoomsTest extends ChatTestSupport {

    @Test
    void welcomeIsTheFirstFrame() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient root = connect(Principal.admin("u-root", "Root"));

        JsonNode welcome = ana.connection().awaitFrame(f -> true);
        assertEquals(welcome, ana.connection().frames().get(0));
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals(2, welcome.path("protocol").asInt());
        assertEquals("u-ana", welcome.path("user").path("id").asText());
        assertEquals("Ana", welcome.path("user").path("name").asText());
        assertFalse(welcome.path("user").path("admin").asBoolean());
        assertEquals(2000, welcome.path("limits").path("maxMessageChars").asInt());
        assertEquals(65536, welcome.path("limits").path("maxFrameBytes").asInt());
        assertEquals(100, welcome.path("limits").path("historyPageMax").asInt());
        assertEquals(50, welcome.path("limits").path("maxRoomNameChars").asInt());
        assertFalse(welcome.has("id"));
        assertTrue(root.connection().awaitFrame(f -> true).path("user").path("admin").asBoolean());
        assertEquals(2, chat.connectionCount());
    }

    @Test
    void createRoomMakesTheCreatorOwnerAndMember() {
        TestClient ana = connect("u-ana", "Ana");

        JsonNode room = ana.ok("create_room", "name", "  Study group  ").path("room");

        assertTrue(room.path("id").asText().matches("[0-9A-Za-z]{8}"), room.toString());
        assertEquals("Study group", room.path("name").asText());
        assertFalse(room.path("hasPassword").asBoolean());
        assertEquals("u-ana", room.path("ownerId").asText());
        assertEquals(clock.millis(), room.path("createdAt").asLong());
        assertEquals(1, room.path("members").asInt());
        assertEquals(0, room.path("online").asInt());
        JsonNode joined = ana.ok("join", "room", room.path("id").asText());
        assertEquals("owner", joined.path("role").asText());
    }

    @Test
    void createRoomChecksTheName() {
        TestClient ana = connect("u-ana", "Ana");

        assertEquals("invalid", ana.error("create_room", "name", ""));
        assertEquals("invalid", ana.error("create_room", "name", "   "));
        assertEquals("invalid", ana.error("create_room", "name", "x".repeat(51)));
        assertEquals("invalid", ana.error("create_room", "name", "bell\u0007"));
        assertEquals("invalid", ana.error("create_room", "name", "half \uDE00 emoji"));
        assertEquals("invalid", ana.error("create_room", "name", "ok", "password", "\uD83D"));
        assertEquals("invalid", ana.error("create_room"));
        assertEquals("invalid", ana.error("create_room", "name", 42));
        assertEquals("x".repeat(50), ana.ok("create_room", "name", "x".repeat(50)).path("room").path("name").asText());
        // Limits count characters, not UTF-16 units.
        String emoji = "\uD83D\uDE00".repeat(50);
        assertEquals(emoji, ana.ok("create_room", "name", emoji).path("room").path("name").asText());
        assertEquals(2, chat.rooms().size());
    }

    @Test
    void createRoomWithPasswordNeverShowsTheHash() {
        TestClient ana = connect("u-ana", "Ana");

        JsonNode room = ana.ok("create_room", "name", "Secret", "password", "hunter2").path("room");

        assertTrue(room.path("hasPassword").asBoolean());
        assertFalse(room.toString().contains("pbkdf2"), room.toString());
        assertFalse(ana.ok("list_rooms").toString().contains("pbkdf2"));
        assertEquals("invalid", ana.error("create_room", "name", "Long", "password", "p".repeat(129)));
        assertTrue(ana.ok("create_room", "name", "Max", "password", "p".repeat(128)).path("room").path("hasPassword").asBoolean());
    }

    @Test
    void anEmptyPasswordIsInvalidAndOnlyALeftOutOneOpensTheRoom() {
        TestClient ana = connect("u-ana", "Ana");

        assertEquals("invalid", ana.error("create_room", "name", "Meant to be private", "password", ""));
        assertThrows(InvalidRequestException.class, () -> chat.createRoom(ana.principal(), "Private", ""));
        assertEquals(0, ana.ok("list_rooms").path("rooms").size(), "nothing was created");

        assertFalse(ana.ok("create_room", "name", "Open").path("room").path("hasPassword").asBoolean());
        assertFalse(chat.createRoom(ana.principal(), "Open too", null).hasPassword());
    }

    @Test
    void createRoomBeyondMaxRoomsIsAConflict() {
        start(Limits.builder().maxRooms(2).build());
        TestClient ana = connect("u-ana", "Ana");
        createRoom(ana, "One");
        createRoom(ana, "Two");

        assertEquals("conflict", ana.error("create_room", "name", "Three"));
        assertEquals(2, ana.ok("list_rooms").path("rooms").size());
    }

    @Test
    void aUserOwnsAtMostMaxRoomsPerUserAndOthersCanStillCreateRooms() {
        start(Limits.builder().maxRoomsPerUser(2).build());
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String first = createRoom(ana, "One");
        createRoom(ana, "Two");

        assertEquals("conflict", ana.error("create_room", "name", "Three"));
        assertThrows(LimitReachedException.class, () -> chat.createRoom(ana.principal(), "Three", null));
        createRoom(bo, "Bo's"); // the server is not full: only Ana is
        chat.createRoom(Principal.admin("u-root", "Root"), "Admins are not counted", null);

        ana.ok("delete_room", "room", first);
        createRoom(ana, "Three");
        assertEquals(2, chat.rooms().stream().filter(r -> r.room().ownerId().value().equals("u-ana")).count());
    }

    @Test
    void aBurstOfCreateRoomsCannotSlipPastTheQuotaBeforeTheyAreStored() {
        start(Limits.builder().maxRoomsPerUser(3).build());
        TestClient ana = connect("u-ana", "Ana");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(ana.fire("create_room", "name", "Room " + i));
        }
        long created = ids.stream().map(id -> ana.connection().awaitReply(id))
                .filter(reply -> reply.path("type").asText().equals("result")).count();

        assertEquals(3, created);
        assertEquals(3, chat.rooms().size());
    }

    @Test
    void listRoomsCountsMembersAndOnlineUsersOldestFirst() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String first = createRoom(ana, "First");
        clock.advance(Duration.ofMinutes(1));
        String second = createRoom(bo, "Second");
        ana.ok("join", "room", first);
        bo.ok("join", "room", first);

        JsonNode rooms = ana.ok("list_rooms").path("rooms");

        assertEquals(2, rooms.size());
        assertEquals(first, rooms.get(0).path("id").asText());
        assertEquals(2, rooms.get(0).path("members").asInt());
        assertEquals(2, rooms.get(0).path("online").asInt());
        assertEquals(second, rooms.get(1).path("id").asText());
        assertEquals(1, rooms.get(1).path("members").asInt());
        assertEquals(0, rooms.get(1).path("online").asInt());

        bo.disconnect();
        ana.connection().awaitType("member_left");
        JsonNode afterDisconnect = ana.ok("list_rooms").path("rooms").get(0);
        assertEquals(2, afterDisconnect.path("members").asInt(), "a disconnect keeps the membership");
        assertEquals(1, afterDisconnect.path("online").asInt());
    }

    @Test
    void joinAnOpenRoomListsMembersWithOnlineFlagsAndTellsTheOthers() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        TestClient cy = connect("u-cy", "Cy");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        cy.ok("join", "room", room);
        cy.disconnect();

        JsonNode joined = bo.ok("join", "room", room);

        assertEquals(room, joined.path("room").path("id").asText());
        assertEquals(3, joined.path("room").path("members").asInt());
        assertEquals("member", joined.path("role").asText());
        List<String> members = new ArrayList<>();
        joined.path("members").forEach(m -> members.add(
                m.path("id").asText() + "/" + m.path("name").asText() + "/" + m.path("role").asText() + "/" + m.path("online").asBoolean()));
        assertEquals(List.of("u-ana/Ana/owner/true", "u-bo/Bo/member/true", "u-cy/Cy/member/false"), members,
                "online first, each part by name");
        assertEquals(0, joined.path("history").size());
        assertFalse(joined.path("hasMore").asBoolean());
        assertTrue(bo.session().rooms().contains(RoomId.of(room)));

        JsonNode pushed = ana.connection().awaitFrame(f -> FakeConnection.ofType("member_joined").test(f)
                && f.path("user").path("id").asText().equals("u-bo"));
        assertEquals(room, pushed.path("room").asText());
        assertEquals("Bo", pushed.path("user").path("name").asText());
        assertEquals("member", pushed.path("user").path("role").asText());
        assertFalse(pushed.has("id"));
    }

    @Test
    void joinTheSameRoomTwiceOnOneConnectionIsHarmless() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);

        JsonNode again = bo.ok("join", "room", room);

        assertEquals(2, again.path("room").path("online").asInt());
        say(bo, room, "barrier");
        ana.connection().awaitType("message");
        assertEquals(1, ana.connection().framesOfType("member_joined").size());
    }

    @Test
    void joinAPasswordRoomNeedsTheRightPasswordOnlyOnce() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "Secret", "s3cret");

        assertEquals("wrong_password", bo.error("join", "room", room));
        assertEquals("wrong_password", bo.error("join", "room", room, "password", "nope"));
        assertEquals("wrong_password", bo.error("join", "room", room, "password", ""));
        assertTrue(bo.session().rooms().isEmpty());
        assertEquals("owner", ana.ok("join", "room", room).path("role").asText(), "the owner needs no password");
        assertEquals("member", bo.ok("join", "room", room, "password", "s3cret").path("role").asText());

        // A member who comes back on a new connection needs no password.
        bo.disconnect();
        TestClient boAgain = connect("u-bo", "Bo");
        assertEquals("member", boAgain.ok("join", "room", room).path("role").asText());

        // After leaving, the membership is gone and so is the pass.
        boAgain.ok("leave", "room", room);
        assertEquals("wrong_password", boAgain.error("join", "room", room));

        // Admins act as owners everywhere.
        TestClient root = connect(Principal.admin("u-root", "Root"));
        root.ok("join", "room", room);
    }

    @Test
    void joinReportsTheNewestHistoryPage() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        String last = null;
        for (int i = 1; i <= 60; i++) {
            last = ana.fire("send", "room", room, "text", "m" + i);
        }
        ana.connection().awaitReply(last);

        JsonNode joined = bo.ok("join", "room", room);

        JsonNode history = joined.path("history");
        assertEquals(50, history.size());
        assertEquals(11, history.get(0).path("seq").asLong());
        assertEquals("m11", history.get(0).path("text").asText());
        assertEquals(60, history.get(49).path("seq").asLong());
        assertTrue(joined.path("hasMore").asBoolean());
    }

    @Test
    void joinFailsClearlyForMissingOrMalformedRooms() {
        TestClient bo = connect("u-bo", "Bo");

        assertEquals("room_not_found", bo.error("join", "room", "NoSuchRm"));
        assertEquals("invalid", bo.error("join", "room", "x".repeat(65)));
        assertEquals("invalid", bo.error("join", "room", ""));
        assertEquals("invalid", bo.error("join"));
        assertEquals("invalid", bo.error("join", "room", 7));
        assertTrue(bo.session().rooms().isEmpty());
    }

    @Test
    void joinBeyondMaxRoomsPerSessionIsAConflict() {
        TestClient ana = connect("u-ana", "Ana");
        int max = chat.limits().maxRoomsPerSession();
        for (int i = 0; i < max; i++) {
            ana.ok("join", "room", createRoom(ana, "Room " + i));
        }
        String extra = createRoom(ana, "One too many");

        assertEquals("conflict", ana.error("join", "room", extra));
        assertEquals(max, ana.session().rooms().size());
    }

    @Test
    void leaveEndsMembershipAndTellsTheOthers() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);

        assertEquals(0, bo.ok("leave", "room", room).size());

        JsonNode left = ana.connection().awaitType("member_left");
        assertEquals(room, left.path("room").asText());
        assertEquals("u-bo", left.path("user").path("id").asText());
        assertEquals("left", left.path("reason").asText());
        assertTrue(bo.session().rooms().isEmpty());
        assertEquals(1, chat.room(RoomId.of(room)).orElseThrow().memberCount());
        assertEquals(1, chat.room(RoomId.of(room)).orElseThrow().onlineCount());
        assertEquals("not_member", bo.error("leave", "room", room));
        assertEquals("not_member", bo.error("send", "room", room, "text", "still here?"));
        assertEquals("room_not_found", bo.error("leave", "room", "NoSuchRm"));
    }

    @Test
    void deleteRoomByTheOwnerTellsEveryonePresent() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "Doomed");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        say(bo, room, "hello");

        assertEquals(0, ana.ok("delete_room", "room", room).size());

        for (TestClient c : List.of(ana, bo)) {
            JsonNode deleted = c.connection().awaitType("room_deleted");
            assertEquals(room, deleted.path("room").asText());
            assertFalse(deleted.has("id"));
            assertTrue(c.session().rooms().isEmpty());
        }
        assertEquals(0, ana.ok("list_rooms").path("rooms").size());
        assertEquals("room_not_found", bo.error("send", "room", room, "text", "hello?"));
        assertEquals("room_not_found", bo.error("join", "room", room));
        assertEquals("room_not_found", bo.error("history", "room", room));
        assertEquals("room_not_found", ana.error("delete_room", "room", room));
    }

    @Test
    void deleteRoomByAnyoneButTheOwnerOrAnAdminIsForbidden() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        TestClient root = connect(Principal.admin("u-root", "Root"));
        String room = createRoom(ana, "Kept");
        bo.ok("join", "room", room);

        assertEquals("forbidden", bo.error("delete_room", "room", room));
        assertEquals(1, bo.ok("list_rooms").path("rooms").size());
        say(bo, room, "still works");

        root.ok("delete_room", "room", room);
        bo.connection().awaitType("room_deleted");
        assertTrue(chat.rooms().isEmpty());
    }
}
