package dev.webtalk.jetty;

import dev.webtalk.Limits;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.Await;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open connections are bounded per remote address (handshake refused, 429) and per user (closed, 4004). */
class ConnectionLimitsIT {

    @Test
    void aHandshakePastThePerAddressLimitIsRefusedWith429() throws Exception {
        try (TestServer server = TestServer.start(new InMemoryChatStore(), Limits.defaults(),
                o -> o.maxConnectionsPerIp(2), c -> { })) {
            try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
                 WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
                ana.await("welcome");
                bo.await("welcome");

                String answer = RawHttp.handshake(server.port(), "/ws?token=u-cy:Cy", null);
                assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
                assertTrue(answer.contains("\"code\":\"rate_limited\""), answer);
                assertEquals("result", ana.request(frame("ping")).path("type").asText(), "open sockets are unaffected");
            }
            Await.untilEquals("open connections", 0, () -> server.chat().connectionCount());
            try (WsClient cy = WsClient.connect(server, "u-cy:Cy")) {
                cy.await("welcome"); // closed sockets gave their slots back
            }
        }
    }

    @Test
    void aConnectionPastThePerUserLimitIsClosedWith4004() throws Exception {
        try (TestServer server = TestServer.start(new InMemoryChatStore(), Limits.builder().maxConnectionsPerUser(1).build(),
                o -> o, c -> { });
             WsClient first = WsClient.connect(server, "u-ana:Ana");
             WsClient second = WsClient.connect(server, "u-ana:Ana")) {
            first.await("welcome");
            CloseReason reason = second.awaitClose();
            assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, reason.getCloseCode().getCode());
            assertTrue(second.frames().isEmpty(), "no welcome on a refused connection");
            assertEquals("result", first.request(frame("ping")).path("type").asText());
        }
    }
}
