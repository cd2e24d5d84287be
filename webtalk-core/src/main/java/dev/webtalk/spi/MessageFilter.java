package dev.webtalk.spi;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;

import java.util.Objects;

/**
 * Checks a text message before it is stored: accept it, reject it (the sender gets the error
 * {@code rejected} with the reason), or rewrite its text. Register filters with
 * {@link dev.webtalk.WebTalk.Builder#messageFilter(MessageFilter)}; they run in registration order, each
 * seeing the text the previous one produced, and the first rejection ends the chain.
 *
 * <p>Filters run after the engine's own checks (size, rate limit, ban, mute) and only on text
 * messages, not on shared files. Threading: called on the room's thread, so all messages of a room pass
 * the chain one at a time; a filter must be fast and must not block (no network calls). A filter that
 * throws fails the send with {@code internal}, so nothing unchecked is stored.
 */
@FunctionalInterface
public interface MessageFilter {

    /** Decides about {@code text}, which {@code author} is sending to {@code room}. */
    Verdict check(Principal author, RoomId room, String text);

    /** A filter's decision. */
    sealed interface Verdict {
        /** Pass the text on unchanged. */
        static Verdict accept() {
            return Accept.INSTANCE;
        }

        /** Refuse the message; {@code reason} is shown to the sender. */
        static Verdict reject(String reason) {
            return new Reject(reason);
        }

        /** Store {@code text} instead (it must still be 1..maxMessageChars characters). */
        static Verdict rewrite(String text) {
            return new Rewrite(text);
        }
    }

    /** See {@link Verdict#accept()}. */
    enum Accept implements Verdict {
        INSTANCE
    }

    /** See {@link Verdict#reject(String)}. */
    record Reject(String reason) implements Verdict {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** See {@link Verdict#rewrite(String)}. */
    record Rewrite(String text) implements Verdict {
        public Rewrite {
            Objects.requireNonNull(text, "text");
        }
    }
}
