package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A message pinned to its room's header by a moderator, the owner or an admin.
 *
 * @param roomId the room
 * @param seq the pinned message
 * @param pinnedBy who pinned it
 * @param pinnedAt when
 */
public record Pin(RoomId roomId, long seq, UserId pinnedBy, Instant pinnedAt) {
    public Pin {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(pinnedBy, "pinnedBy");
        Objects.requireNonNull(pinnedAt, "pinnedAt");
    }
}
