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

/**
 * A client that resumes with {@code since} after the server restarted gets exactly what changed while it
 * was away: new messages, and edits and deletions of messages it already had, each in its current state.
 */
class ResumeIT {
    @TempDir
    Path dir;

    @Test
    void resumeAfterARestartReturnsExactlyTheMissedMessages() throws Exception {
        Path db = dir.resolve("chat.db");
        String room;
        long boPos;
        try (TestServer first = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(first, "u-ana:Ana")) {
            room = ana.ok(frame("create_room").put("name", "Resume")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            try (WsClient bo = WsClient.connect(first, "u-bo:Bo")) {
                bo.ok(frame("join").put("room", room));
                for (int i = 1; i <= 3; i++) {
                    ana.ok(frame("send").put("room", room).put("text", "before " + i));
                }
                boPos = bo.await("message", m -> m.path("message").path("seq").asLong() == 3).path("pos").asLong();
            }
            for (int i = 4; i <= 9; i++) {
                ana.ok(frame("send").put("room", room).put("text", "while away " + i));
            }
            ana.ok(frame("delete_message").put("room", room).put("seq", 5));
            ana.ok(frame("delete_message").put("room", room).put("seq", 2)); // one Bo had: his phone must drop it
            ana.ok(frame("edit_message").put("room", room).put("seq", 3).put("text", "before 3, corrected"));
        }

        try (TestServer second = TestServer.start(SqliteChatStore.open(db));
             WsClient bo = WsClient.connect(second, "u-bo:Bo")) {
            JsonNode joined = bo.ok(frame("join").put("room", room).put("since", boPos));
            List<Long> seqs = new ArrayList<>();
            joined.path("missed").forEach(m -> seqs.add(m.path("seq").asLong()));
            assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs);
            assertFalse(joined.path("resync").asBoolean());
            JsonNode missed = joined.path("missed");
            assertTrue(missed.get(0).path("deleted").asBoolean(), "a deletion of a message Bo had");
            assertTrue(missed.get(0).path("text").isNull());
            assertEquals("before 3, corrected", missed.get(1).path("text").asText(), "an edit of one he had");
            assertTrue(missed.get(1).has("editedAt"));
            assertEquals("while away 4", missed.get(2).path("text").asText());
            assertTrue(missed.get(3).path("deleted").asBoolean(), "posted and deleted while he was away");
            assertEquals(boPos + 9, joined.path("pos").asLong(), "six posts, two deletes and an edit");

            try (WsClient ana = WsClient.connect(second, "u-ana:Ana")) {
                ana.ok(frame("join").put("room", room));
                ana.ok(frame("send").put("room", room).put("text", "after restart"));
            }
            JsonNode next = bo.await("message");
            assertEquals(10, next.path("message").path("seq").asLong(), "the next push follows the missed ones");
            assertEquals(joined.path("pos").asLong() + 1, next.path("pos").asLong());
        }
    }
}
