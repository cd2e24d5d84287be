package dev.webtalk.jetty;

import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuthRequestTest {

    private static AuthRequest request(Map<String, String> headers, Map<String, String> query) {
        return new AuthRequest() {
            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(headers.get(name));
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.ofNullable(query.get(name));
            }

            @Override
            public Optional<String> cookie(String name) {
                return Optional.empty();
            }

            @Override
            public SocketAddress remoteAddress() {
                return null;
            }
        };
    }

    @Test
    void bearerHeaderWinsOverTheQueryToken() {
        assertEquals(Optional.of("abc"), request(Map.of("Authorization", "Bearer abc"), Map.of("token", "q")).bearerToken());
        assertEquals(Optional.of("abc"), request(Map.of("Authorization", "bearer  abc "), Map.of()).bearerToken());
    }

    @Test
    void queryTokenIsUsedWhenThereIsNoBearerHeader() {
        assertEquals(Optional.of("q"), request(Map.of("Authorization", "Basic xyz"), Map.of("token", "q")).bearerToken());
        assertEquals(Optional.of("q"), request(Map.of(), Map.of("token", "q")).bearerToken());
    }

    @Test
    void emptyTokensCountAsNone() {
        assertEquals(Optional.empty(), request(Map.of("Authorization", "Bearer "), Map.of("token", "")).bearerToken());
        assertEquals(Optional.empty(), request(Map.of(), Map.of()).bearerToken());
    }
}
