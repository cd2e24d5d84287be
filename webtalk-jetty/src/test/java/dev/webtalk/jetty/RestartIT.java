package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every acknowledged message survives a server restart on the same SQLite file. */
class RestartIT {
    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesSurviveARestart() throws Exception {
        Path db = dir.resolve("chat.db");
        String room;
        List<Long> acked = new ArrayList<>();
        long deletedSeq;
        try (TestServer first = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(first, "u-ana:Ana")) {
            room = ana.ok(frame("create_room").put("name", "Durable").put("password", "pw")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room).put("password", "pw"));
            for (int i = 0; i < 120; i++) {
                JsonNode sent = ana.ok(frame("send").put("room", room).put("text", "message " + i)
                        .put("clientMsgId", "c-" + i));
                acked.add(sent.path("message").path("seq").asLong());
            }
            deletedSeq = acked.get(7);
            ana.ok(frame("delete_message").put("room", room).put("seq", deletedSeq));
        }

        try (TestServer second = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(second, "u-ana:Ana")) {
            JsonNode joined = ana.ok(frame("join").put("room", room));   // a member needs no password
            assertEquals("owner", joined.path("role").asText());
            List<Long> stored = new ArrayList<>();
            List<JsonNode> messages = new ArrayList<>();
            Long before = null;
            boolean more = true;
            while (more) {
                var request = frame("history").put("room", room).put("limit", 100);
                if (before != null) {
                    request.put("before", before);
                }
                JsonNode page = ana.ok(request);
                List<JsonNode> pageMessages = new ArrayList<>();
                page.path("messages").forEach(pageMessages::add);
                messages.addAll(0, pageMessages);
                before = pageMessages.get(0).path("seq").asLong();
                more = page.path("hasMore").asBoolean();
            }
            messages.forEach(m -> stored.add(m.path("seq").asLong()));
            assertEquals(acked, stored);
            assertEquals("message 119", messages.get(119).path("text").asText());
            assertTrue(messages.get(7).path("deleted").asBoolean());
            assertTrue(messages.get(7).path("text").isNull());

            JsonNode retried = ana.ok(frame("send").put("room", room).put("text", "message 5").put("clientMsgId", "c-5"));
            assertEquals(acked.get(5), retried.path("message").path("seq").asLong(),
                    "a retry after the restart is still recognised");
            JsonNode next = ana.ok(frame("send").put("room", room).put("text", "after restart"));
            assertEquals(121, next.path("message").path("seq").asLong(), "seq continues densely");
        }
    }
}
