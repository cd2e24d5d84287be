package dev.webtalk.broker.redis;

import dev.webtalk.RoomId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelsTest {
    private final Channels channels = new Channels("webtalk");

    @Test
    void namesRoomAndClusterChannelsUnderThePrefix() {
        assertEquals("webtalk:room:Ab3dEf9h", text(channels.room(RoomId.of("Ab3dEf9h"))));
        assertEquals("webtalk:all", text(channels.all()));
        assertTrue(channels.isAll(bytes("webtalk:all")));
        assertFalse(channels.isAll(bytes("other:all")));
    }

    @Test
    void readsTheRoomBackFromItsChannel() {
        RoomId room = RoomId.of("Ab3dEf9h");
        assertEquals(room, channels.roomOf(channels.room(room)));
    }

    @Test
    void anotherPrefixOrNoRoomIsNotARoomChannel() {
        assertNull(channels.roomOf(bytes("other:room:Ab3dEf9h")));
        assertNull(channels.roomOf(bytes("webtalk:room:")));
        assertNull(channels.roomOf(bytes("webtalk:all")));
        assertNull(new Channels("web").roomOf(bytes("webtalk:room:Ab3dEf9h")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
