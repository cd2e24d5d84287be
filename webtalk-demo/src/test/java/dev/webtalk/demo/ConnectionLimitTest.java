package dev.webtalk.demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How many sockets the demo accepts for a given open-file limit. */
class ConnectionLimitTest {
    @Test
    void leavesFilesForTheProcessItself() {
        assertEquals(20_000 - DemoServer.RESERVED_FILES, DemoServer.connectionLimit(20_000));
        assertEquals(1_048_576 - DemoServer.RESERVED_FILES, DemoServer.connectionLimit(1_048_576));
    }

    @Test
    void neverBelowAUsableFloorAndUnlimitedWhenUnknown() {
        assertEquals(64, DemoServer.connectionLimit(100), "a tiny limit still serves a few users");
        assertEquals(Integer.MAX_VALUE, DemoServer.connectionLimit(-1), "no limit known: no cap");
        assertEquals(Integer.MAX_VALUE, DemoServer.connectionLimit(Long.MAX_VALUE));
    }
}
