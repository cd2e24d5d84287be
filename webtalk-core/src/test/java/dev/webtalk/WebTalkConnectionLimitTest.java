package dev.webtalk;

import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Limits#maxConnectionsPerUser()}: a user's connection past the limit is closed with 4004. */
class WebTalkConnectionLimitTest extends ChatTestSupport {

    @Test
    void aConnectionPastThePerUserLimitIsClosedWithoutAWelcome() {
        start(Limits.builder().maxConnectionsPerUser(2).build());
        TestClient first = connect("u-ana", "Ana");
        TestClient second = connect("u-ana", "Ana");
        first.connection().awaitType("welcome");
        second.connection().awaitType("welcome");

        TestClient third = connect("u-ana", "Ana");
        assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, third.connection().awaitClose());
        assertTrue(third.connection().frames().isEmpty(), "a refused connection gets no welcome");
        third.tell("ping");
        third.sendText("{\"type\":\"ping\",\"id\":\"x\"}");
        assertTrue(third.connection().frames().isEmpty(), "a refused connection is not served");
        assertEquals(2, chat.connectionCount());

        TestClient other = connect("u-bo", "Bo");
        other.connection().awaitType("welcome");
        assertFalse(other.connection().isClosed(), "other users are not affected");
        assertFalse(first.connection().isClosed());
        assertEquals("result", first.request("ping").path("type").asText());
    }

    @Test
    void aClosedConnectionFreesItsSlot() {
        start(Limits.builder().maxConnectionsPerUser(1).build());
        TestClient first = connect("u-ana", "Ana");
        first.connection().awaitType("welcome");
        assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, connect("u-ana", "Ana").connection().awaitClose());

        first.disconnect();
        Await.untilEquals("connections", 0, () -> chat.connectionCount());
        TestClient again = connect("u-ana", "Ana");
        again.connection().awaitType("welcome");
        assertFalse(again.connection().isClosed());

        again.session().onClose();
        again.session().onClose(); // a transport reporting twice must not free two slots
        TestClient a = connect("u-ana", "Ana");
        a.connection().awaitType("welcome");
        TestClient b = connect("u-ana", "Ana");
        assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, b.connection().awaitClose());
    }

    @Test
    void refusingAConnectionLeavesTheUsersPresenceAlone() {
        start(Limits.builder().maxConnectionsPerUser(1).build());
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);

        TestClient refused = connect("u-ana", "Ana");
        refused.connection().awaitClose();
        refused.disconnect(); // the transport reports the close it saw

        say(ana, room, "still here");
        bo.connection().awaitFrame(f -> "still here".equals(f.path("message").path("text").asText()));
        assertTrue(bo.connection().frames(FakeConnection.ofType("member_left")).isEmpty());
    }
}
