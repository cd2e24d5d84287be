package dev.webtalk;

import java.util.Objects;

/**
 * How far one user has read a room, shared by all of that user's devices.
 *
 * @param roomId the room
 * @param readSeq the seq of the newest message the user has read (0: none)
 * @param unread how many messages were stored after it (a subtraction of seqs: deleted ones count too;
 *     the user's own messages move the marker past them)
 * @param mentions how many live messages after it mention the user, by name or {@code @room}
 */
public record ReadState(RoomId roomId, long readSeq, long unread, long mentions) {
    public ReadState {
        Objects.requireNonNull(roomId, "roomId");
        if (readSeq < 0 || unread < 0 || mentions < 0) {
            throw new IllegalArgumentException("read state counts must be >= 0");
        }
    }
}
