package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat room as stored.
 *
 * @param id unguessable id
 * @param name display name, 1..{@link Limits#maxRoomNameChars()} characters
 * @param ownerId the user who created it
 * @param passwordHash salted PBKDF2 hash of the room password, or {@code null} for an open room. For
 *     {@link dev.webtalk.spi.ChatStore} implementations, which store it: not API for hosts, who should
 *     use {@link #hasPassword()}; it may leave this record in a later release
 * @param createdAt when it was created
 */
public record Room(RoomId id, String name, UserId ownerId, String passwordHash, Instant createdAt) {
    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether joining needs a password. */
    public boolean hasPassword() {
        return passwordHash != null;
    }

    /** Never prints the password hash. */
    @Override
    public String toString() {
        return "Room[id=" + id + ", name=" + name + ", owner=" + ownerId + ", password=" + hasPassword() + "]";
    }
}
