package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.memory.InMemoryChatStore;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refused handshakes and hostile frames: each gets a clear answer and harms nobody else. */
class HandshakeAndAbuseIT {
    private static final String PARTNER = "https://partner.example";
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(new InMemoryChatStore(), o -> o.allowedOrigins(Set.of(PARTNER)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void foreignOriginIsRefusedWithoutUpgrade() throws Exception {
        String answer = RawHttp.handshake(server.port(), "/ws?token=u-ana:Ana", "https://evil.example");
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(answer.contains("\"forbidden\""), answer);
        assertEquals(0, server.chat().connectionCount());
        assertThrows(Exception.class, () -> WsClient.connect(server.ws("u-ana:Ana"), "https://evil.example").close());
    }

    @Test
    void ownAndAllowListedOriginsAndNonBrowserClientsAreAccepted() throws Exception {
        assertTrue(RawHttp.handshake(server.port(), "/ws?token=u-ana:Ana", server.origin()).startsWith("HTTP/1.1 101"));
        assertTrue(RawHttp.handshake(server.port(), "/ws?token=u-ana:Ana", PARTNER).startsWith("HTTP/1.1 101"));
        assertTrue(RawHttp.handshake(server.port(), "/ws?token=u-ana:Ana", null).startsWith("HTTP/1.1 101"));
        assertTrue(RawHttp.handshake(server.port(), "/ws?token=u-ana:Ana", PARTNER + ".evil.example")
                .startsWith("HTTP/1.1 403"), "origins match exactly, not by prefix");
    }

    @Test
    void unauthenticatedHandshakeIsRefusedWithoutUpgrade() throws Exception {
        String answer = RawHttp.handshake(server.port(), "/ws", null);
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.contains("\"unauthorized\""), answer);
        assertTrue(RawHttp.handshake(server.port(), "/ws?token=garbage", null).startsWith("HTTP/1.1 401"));
        assertEquals(0, server.chat().connectionCount());
    }

    @Test
    void wrongRoomPasswordIsRefusedAndTheRightOneAdmits() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            String room = ana.ok(frame("create_room").put("name", "Secret").put("password", "s3cret"))
                    .path("room").path("id").asText();
            JsonNode refused = bo.request(frame("join").put("room", room).put("password", "guess"));
            assertEquals("error", refused.path("type").asText());
            assertEquals("wrong_password", refused.path("code").asText());
            JsonNode noPassword = bo.request(frame("join").put("room", room));
            assertEquals("wrong_password", noPassword.path("code").asText());
            JsonNode notIn = bo.request(frame("send").put("room", room).put("text", "let me in"));
            assertEquals("not_member", notIn.path("code").asText());

            assertEquals("member", bo.ok(frame("join").put("room", room).put("password", "s3cret"))
                    .path("role").asText());
        }
    }

    @Test
    void malformedJsonAndUnknownTypesGetErrorsAndTheConnectionKeepsWorking() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            ana.sendRaw("{not json");
            assertEquals("invalid", ana.await("error").path("code").asText());
            ana.sendRaw("[1,2,3]");
            assertEquals("invalid", ana.await("error").path("code").asText());
            JsonNode unknown = ana.request(frame("fly_to_the_moon"));
            assertEquals("unknown_type", unknown.path("code").asText());
            JsonNode badField = ana.request(frame("join").put("room", 42));
            assertEquals("invalid", badField.path("code").asText());

            String room = ana.ok(frame("create_room").put("name", "Still here")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            assertEquals(1, ana.ok(frame("send").put("room", room).put("text", "hi")).path("message").path("seq").asLong());
            assertTrue(ana.isOpen());
        }
    }

    /** Issue #16: binary frames were dropped without a word; they are invalid frames like any other. */
    @Test
    void binaryFramesAreAnsweredInvalidAndCountTowardTheClose() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            ana.sendBinary(new byte[] {1, 2, 3});
            JsonNode error = ana.await("error");
            assertEquals("invalid", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("Binary"), error.toString());
            assertTrue(ana.ok(frame("ping")).isObject(), "one binary frame does not end the connection");

            int limit = server.chat().limits().maxConsecutiveErrors();
            for (int i = 0; i < limit; i++) {
                ana.sendBinary(new byte[] {(byte) i});
            }
            assertEquals(4001, ana.awaitClose().getCloseCode().getCode());
        }
    }

    @Test
    void aFrameOverTheSizeLimitClosesOnlyThatConnection() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient mallory = WsClient.connect(server, "u-mal:Mallory")) {
            String room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            mallory.ok(frame("join").put("room", room));

            String huge = "x".repeat(server.chat().limits().maxFrameBytes() + 1);
            mallory.sendRaw(frame("send").put("room", room).put("text", huge).toString());
            CloseReason reason = mallory.awaitClose();
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, reason.getCloseCode().getCode());

            assertEquals("disconnected", ana.await("member_left").path("reason").asText());
            JsonNode sent = ana.ok(frame("send").put("room", room).put("text", "still fine"));
            assertEquals(1, sent.path("message").path("seq").asLong(), "nothing of the huge frame was stored");
            assertEquals("still fine", ana.await("message").path("message").path("text").asText());
        }
    }

    @Test
    void textOverTheMessageLimitInsideAnAcceptableFrameIsAnsweredTooLarge() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            String room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            String tooLong = "é".repeat(server.chat().limits().maxMessageChars() + 1);
            assertEquals("too_large", ana.request(frame("send").put("room", room).put("text", tooLong))
                    .path("code").asText());
            assertFalse(ana.ok(frame("history").put("room", room)).path("messages").elements().hasNext());
        }
    }
}
