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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that resumes with {@code since} after the server restarted gets exactly what it missed. */
class ResumeIT {
    @TempDir
    Path dir;

    @Test
    void resumeAfterARestartReturnsExactlyTheMissedMessages() throws Exception {
        Path db = dir.resolve("chat.db");
        String room;
        long boLastSeen;
        try (TestServer first = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(first, "u-ana:Ana")) {
            room = ana.ok(frame("create_room").put("name", "Resume")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            try (WsClient bo = WsClient.connect(first, "u-bo:Bo")) {
                bo.ok(frame("join").put("room", room));
                for (int i = 1; i <= 3; i++) {
                    ana.ok(frame("send").put("room", room).put("text", "before " + i));
                }
                boLastSeen = bo.await("message", m -> m.path("message").path("seq").asLong() == 3)
                        .path("message").path("seq").asLong();
            }
            for (int i = 4; i <= 9; i++) {
                ana.ok(frame("send").put("room", room).put("text", "while away " + i));
            }
            ana.ok(frame("delete_message").put("room", room).put("seq", 5));
        }

        try (TestServer second = TestServer.start(SqliteChatStore.open(db));
             WsClient bo = WsClient.connect(second, "u-bo:Bo")) {
            JsonNode joined = bo.ok(frame("join").put("room", room).put("since", boLastSeen));
            List<Long> seqs = new ArrayList<>();
            joined.path("missed").forEach(m -> seqs.add(m.path("seq").asLong()));
            assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), seqs);
            assertFalse(joined.path("resync").asBoolean());
            assertEquals("while away 4", joined.path("missed").get(0).path("text").asText());
            assertTrue(joined.path("missed").get(1).path("deleted").asBoolean());
            assertTrue(joined.path("missed").get(1).path("text").isNull());

            try (WsClient ana = WsClient.connect(second, "u-ana:Ana")) {
                ana.ok(frame("join").put("room", room));
                ana.ok(frame("send").put("room", room).put("text", "after restart"));
            }
            JsonNode next = bo.await("message");
            assertEquals(10, next.path("message").path("seq").asLong(), "the next push follows the missed ones");
        }
    }
}
