package dev.webtalk.jetty.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw paths the filter refuses on its own, also where a host relaxed Jetty's URI compliance. */
class AmbiguousPathFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/admin/../rooms", "/api/admin/..", "/api/./rooms", "/api/admin/%2e%2e/rooms",
            "/api/admin/%2E./rooms", "/api/admin/.%2e", "/api/%2e/rooms", "/api//rooms", "/api/admin;x/rooms",
            "/api/admin/rooms%2F..", "/api\\admin"})
    void refuses(String rawPath) {
        assertTrue(AmbiguousPathFilter.isAmbiguous(rawPath), rawPath);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/rooms", "/api/admin/rooms/Xk3v9QpL/members/u%2ex/kick", "/ws", "/api/rooms/a.b",
            "/api/rooms/...", "/api/rooms/x%20y"})
    void lets(String rawPath) {
        assertFalse(AmbiguousPathFilter.isAmbiguous(rawPath), rawPath);
    }
}
