package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket tickets over real HTTP: the credential goes in a header of {@code POST /api/ws-ticket}, only the
 * single-use ticket goes in the WebSocket URL; and the JS client served at {@code /webtalk/client.js}.
 */
class WsTicketIT {
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

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String ticket(String token) throws Exception {
        HttpResponse<String> answer = post("/api/ws-ticket", token);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(30, body.path("expiresIn").asInt());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
        return body.path("ticket").asText();
    }

    private URI ws(String ticket) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws?ticket=" + ticket);
    }

    @Test
    void aTicketConnectsAsTheUserItWasIssuedToOnce() throws Exception {
        String ticket = ticket("u-ana:Ana");
        try (WsClient ana = WsClient.connect(ws(ticket), server.origin())) {
            JsonNode welcome = ana.await("welcome");
            assertEquals("u-ana", welcome.path("user").path("id").asText());
            assertEquals("Ana", welcome.path("user").path("name").asText());
        }
        String reused = RawHttp.handshake(server.port(), "/ws?ticket=" + ticket, server.origin());
        assertTrue(reused.startsWith("HTTP/1.1 401"), reused);
        assertTrue(reused.contains("\"unauthorized\""), reused);
        assertTrue(reused.contains("already used ticket"), reused);
    }

    @Test
    void forgedTicketsAndTicketsNextToATokenAreRefused() throws Exception {
        String forged = RawHttp.handshake(server.port(), "/ws?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null);
        assertTrue(forged.startsWith("HTTP/1.1 401"), forged);
        assertTrue(forged.contains("\"unauthorized\""), forged);
        // A bad ticket is not rescued by a token beside it: the ticket is the whole credential.
        String mixed = RawHttp.handshake(server.port(), "/ws?ticket=nope&token=u-ana:Ana", null);
        assertTrue(mixed.startsWith("HTTP/1.1 401"), mixed);
        assertEquals(0, server.chat().connectionCount());
    }

    @Test
    void onlyAuthenticatedCallersGetTicketsAndOnlyByPost() throws Exception {
        HttpResponse<String> anonymous = post("/api/ws-ticket", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthorized", JSON.readTree(anonymous.body()).path("error").path("code").asText());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.http("/api/ws-ticket"))
                .header("Authorization", "Bearer u-ana:Ana").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("method_not_allowed", JSON.readTree(get.body()).path("error").path("code").asText());
    }

    @Test
    void theJsClientIsServedAtAFixedPathWithAnEtag() throws Exception {
        HttpResponse<byte[]> script = http.send(HttpRequest.newBuilder(server.http(WebTalkJetty.CLIENT_SCRIPT_PATH)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript;charset=utf-8", script.headers().firstValue("Content-Type").orElse("")
                .replace(" ", "").toLowerCase(java.util.Locale.ROOT));
        assertEquals("nosniff", script.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("*", script.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        byte[] expected;
        try (var in = WebTalkJetty.class.getResourceAsStream("/META-INF/resources/webtalk/client.js")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, script.body());
        assertTrue(new String(script.body(), StandardCharsets.UTF_8).contains("export class WebTalkClient"));

        String etag = script.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(server.http(WebTalkJetty.CLIENT_SCRIPT_PATH))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }
}
