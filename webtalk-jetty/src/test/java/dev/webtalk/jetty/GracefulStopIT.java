package dev.webtalk.jetty;

import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
