package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo host as a whole: UI files with a strict CSP, guest sign-in, chat with the issued pass. */
class DemoServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postGuest(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/api/guest"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keepsFileDescriptorsForSqliteAndFilesWhenConnectionsPileUp() {
        long maxFiles = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertEquals(DemoServer.connectionLimit(maxFiles), server.maxConnections());
        assertTrue(server.maxConnections() <= maxFiles - DemoServer.RESERVED_FILES || server.maxConnections() == 64);
    }

    @Test
    void jettysOwnErrorAnswersCarryTheSecurityHeadersAndNameNoServer() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertTrue(page.headers().firstValue("Server").isEmpty(), "no Server header: " + page.headers());

        for (String rawPath : new String[] {"/api/%2F../rooms", "/%2F../index.html", "/no-such-page.html"}) {
            String response;
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.uri().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertTrue(response.startsWith(rawPath.contains("%2F") ? "HTTP/1.1 400 " : "HTTP/1.1 404 "), response);
            assertTrue(head.contains("\r\ncontent-security-policy: "), response);
            assertTrue(head.contains("\r\nx-content-type-options: nosniff"), response);
            assertTrue(head.contains("\r\nx-frame-options: deny"), response);
            assertTrue(!head.contains("\r\nserver:"), response);
            assertTrue(!response.toLowerCase(java.util.Locale.ROOT).contains("jetty"), response);
        }
    }

    @Test
    void servesTheUiWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"js/app.js\""), "the UI entry module");
        assertEquals(SecurityHeadersFilter.CONTENT_SECURITY_POLICY,
                page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());

        HttpResponse<String> script = get("/js/app.js", null);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"));
        assertEquals(403, get("/js/", null).statusCode(), "no directory listings");
        HttpResponse<String> manifest = get("/manifest.webmanifest", null);
        assertEquals(200, manifest.statusCode());
        assertEquals("WebTalk", JSON.readTree(manifest.body()).path("name").asText());
        HttpResponse<String> escape = get("/..%2Fwebtalk.db", null);
        assertTrue(escape.statusCode() >= 400 && !escape.body().contains("SQLite format"), "no way out of the UI folder");
    }

    @Test
    void aGuestSignsInAndChatsWithTheIssuedPass() throws Exception {
        HttpResponse<String> signIn = postGuest("{\"name\":\"  Ana  \"}");
        assertEquals(200, signIn.statusCode());
        JsonNode guest = JSON.readTree(signIn.body());
        String token = guest.path("token").asText();
        assertEquals("Ana", guest.path("user").path("name").asText());

        assertEquals(200, get("/api/rooms", token).statusCode());
        assertEquals(401, get("/api/rooms", token + "x").statusCode());
        assertEquals(401, get("/api/rooms", null).statusCode());

        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + server.uri().getPort() + "/ws?token=" + token),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                firstFrame.complete(data.toString());
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        JsonNode welcome = JSON.readTree(firstFrame.get(10, TimeUnit.SECONDS));
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals(guest.path("user").path("id").asText(), welcome.path("user").path("id").asText());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void badGuestNamesAreRefusedWithStableCodes() throws Exception {
        assertEquals(400, postGuest("{\"name\":\"\"}").statusCode());
        assertEquals("invalid", JSON.readTree(postGuest("{\"name\":\"   \"}").body()).path("error").path("code").asText());
        assertEquals("invalid", JSON.readTree(postGuest("{oops").body()).path("error").path("code").asText());
        assertEquals("invalid", JSON.readTree(postGuest("{\"name\":\"" + "x".repeat(41) + "\"}").body())
                .path("error").path("code").asText());
        assertEquals(413, postGuest("{\"name\":\"" + "x".repeat(5000) + "\"}").statusCode());
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() {
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> DemoServer.start(new DemoConfig(0, dataDir)));
        assertTrue(refused.getMessage().contains("another WebTalk server is using"), refused.getMessage());
    }

    @Test
    void keepsItsDataInTheDataDirectory() {
        assertTrue(Files.exists(dataDir.resolve(DemoServer.DATABASE_FILE)));
        assertTrue(Files.exists(dataDir.resolve(GuestTokens.SECRET_FILE)));
    }
}
