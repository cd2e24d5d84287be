package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users chatting through a real Jetty server and real WebSocket clients, stored in a real SQLite file. */
class ChatOverWebSocketIT {
    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(SqliteChatStore.open(dir.resolve("chat.db")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void welcomeNamesTheAuthenticatedUser() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            JsonNode welcome = ana.await("welcome");
            assertEquals(2, welcome.path("protocol").asInt());
            assertEquals("u-ana", welcome.path("user").path("id").asText());
            assertEquals("Ana", welcome.path("user").path("name").asText());
        }
    }

    @Test
    void twoUsersSeeTheSameMessagesInTheSameOrderAndALateJoinerGetsThemFromHistory() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            String room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            bo.ok(frame("join").put("room", room));
            ana.await("member_joined", f -> f.path("user").path("id").asText().equals("u-bo"));

            int perUser = 20;
            for (int i = 0; i < perUser; i++) {
                // Interleave without waiting, so the server decides the order.
                ana.sendRaw(frame("send").put("room", room).put("text", "ana " + i).toString());
                bo.sendRaw(frame("send").put("room", room).put("text", "bo " + i).toString());
            }
            List<String> seenByAna = receiveTexts(ana, 2 * perUser);
            List<String> seenByBo = receiveTexts(bo, 2 * perUser);
            assertEquals(seenByAna, seenByBo, "both users see one order");
            assertEquals(2 * perUser, seenByAna.stream().distinct().count());

            try (WsClient cy = WsClient.connect(server, "u-cy:Cy")) {
                JsonNode joined = cy.ok(frame("join").put("room", room));
                List<String> history = new ArrayList<>();
                long expectedSeq = 1;
                for (JsonNode m : joined.path("history")) {
                    assertEquals(expectedSeq++, m.path("seq").asLong(), "history is dense and ascending");
                    history.add(m.path("text").asText());
                }
                assertEquals(seenByAna, history);
                assertFalse(joined.path("hasMore").asBoolean());
            }
        }
    }

    /** Reads {@code count} message pushes, checks their seqs are 1..count, returns their texts. */
    private static List<String> receiveTexts(WsClient client, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int seq = 1; seq <= count; seq++) {
            JsonNode push = client.await("message");
            assertEquals(seq, push.path("message").path("seq").asLong());
            texts.add(push.path("message").path("text").asText());
        }
        return texts;
    }

    @Test
    void deletingOwnMessageErasesItForEveryone() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            String room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            bo.ok(frame("join").put("room", room));
            long seq = ana.ok(frame("send").put("room", room).put("text", "oops")).path("message").path("seq").asLong();

            JsonNode refused = bo.request(frame("delete_message").put("room", room).put("seq", seq));
            assertEquals("forbidden", refused.path("code").asText());

            ana.ok(frame("delete_message").put("room", room).put("seq", seq));
            JsonNode pushed = bo.await("message_deleted");
            assertEquals(seq, pushed.path("seq").asLong());
            JsonNode stored = bo.ok(frame("history").put("room", room)).path("messages").get(0);
            assertTrue(stored.path("deleted").asBoolean());
            assertTrue(stored.path("text").isNull(), "the text is gone from history");
        }
    }

    @Test
    void presenceCountsAUserOnTwoTabsOnceAndTellsOthersWhenTheLastTabCloses() throws Exception {
        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            String room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            WsClient boTab1 = WsClient.connect(server, "u-bo:Bo");
            WsClient boTab2 = WsClient.connect(server, "u-bo:Bo");
            boTab1.ok(frame("join").put("room", room));
            boTab2.ok(frame("join").put("room", room));
            JsonNode rooms = ana.ok(frame("list_rooms"));
            assertEquals(2, rooms.path("rooms").get(0).path("online").asInt());

            boTab1.close();
            boTab2.ok(frame("ping"));
            boTab2.close();
            JsonNode left = ana.await("member_left");
            assertEquals("u-bo", left.path("user").path("id").asText());
            assertEquals("disconnected", left.path("reason").asText());
            long joinedNotices = ana.frames().stream()
                    .filter(f -> f.path("type").asText().equals("member_joined")).count();
            long leftNotices = ana.frames().stream()
                    .filter(f -> f.path("type").asText().equals("member_left")).count();
            assertEquals(1, joinedNotices, "a second tab joins silently");
            assertEquals(1, leftNotices, "only the last tab closing is announced");
        }
    }
}
