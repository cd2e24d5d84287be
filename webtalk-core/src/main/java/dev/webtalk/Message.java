package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A message in a room's history. Within a room, {@code seq} is dense and increasing: 1, 2, 3, …
 * A soft-deleted message keeps its place in the sequence but loses its text.
 *
 * @param roomId the room
 * @param seq position in the room, from 1
 * @param authorId who wrote it
 * @param authorName the author's display name when it was sent
 * @param kind what it carries
 * @param text the text, or {@code null} once deleted
 * @param clientMsgId the sender's id for this send (makes retries idempotent), or {@code null}
 * @param createdAt when the server accepted it
 * @param deletedAt when it was deleted, or {@code null}
 * @param attachment the shared file of a {@link MessageKind#FILE} message, or {@code null} (also once deleted)
 * @param editedAt when its author last replaced the text, or {@code null} if never
 */
public record Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                      String text, String clientMsgId, Instant createdAt, Instant deletedAt,
                      Attachment attachment, Instant editedAt) {
    public Message {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1");
        }
    }

    /** A message that was never edited. */
    public Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                   String text, String clientMsgId, Instant createdAt, Instant deletedAt, Attachment attachment) {
        this(roomId, seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt, attachment, null);
    }

    /** A message without an attachment that was never edited. */
    public Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                   String text, String clientMsgId, Instant createdAt, Instant deletedAt) {
        this(roomId, seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt, null, null);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    public boolean isEdited() {
        return editedAt != null;
    }

    /** This message after a soft delete: text and attachment gone, place (and edit time) kept. */
    public Message deleted(Instant at) {
        return new Message(roomId, seq, authorId, authorName, kind, null, clientMsgId, createdAt, at, null, editedAt);
    }

    /** This message with its text replaced by its author at {@code at}. */
    public Message edited(String newText, Instant at) {
        return new Message(roomId, seq, authorId, authorName, kind, newText, clientMsgId, createdAt, deletedAt,
                attachment, at);
    }

    /** This message numbered {@code newSeq} (the engine's writer numbers a room's messages as it commits them). */
    public Message withSeq(long newSeq) {
        return new Message(roomId, newSeq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt,
                attachment, editedAt);
    }
}
