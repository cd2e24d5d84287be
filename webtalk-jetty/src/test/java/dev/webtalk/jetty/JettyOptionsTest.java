package dev.webtalk.jetty;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JettyOptionsTest {
    private static final Authenticator NOBODY = request -> Optional.empty();

    @Test
    void defaultsAreSafe() {
        JettyOptions options = JettyOptions.builder(NOBODY).build();
        assertEquals("/ws", options.webSocketPath());
        assertEquals("/api", options.apiPath());
        assertEquals(Set.of(), options.allowedOrigins(), "same origin only");
        assertEquals(Duration.ofMinutes(2), options.idleTimeout());
        assertEquals(false, options.permessageDeflate());
        assertEquals(100, options.maxConnectionsPerIp());
        assertEquals(4L * 1024 * 1024, options.maxOutboundBytes());
        assertEquals(1024, options.maxOutboundFrames());
        assertEquals(false, options.adminApi(), "the admin API is opt-in");
        assertEquals(Duration.ofSeconds(5), options.stopTimeout());
        assertEquals(true, options.closeEngineOnStop());
    }

    @Test
    void badValuesFailAtBuildTime() {
        assertThrows(NullPointerException.class, () -> JettyOptions.builder(null));
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).webSocketPath("ws").build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).apiPath("/api/").build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).apiPath("/ws").build());
        assertThrows(IllegalArgumentException.class,
                () -> JettyOptions.builder(NOBODY).allowedOrigins(Set.of("https://a.example/")).build());
        assertThrows(IllegalArgumentException.class,
                () -> JettyOptions.builder(NOBODY).allowedOrigins(Set.of("a.example")).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).idleTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).maxRequestBodyBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).maxOutboundBytes(1000).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).maxConnectionsPerIp(0).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).maxOutboundFrames(0).build());
        assertThrows(IllegalArgumentException.class, () -> JettyOptions.builder(NOBODY).stopTimeout(Duration.ZERO).build());
    }
}
