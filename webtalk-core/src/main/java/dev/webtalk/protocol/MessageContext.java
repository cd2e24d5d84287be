package dev.webtalk.protocol;

import dev.webtalk.Message;
import dev.webtalk.Reaction;

import java.util.List;
import java.util.Objects;

/**
 * What a reader sees around a stored {@link Message}, read when the message is sent out rather than
 * stored with it: a preview of the message it answers, its reactions as this reader sees them, and
 * whether it is pinned. Pushes shared by a whole room carry only the preview (reactions and pins travel in
 * their own pushes); replies to one reader carry all of it.
 *
 * <p>Not API: serves WebTalk's own transports and may change in any release.
 *
 * @param reply the answered message in short, or {@code null} when the message answers none
 * @param reactions the reactions, or {@code null} when not known here; none and unknown both leave
 *     {@code reactions} out of the frame
 * @param pinned whether the message is pinned, or {@code null} when not known here; only a pinned
 *     message says so ({@code "pinned":true})
 * @hidden
 */
public record MessageContext(ReplyPreview reply, List<Reaction> reactions, Boolean pinned) {
    /** Nothing around the message. */
    public static final MessageContext NONE = new MessageContext(null, null, null);

    /** Longest excerpt of an answered message's text, in code points. */
    public static final int EXCERPT_CODE_POINTS = 100;

    /**
     * A short view of an answered message.
     *
     * @param seq its seq
     * @param authorId its author
     * @param authorName the author's name
     * @param excerpt its first {@value #EXCERPT_CODE_POINTS} code points (with "…" when cut), or {@code null} once deleted
     * @param deleted whether it was deleted
     */
    public record ReplyPreview(long seq, String authorId, String authorName, String excerpt, boolean deleted) {
        public ReplyPreview {
            Objects.requireNonNull(authorId, "authorId");
            Objects.requireNonNull(authorName, "authorName");
        }

        /** The preview of {@code original} as it is now. */
        public static ReplyPreview of(Message original) {
            String text = original.text();
            String excerpt = null;
            if (!original.isDeleted() && text != null) {
                excerpt = text.codePointCount(0, text.length()) <= EXCERPT_CODE_POINTS ? text
                        : text.substring(0, text.offsetByCodePoints(0, EXCERPT_CODE_POINTS)) + "…";
            }
            return new ReplyPreview(original.seq(), original.authorId().value(), original.authorName(), excerpt,
                    original.isDeleted());
        }
    }

    /** Only a preview of the answered message ({@code null}: none). */
    public static MessageContext reply(ReplyPreview reply) {
        return reply == null ? NONE : new MessageContext(reply, null, null);
    }
}
