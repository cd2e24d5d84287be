package dev.webtalk.internal;

import dev.webtalk.InvalidRequestException;

/** Checks on user-supplied text shared by every field that is stored or hashed. */
final class Text {
    private Text() {
    }

    /**
     * Refuses text with an unpaired UTF-16 surrogate (JSON can carry one as {@code "\ud83d"}): it has no
     * UTF-8 form, so SQLite would store it as {@code ?} and a password would hash differently than typed.
     */
    static String requireWellFormed(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(what + " contains an unpaired surrogate character");
            }
        }
        return text;
    }
}
