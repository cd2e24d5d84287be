package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ban over real WebSockets: the target is pushed out, refused on every path, and still refused after a restart. */
class ModerationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBannedUserIsPushedOutAndStaysOutAcrossARestartUntilUnbanned() throws Exception {
        Path db = dir.resolve("chat.db");
        String room;
        try (TestServer server = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            room = ana.ok(frame("create_room").put("name", "Moderated")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            bo.ok(frame("join").put("room", room));
            bo.ok(frame("send").put("room", room).put("text", "spam spam"));

            JsonNode result = ana.ok(frame("ban").put("room", room).put("user", "u-bo").put("reason", "spam")
                    .put("duration", 3600));
            assertEquals("ban", result.path("entry").path("action").asText());
            long banId = result.path("entry").path("id").asLong();
            assertTrue(banId > 0, "the answer carries the stored entry's id: " + result);
            assertEquals(banId, ana.ok(frame("audit").put("room", room)).path("entries").get(0).path("id").asLong());
            JsonNode push = bo.await("moderation");
            assertEquals("ban", push.path("action").asText());
            assertEquals("spam", push.path("reason").asText());
            assertEquals("banned", ana.await("member_left").path("reason").asText());

            assertEquals("banned", bo.request(frame("send").put("room", room).put("text", "again")).path("code").asText());
            assertEquals("banned", bo.request(frame("join").put("room", room)).path("code").asText());
            HttpResponse<String> history = get(server, "/api/rooms/" + room + "/messages", "u-bo:Bo");
            assertEquals(403, history.statusCode());
            JsonNode error = JSON.readTree(history.body()).path("error");
            assertEquals("banned", error.path("code").asText());
            assertTrue(error.path("until").asLong() > System.currentTimeMillis(), "the REST error says until when");
        }

        try (TestServer server = TestServer.start(SqliteChatStore.open(db));
             WsClient ana = WsClient.connect(server, "u-ana:Ana");
             WsClient bo = WsClient.connect(server, "u-bo:Bo")) {
            JsonNode refused = bo.request(frame("join").put("room", room));
            assertEquals("banned", refused.path("code").asText());
            assertTrue(refused.path("until").asLong() > System.currentTimeMillis());

            JsonNode audit = ana.ok(frame("audit").put("room", room));
            assertEquals("ban", audit.path("entries").get(0).path("action").asText());
            ana.ok(frame("unban").put("room", room).put("user", "u-bo"));
            bo.ok(frame("join").put("room", room));
            bo.ok(frame("send").put("room", room).put("text", "behaving now"));
        }
    }

    private static HttpResponse<String> get(TestServer server, String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.http(path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
