package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Principal#system()}: host code acts as the server itself — it creates rooms, reads and moderates
 * any room — without inventing a user, and without showing up as a member or an owner to clients.
 */
class WebTalkSystemPrincipalTest extends ChatTestSupport {

    @Test
    void theSystemIdIsReservedSoNoUserCanPassForTheServer() {
        assertTrue(Principal.system().isSystem());
        assertEquals(WebTalk.SYSTEM_USER, Principal.system().id());
        assertTrue(Principal.system().isAdmin(), "passes permission checks as the server");
        assertFalse(Principal.admin("u-1", "Root").isSystem());
        assertThrows(IllegalArgumentException.class, () -> Principal.user(WebTalk.SYSTEM_USER.value(), "Server"));
        assertThrows(IllegalArgumentException.class, () -> Principal.admin(WebTalk.SYSTEM_USER.value(), "Eve"));
        assertThrows(IllegalArgumentException.class,
                () -> new Principal(WebTalk.SYSTEM_USER, "Server", Set.of()));
        assertEquals(Principal.system(), new Principal(WebTalk.SYSTEM_USER, "Server", Set.of(GlobalRole.ADMIN)));
    }

    @Test
    void aRoomTheServerCreatesHasNoMemberAndClientsSeeNoOwner() {
        start();
        Room room = chat.createRoom(Principal.system(), "Lobby", null);

        assertEquals(WebTalk.SYSTEM_USER, room.ownerId());
        assertEquals(0, chat.room(room.id()).orElseThrow().memberCount());
        assertTrue(store.member(room.id(), WebTalk.SYSTEM_USER).isEmpty(), "the server is not a member");

        TestClient ana = connect("u-ana", "Ana");
        JsonNode listed = ana.ok("list_rooms").path("rooms").path(0);
        assertTrue(listed.has("ownerId") && listed.path("ownerId").isNull(), listed.toString());

        JsonNode joined = ana.ok("join", "room", room.id().value());
        assertTrue(joined.path("room").path("ownerId").isNull(), joined.toString());
        assertEquals("member", joined.path("role").asText(), "the first to join is a plain member");
        assertEquals(List.of("u-ana"), joined.path("members").findValuesAsText("id"));
        assertEquals(1, chat.room(room.id()).orElseThrow().memberCount());
    }

    @Test
    void theServerReadsAndModeratesAnyRoomWithoutJoiningIt() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String id = createRoom(ana, "General", "secret");
        ana.ok("join", "room", id);
        bo.ok("join", "room", id, "password", "secret");
        say(bo, id, "buy cheap watches");
        RoomId room = RoomId.of(id);

        HistoryPage page = chat.history(Principal.system(), room, null, null);
        assertEquals(List.of("buy cheap watches"), page.messages().stream().map(Message::text).toList());

        AuditEntry banned = chat.ban(Principal.system(), room, UserId.of("u-bo"), "spam", null);
        assertEquals(WebTalk.SYSTEM_USER, banned.actorId());
        assertEquals("Server", banned.actorName());
        assertEquals(ModerationAction.BAN, chat.auditLog(Principal.system(), room, null, null).entries().get(0).action());

        assertTrue(store.member(room, WebTalk.SYSTEM_USER).isEmpty(), "still not a member of the room");
        assertEquals(1, chat.room(room).orElseThrow().memberCount());
    }

    @Test
    void theServerHandsItsRoomToAMember() {
        start();
        Room room = chat.createRoom(Principal.system(), "Lobby", null);
        TestClient ana = connect("u-ana", "Ana");
        ana.ok("join", "room", room.id().value());

        chat.transferOwnership(Principal.system(), room.id(), UserId.of("u-ana"));

        JsonNode again = ana.ok("list_rooms").path("rooms").path(0);
        assertEquals("u-ana", again.path("ownerId").asText(), again.toString());
    }

    @Test
    void theServerCannotConnect() {
        start();
        assertThrows(IllegalArgumentException.class, () -> chat.connect(Principal.system(), new FakeConnection()));
    }
}
