package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Jetty answers by itself on a server the adapter was installed on, over raw sockets: JSON errors
 * with the browser-hardening headers, never Jetty's HTML page, its version or the request echoed back.
 */
class JettyErrorAnswersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(new InMemoryChatStore());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String get(String rawPath) throws Exception {
        return RawHttp.request(server.port(), "GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer u-ana:Ana\r\nConnection: close\r\n\r\n");
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static void assertHardened(String response) {
        assertEquals("default-src 'none'; frame-ancestors 'none'", header(response, "Content-Security-Policy"), response);
        assertEquals("nosniff", header(response, "X-Content-Type-Options"), response);
        assertEquals("DENY", header(response, "X-Frame-Options"), response);
        assertEquals(null, header(response, "Server"), response);
        assertFalse(response.toLowerCase(Locale.ROOT).contains("jetty"), response);
        assertFalse(response.contains("<html"), response);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/%2F../rooms, 400, invalid",
            "/api/admin/%2e%2e/rooms, 400, invalid",
            "/api/admin/%2E./rooms, 400, invalid",
            "/api//rooms, 400, invalid",
            "/api/rooms/%2F.., 400, invalid",
            "/no-servlet-here, 404, not_found"})
    void jettysOwnRefusalsAreJsonWithSafeHeaders(String rawPath, int status, String code) throws Exception {
        String response = get(rawPath);

        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertHardened(response);
        JsonNode error = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).path("error");
        assertEquals(code, error.path("code").asText(), response);
        assertFalse(error.path("message").asText().contains(rawPath), "the request is not echoed");
    }

    @Test
    void aMalformedRequestAndOversizedHeadersToo() throws Exception {
        String garbage = RawHttp.request(server.port(), "GARBAGE\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
        assertHardened(garbage);

        String huge = RawHttp.request(server.port(), "GET /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(huge.startsWith("HTTP/1.1 431 "), huge);
        assertHardened(huge);
    }

    @Test
    void noResponseNamesTheServer() throws Exception {
        String ok = get("/api/rooms");
        assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
        assertEquals(null, header(ok, "Server"), ok);
    }
}
