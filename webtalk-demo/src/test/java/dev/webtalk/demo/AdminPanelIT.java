package dev.webtalk.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's admin sign-in over real HTTP: cookie flags, CSRF, rate limit, and the panel page. */
class AdminPanelIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "s3cret-admin-pw";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir, PASSWORD));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String password) throws Exception {
        return send("POST", "/api/admin/login", JSON.createObjectNode().put("password", password).toString(),
                "Content-Type", "application/json");
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }

    /** The session cookie as a Cookie request header value. */
    private static String sessionCookie(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aConfiguredPasswordIsNotGeneratedAndTheLoginSetsAStrictHttpOnlyCookie() throws Exception {
        assertTrue(server.generatedAdminPassword().isEmpty());
        HttpResponse<String> ok = login(PASSWORD);

        assertEquals(200, ok.statusCode());
        assertFalse(JSON.readTree(ok.body()).path("csrfToken").asText().isEmpty());
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith(AdminLogin.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("; HttpOnly"), setCookie);
        assertTrue(setCookie.contains("; SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("; Path=/api/admin"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain http gets no Secure flag: " + setCookie);
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> wrong = login("not-the-password");
        assertEquals(403, wrong.statusCode());
        assertEquals("wrong_password", code(wrong));
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void theCookieReadsButChangesNeedTheCsrfHeader() throws Exception {
        HttpResponse<String> ok = login(PASSWORD);
        String cookie = sessionCookie(ok);
        String csrf = JSON.readTree(ok.body()).path("csrfToken").asText();

        assertEquals(401, send("GET", "/api/admin/stats", null).statusCode());
        assertEquals(200, send("GET", "/api/admin/stats", null, "Cookie", cookie).statusCode());

        HttpResponse<String> noToken = send("POST", "/api/admin/purge-inactive", null, "Cookie", cookie);
        assertEquals(401, noToken.statusCode());
        assertEquals("unauthorized", code(noToken));
        assertEquals(401, send("PUT", "/api/admin/settings", "{\"maxRooms\":1}", "Cookie", cookie,
                "X-CSRF-Token", "forged").statusCode());
        assertEquals(10_000, server.chat().settings().maxRooms(), "refused requests changed nothing");

        HttpResponse<String> withToken = send("PUT", "/api/admin/settings", "{\"maxRooms\":7}", "Cookie", cookie,
                "X-CSRF-Token", csrf, "Content-Type", "application/json");
        assertEquals(200, withToken.statusCode(), withToken.body());
        assertEquals(7, server.chat().settings().maxRooms());

        // The cookie is no credential for the chat API.
        assertEquals(401, send("GET", "/api/rooms", null, "Cookie", cookie).statusCode());
    }

    @Test
    void theCookieCountsOnlyOnTheRoutedAdminPathNotThroughDotSegments() throws Exception {
        String cookie = sessionCookie(login(PASSWORD));
        String guest = JSON.readTree(send("POST", "/api/guest", "{\"name\":\"Ana\"}", "Content-Type",
                "application/json").body()).path("token").asText();
        assertEquals(201, send("POST", "/api/rooms", "{\"name\":\"General\"}", "Authorization", "Bearer " + guest,
                "Content-Type", "application/json").statusCode());

        // Sent as written (HTTP clients would resolve the dots first): checked as /api/admin/…, served as /api/rooms.
        String sneaked = raw("GET /api/admin/../rooms HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookie
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(sneaked.startsWith("HTTP/1.1 400 "), sneaked);
        assertFalse(sneaked.contains("General"), sneaked);
        assertTrue(raw("GET /api/admin/rooms HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookie
                + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200 "));
    }

    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void guestsAreForbiddenTheAdminApi() throws Exception {
        HttpResponse<String> guest = send("POST", "/api/guest", "{\"name\":\"Ana\"}", "Content-Type", "application/json");
        String token = JSON.readTree(guest.body()).path("token").asText();

        HttpResponse<String> stats = send("GET", "/api/admin/stats", null, "Authorization", "Bearer " + token);
        assertEquals(403, stats.statusCode());
        assertEquals("forbidden", code(stats));
    }

    @Test
    void loginAttemptsAreRateLimitedPerAddress() throws Exception {
        for (int i = 0; i < AdminLogin.MAX_ATTEMPTS; i++) {
            assertEquals(403, login("guess-" + i).statusCode());
        }
        HttpResponse<String> limited = login(PASSWORD);
        assertEquals(429, limited.statusCode());
        assertEquals("rate_limited", code(limited));
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertTrue(limited.headers().firstValue("Set-Cookie").isEmpty(), "even the right password waits");
    }

    @Test
    void whileEveryHashingTurnIsTakenALoginIsRefusedOverloadedAfterAShortWait() throws Exception {
        java.util.concurrent.Semaphore turns = server.adminLogin().hashTurns();
        int all = turns.drainPermits(); // as if a login from every other address were hashing now
        HttpResponse<String> refused;
        try {
            refused = login(PASSWORD);
        } finally {
            turns.release(all);
        }
        assertEquals(503, refused.statusCode());
        assertEquals("overloaded", code(refused));
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(refused.headers().firstValue("Set-Cookie").isEmpty());

        assertEquals(200, login(PASSWORD).statusCode(), "a free turn lets the next login through");
    }

    @Test
    void logoutNeedsTheTokenAndEndsTheSession() throws Exception {
        HttpResponse<String> ok = login(PASSWORD);
        String cookie = sessionCookie(ok);
        String csrf = JSON.readTree(ok.body()).path("csrfToken").asText();

        assertEquals(401, send("POST", "/api/admin/logout", null, "Cookie", cookie).statusCode());
        HttpResponse<String> out = send("POST", "/api/admin/logout", null, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(200, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, send("GET", "/api/admin/stats", null, "Cookie", cookie).statusCode());
    }

    @Test
    void thePanelIsServedAtSlashAdminUnderTheStrictPolicy() throws Exception {
        HttpResponse<String> page = send("GET", "/admin", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"admin-password\""));
        assertEquals(SecurityHeadersFilter.CONTENT_SECURITY_POLICY,
                page.headers().firstValue("Content-Security-Policy").orElseThrow());
    }
}
