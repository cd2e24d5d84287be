package dev.webtalk.jetty;

import dev.webtalk.WebTalk;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.RecordingChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the server (with a stop timeout) says goodbye to every client and keeps every acknowledged write. */
class GracefulStopIT {
    @TempDir
    Path dir;

    @Test
    void aGracefulStopClosesEveryWebSocketWith1001AndKeepsAcknowledgedMessages() throws Exception {
        Path db = dir.resolve("chat.db");
        String room;
        TestServer server = TestServer.start(SqliteChatStore.open(db));
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            for (int i = 1; i <= 20; i++) {
                ana.ok(frame("send").put("room", room).put("text", "m" + i));
            }
            server.close();
            assertEquals(CloseCodes.GOING_AWAY, ana.awaitClose().getCloseCode().getCode());
            assertEquals(CloseCodes.GOING_AWAY, bo.awaitClose().getCloseCode().getCode());
        }
        try (SqliteChatStore reopened = SqliteChatStore.open(db)) {
            assertEquals(20, reopened.lastSeq(dev.webtalk.RoomId.of(room)));
        }
    }

    /** A server as a host writes it: no stop timeout, nobody closing the engine. */
    private static Server plainServer(WebTalk chat, UnaryOperator<JettyOptions.Builder> options) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        WebTalkJetty.install(context, chat, options.apply(JettyOptions.builder(TestServer.authenticator())).build());
        server.setHandler(context);
        server.start();
        return server;
    }

    private static URI ws(Server server, String token) {
        return URI.create("ws://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + "/ws?token=" + token);
    }

    @Test
    void aPlainServerStopSays1001ThenClosesTheEngineAndItsStore() throws Exception {
        RecordingChatStore store = new RecordingChatStore(new InMemoryChatStore());
        WebTalk chat = WebTalk.builder().store(store).build();
        Server server = plainServer(chat, UnaryOperator.identity());
        try (WsClient ana = WsClient.connect(ws(server, "u-ana:Ana"), null)) {
            ana.ok(frame("create_room").put("name", "General"));

            server.stop();

            assertEquals(CloseCodes.GOING_AWAY, ana.awaitClose().getCloseCode().getCode());
            assertTrue(store.isClosed(), "the engine closed its store");
        } finally {
            chat.close(); // a second close is harmless
        }
    }

    @Test
    void withCloseEngineOnStopOffTheEngineOutlivesTheServer() throws Exception {
        RecordingChatStore store = new RecordingChatStore(new InMemoryChatStore());
        try (WebTalk chat = WebTalk.builder().store(store).build()) {
            Server server = plainServer(chat, options -> options.closeEngineOnStop(false));
            try (WsClient ana = WsClient.connect(ws(server, "u-ana:Ana"), null)) {
                ana.ok(frame("create_room").put("name", "General"));

                server.stop();

                assertEquals(CloseCodes.GOING_AWAY, ana.awaitClose().getCloseCode().getCode());
            }
            assertFalse(store.isClosed());
            assertEquals("General", chat.rooms().get(0).room().name(), "still serving the host");
        }
        assertTrue(store.isClosed());
    }
}
