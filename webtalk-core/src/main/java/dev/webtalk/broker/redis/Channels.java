package dev.webtalk.broker.redis;

import dev.webtalk.RoomId;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The Redis channel names of one deployment: {@code <prefix>:room:<roomId>} per room, {@code <prefix>:all}. */
final class Channels {
    private final byte[] all;
    private final String roomPrefix;
    private final byte[] roomPrefixBytes;

    Channels(String prefix) {
        this.all = (prefix + ":all").getBytes(StandardCharsets.UTF_8);
        this.roomPrefix = prefix + ":room:";
        this.roomPrefixBytes = roomPrefix.getBytes(StandardCharsets.UTF_8);
    }

    /** The cluster-wide channel of broadcasts. */
    byte[] all() {
        return all.clone();
    }

    boolean isAll(byte[] channel) {
        return Arrays.equals(channel, all);
    }

    byte[] room(RoomId room) {
        return (roomPrefix + room.value()).getBytes(StandardCharsets.UTF_8);
    }

    /** The room whose channel this is, or {@code null} when it is not a room channel of this prefix. */
    RoomId roomOf(byte[] channel) {
        int length = roomPrefixBytes.length;
        if (channel.length <= length
                || !Arrays.equals(channel, 0, length, roomPrefixBytes, 0, length)) {
            return null;
        }
        try {
            return RoomId.of(new String(channel, length, channel.length - length, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notARoomId) {
            return null;
        }
    }
}
