package dev.webtalk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message in a room's history. Within a room, {@code seq} is dense and increasing: 1, 2, 3, … and is
 * the message's stable id, which replies, reactions, pins and read markers refer to. A soft-deleted
 * message keeps its place in the sequence but loses its text.
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
 * @param replyTo the seq of the message this one answers, or 0
 * @param mentions the members its text mentions ({@code @Name}, resolved by the server when it was sent
 *     or last edited), in the order they first appear; empty once deleted
 * @param mentionsRoom whether it mentions everyone ({@code @room}, which only moderators and owners may)
 */
public record Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                      String text, String clientMsgId, Instant createdAt, Instant deletedAt,
                      Attachment attachment, Instant editedAt, long replyTo, List<UserId> mentions,
                      boolean mentionsRoom) {
    public Message {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        mentions = List.copyOf(mentions);
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1");
        }
        if (replyTo < 0 || replyTo >= seq) {
            throw new IllegalArgumentException("replyTo must name an earlier message, or be 0");
        }
    }

    /** A message that was never edited, answers nothing and mentions nobody. */
    public Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                   String text, String clientMsgId, Instant createdAt, Instant deletedAt, Attachment attachment) {
        this(roomId, seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt, attachment, null,
                0, List.of(), false);
    }

    /** A message without an attachment that was never edited, answers nothing and mentions nobody. */
    public Message(RoomId roomId, long seq, UserId authorId, String authorName, MessageKind kind,
                   String text, String clientMsgId, Instant createdAt, Instant deletedAt) {
        this(roomId, seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt, null);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    public boolean isEdited() {
        return editedAt != null;
    }

    /** Whether it mentions {@code user}, by name or through {@code @room}. */
    public boolean mentions(UserId user) {
        return mentionsRoom || mentions.contains(user);
    }

    /** This message after a soft delete: text, attachment and mentions gone, place (and edit time) kept. */
    public Message deleted(Instant at) {
        return new Message(roomId, seq, authorId, authorName, kind, null, clientMsgId, createdAt, at, null, editedAt,
                replyTo, List.of(), false);
    }

    /** This message with its text (and the mentions in it) replaced by its author at {@code at}. */
    public Message edited(String newText, Instant at, List<UserId> newMentions, boolean newMentionsRoom) {
        return new Message(roomId, seq, authorId, authorName, kind, newText, clientMsgId, createdAt, deletedAt,
                attachment, at, replyTo, newMentions, newMentionsRoom);
    }

    /** This message with its text replaced at {@code at}, mentioning whom it mentioned before. */
    public Message edited(String newText, Instant at) {
        return edited(newText, at, mentions, mentionsRoom);
    }

    /** This message answering message {@code seq} (0: none). */
    public Message withReplyTo(long seq) {
        return new Message(roomId, this.seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt,
                attachment, editedAt, seq, mentions, mentionsRoom);
    }

    /** This message mentioning {@code users} (and everyone, with {@code room}). */
    public Message withMentions(List<UserId> users, boolean room) {
        return new Message(roomId, seq, authorId, authorName, kind, text, clientMsgId, createdAt, deletedAt,
                attachment, editedAt, replyTo, users, room);
    }
}
