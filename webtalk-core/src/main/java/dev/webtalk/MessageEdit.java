package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A text a message had before its author edited it. Kept for the room's moderators and admins (members
 * see only the current text) until the message is deleted, which erases them with it.
 *
 * @param roomId the room
 * @param seq the message
 * @param text the text as it was before the edit
 * @param replacedAt when the edit replaced it
 */
public record MessageEdit(RoomId roomId, long seq, String text, Instant replacedAt) {
    public MessageEdit {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(replacedAt, "replacedAt");
    }
}
