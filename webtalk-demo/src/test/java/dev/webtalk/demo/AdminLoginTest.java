package dev.webtalk.demo;

import dev.webtalk.jetty.AuthRequest;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin sessions: who the cookie lets in, where, and when the CSRF token is needed. */
class AdminLoginTest {
    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private record Request(String httpMethod, String uriPath, Map<String, String> headers, Map<String, String> cookies)
            implements AuthRequest {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.ofNullable(cookies.get(name));
        }

        @Override
        public Optional<String> method() {
            return Optional.of(httpMethod);
        }

        @Override
        public Optional<String> path() {
            return Optional.of(uriPath);
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }
    }

    private final HandClock clock = new HandClock();
    private final AdminLogin login = new AdminLogin("correct horse", new dev.webtalk.store.memory.InMemoryChatStore(), clock, 1000);

    private static Request request(String method, String path, String session, String csrf) {
        return new Request(method, path, csrf == null ? Map.of() : Map.of(AdminLogin.CSRF_HEADER, csrf),
                session == null ? Map.of() : Map.of(AdminLogin.COOKIE, session));
    }

    @Test
    void onlyTheRightPasswordStartsASession() {
        assertTrue(login.login("wrong").isEmpty());
        assertTrue(login.login(null).isEmpty());
        AdminLogin.Issued a = login.login("correct horse").orElseThrow();
        AdminLogin.Issued b = login.login("correct horse").orElseThrow();
        assertNotEquals(a.sessionId(), b.sessionId());
        assertNotEquals(a.sessionId(), a.csrfToken());
    }

    @Test
    void theCookieAloneReadsButChangesNeedTheCsrfToken() {
        AdminLogin.Issued s = login.login("correct horse").orElseThrow();

        assertTrue(login.authenticate(request("GET", "/api/admin/stats", s.sessionId(), null)).orElseThrow().isAdmin());
        assertTrue(login.authenticate(request("POST", "/api/admin/purge-inactive", s.sessionId(), null)).isEmpty());
        assertTrue(login.authenticate(request("DELETE", "/api/admin/rooms/abc", s.sessionId(), "forged")).isEmpty());
        assertTrue(login.authenticate(request("DELETE", "/api/admin/rooms/abc", s.sessionId(), s.csrfToken())).isPresent());
        AdminLogin.Issued other = login.login("correct horse").orElseThrow();
        assertTrue(login.authenticate(request("PUT", "/api/admin/settings", s.sessionId(), other.csrfToken())).isEmpty(),
                "a token is bound to its own session");
    }

    @Test
    void theCookieCountsOnlyForTheAdminApi() {
        AdminLogin.Issued s = login.login("correct horse").orElseThrow();

        assertTrue(login.authenticate(request("GET", "/api/rooms", s.sessionId(), s.csrfToken())).isEmpty());
        assertTrue(login.authenticate(request("GET", "/ws", s.sessionId(), s.csrfToken())).isEmpty());
        assertTrue(login.authenticate(request("GET", "/api/admin/stats", "made-up", null)).isEmpty());
    }

    @Test
    void sessionsExpireAndLogoutEndsThem() {
        AdminLogin.Issued s = login.login("correct horse").orElseThrow();
        assertFalse(login.logout(request("POST", "/api/admin/logout", s.sessionId(), null)), "logout needs the token");
        assertTrue(login.logout(request("POST", "/api/admin/logout", s.sessionId(), s.csrfToken())));
        assertTrue(login.authenticate(request("GET", "/api/admin/stats", s.sessionId(), null)).isEmpty());

        AdminLogin.Issued t = login.login("correct horse").orElseThrow();
        clock.now = clock.now.plus(AdminLogin.SESSION_LIFETIME);
        assertTrue(login.authenticate(request("GET", "/api/admin/stats", t.sessionId(), null)).isEmpty());
    }

    @Test
    void nodesSharingAStoreShareSessions() {
        dev.webtalk.store.memory.InMemoryChatStore shared = new dev.webtalk.store.memory.InMemoryChatStore();
        AdminLogin nodeA = new AdminLogin("correct horse", shared, clock, 1000);
        AdminLogin nodeB = new AdminLogin("correct horse", shared, clock, 1000);
        AdminLogin.Issued s = nodeA.login("correct horse").orElseThrow();

        assertTrue(nodeB.authenticate(request("GET", "/api/admin/stats", s.sessionId(), null)).isPresent(),
                "a session node A started lets the admin in on node B");
        assertTrue(nodeB.authenticate(request("POST", "/api/admin/settings", s.sessionId(), s.csrfToken())).isPresent());
        assertTrue(nodeB.logout(request("POST", "/api/admin/logout", s.sessionId(), s.csrfToken())));
        assertTrue(nodeA.authenticate(request("GET", "/api/admin/stats", s.sessionId(), null)).isEmpty(),
                "a logout on node B ends the session on node A");
    }

    @Test
    void theStoreHoldsADigestOfTheCookieNotTheCookie() {
        dev.webtalk.store.memory.InMemoryChatStore store = new dev.webtalk.store.memory.InMemoryChatStore();
        AdminLogin.Issued s = new AdminLogin("correct horse", store, clock, 1000).login("correct horse").orElseThrow();
        assertTrue(store.hostSession(s.sessionId()).isEmpty(), "the cookie value is no key in the store");
    }

    @Test
    void loginAttemptsAreLimitedPerAddressPerMinute() {
        for (int i = 0; i < AdminLogin.MAX_ATTEMPTS; i++) {
            assertTrue(login.tryAttempt("10.0.0.1"));
        }
        assertFalse(login.tryAttempt("10.0.0.1"));
        assertTrue(login.tryAttempt("10.0.0.2"), "other addresses are not affected");

        clock.now = clock.now.plus(AdminLogin.ATTEMPT_WINDOW).plus(Duration.ofMillis(1));
        assertTrue(login.tryAttempt("10.0.0.1"));
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndSecureOverHttps() {
        assertEquals("webtalk_admin=abc; Path=/api/admin; Max-Age=60; HttpOnly; SameSite=Strict",
                AdminLoginServlet.cookie("abc", 60, false));
        assertTrue(AdminLoginServlet.cookie("abc", 60, true).endsWith("; Secure"));
    }
}
