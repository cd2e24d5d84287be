package dev.webtalk;

import java.util.Objects;

/**
 * Identifies a room: 8 characters from an unguessable random alphabet, chosen by the engine.
 *
 * @param value the id as it appears on the wire and in URLs
 */
public record RoomId(String value) {
    public RoomId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("room id must be 1..64 characters");
        }
    }

    public static RoomId of(String value) {
        return new RoomId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
