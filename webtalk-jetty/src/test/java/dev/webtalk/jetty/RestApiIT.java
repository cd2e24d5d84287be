package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API over real HTTP: the same engine, the same stable error codes. */
class RestApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(new InMemoryChatStore());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private record Reply(int status, JsonNode body) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    @Test
    void createListCheckPasswordAndReadHistory() throws Exception {
        Reply created = call("POST", "/api/rooms", "u-ana:Ana", "{\"name\":\"Study\",\"password\":\"pw\"}");
        assertEquals(201, created.status());
        String room = created.body().path("room").path("id").asText();
        assertEquals(8, room.length());
        assertTrue(created.body().path("room").path("hasPassword").asBoolean());
        assertFalse(created.body().path("room").has("passwordHash"));

        Reply listed = call("GET", "/api/rooms", "u-bo:Bo", null);
        assertEquals(200, listed.status());
        assertEquals("Study", listed.body().path("rooms").get(0).path("name").asText());

        assertEquals(403, call("POST", "/api/rooms/" + room + "/password-check", "u-bo:Bo", "{\"password\":\"no\"}").status());
        assertEquals("wrong_password",
                call("POST", "/api/rooms/" + room + "/password-check", "u-bo:Bo", "{\"password\":\"no\"}").code());
        Reply ok = call("POST", "/api/rooms/" + room + "/password-check", "u-bo:Bo", "{\"password\":\"pw\"}");
        assertEquals(200, ok.status());
        assertTrue(ok.body().path("ok").asBoolean());

        try (WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            ana.ok(frame("join").put("room", room));
            for (int i = 1; i <= 3; i++) {
                ana.ok(frame("send").put("room", room).put("text", "m" + i));
            }
        }
        Reply page = call("GET", "/api/rooms/" + room + "/messages?before=3&limit=1", "u-ana:Ana", null);
        assertEquals(200, page.status());
        assertEquals(1, page.body().path("messages").size());
        assertEquals("m2", page.body().path("messages").get(0).path("text").asText());
        assertTrue(page.body().path("hasMore").asBoolean());
        assertEquals("not_member", call("GET", "/api/rooms/" + room + "/messages", "u-bo:Bo", null).code());
    }

    @Test
    void everyFailureIsAJsonErrorWithAStableCode() throws Exception {
        Reply anonymous = call("GET", "/api/rooms", null, null);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.code());

        assertEquals("room_not_found", call("POST", "/api/rooms/NoSuchRm/password-check", "u-ana:Ana", "{}").code());
        assertEquals(404, call("GET", "/api/nothing-here", "u-ana:Ana", null).status());
        assertEquals("not_found", call("GET", "/api/nothing-here", "u-ana:Ana", null).code());
        assertEquals("method_not_allowed", call("DELETE", "/api/rooms", "u-ana:Ana", null).code());
        assertEquals("invalid", call("POST", "/api/rooms", "u-ana:Ana", "{broken").code());
        assertEquals("invalid", call("POST", "/api/rooms", "u-ana:Ana", "{\"name\":7}").code());
        assertEquals("invalid", call("POST", "/api/rooms", "u-ana:Ana", "{\"name\":\"Private\",\"password\":\"\"}").code(),
                "an empty password is no password: refused, not an open room");
        assertEquals("invalid", call("POST", "/api/rooms", "u-ana:Ana", "{\"name\":\"" + "n".repeat(51) + "\"}").code());
        assertEquals("invalid", call("GET", "/api/rooms/abc/messages?limit=lots", "u-ana:Ana", null).code());

        Reply huge = call("POST", "/api/rooms", "u-ana:Ana", "{\"name\":\"" + "n".repeat(70_000) + "\"}");
        assertEquals(413, huge.status());
        assertEquals("too_large", huge.code());

        assertEquals(200, call("GET", "/api/rooms", "u-ana:Ana", null).status(), "the server is fine afterwards");
        assertEquals(0, call("GET", "/api/rooms", "u-ana:Ana", null).body().path("rooms").size(),
                "no failed call created anything");
    }
}
