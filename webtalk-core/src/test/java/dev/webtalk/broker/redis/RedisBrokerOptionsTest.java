package dev.webtalk.broker.redis;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisBrokerOptionsTest {
    private static final URI REDIS = URI.create("redis://127.0.0.1:6379");

    @Test
    void defaults() {
        RedisBrokerOptions options = RedisBrokerOptions.builder(REDIS).build();
        assertEquals(REDIS, options.uri());
        assertEquals("webtalk", options.channelPrefix());
        assertEquals(Duration.ofSeconds(5), options.commandTimeout());
        assertEquals(10_000, options.maxQueuedCommands());
        assertTrue(options.nodeId().matches("[0-9a-f]{16}"), options.nodeId());
    }

    @Test
    void everyBrokerGetsANodeIdOfItsOwn() {
        assertNotEquals(RedisBrokerOptions.builder(REDIS).build().nodeId(),
                RedisBrokerOptions.builder(REDIS).build().nodeId());
        assertEquals("n1", RedisBrokerOptions.builder(REDIS).nodeId("n1").build().nodeId());
    }

    @Test
    void rejectsWhatRedisOrTheFramingCannotTake() {
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(URI.create("http://h:1"))));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(URI.create("redis:h"))));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(REDIS).channelPrefix("")));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(REDIS).channelPrefix("a b")));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(REDIS).nodeId("a:b")));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(REDIS).nodeId("x".repeat(65))));
        assertThrows(IllegalArgumentException.class,
                () -> build(RedisBrokerOptions.builder(REDIS).commandTimeout(Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> build(RedisBrokerOptions.builder(REDIS).maxQueuedCommands(0)));
    }

    @Test
    void acceptsTlsAndPasswords() {
        build(RedisBrokerOptions.builder(URI.create("rediss://:secret@redis.example.com:6380")));
    }

    private static RedisBrokerOptions build(RedisBrokerOptions.Builder builder) {
        return builder.build();
    }
}
