package dev.webtalk.internal;

/**
 * Recognises a string that is exactly one emoji, as accepted for a message reaction.
 *
 * <p>Accepted forms, and nothing else (no surrounding text, spaces or second emoji):
 * <ul>
 *   <li>an element: one pictographic code point (see {@link #PICTOGRAPHIC}), then optionally U+FE0F,
 *       then optionally one skin-tone modifier U+1F3FB–U+1F3FF;</li>
 *   <li>a ZWJ sequence: 2 to {@value #MAX_ELEMENTS} elements joined by single U+200D;</li>
 *   <li>a flag: exactly two regional indicators U+1F1E6–U+1F1FF;</li>
 *   <li>a keycap: one of {@code 0-9 # *}, optionally U+FE0F, then U+20E3;</li>
 *   <li>a subdivision flag: U+1F3F4, one or more tags U+E0020–U+E007E, then U+E007F.</li>
 * </ul>
 * Strings longer than {@value #MAX_CHARS} UTF-16 chars are refused.
 */
final class Emoji {
    /** Longest accepted string, in UTF-16 chars; a ten-person ZWJ sequence with skin tones is 59. */
    static final int MAX_CHARS = 64;
    /** Most elements in one ZWJ sequence; the longest standard one (a family of four) has 4. */
    static final int MAX_ELEMENTS = 10;

    private static final int ZWJ = 0x200D;
    private static final int VS16 = 0xFE0F;
    private static final int KEYCAP = 0x20E3;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    /**
     * Inclusive code point ranges an element may start with, sorted. Mostly whole blocks rather than the Unicode
     * emoji list: new emoji keep landing in these blocks (U+1FA70–U+1FAFF every year), and a list would need
     * updating with each release while the JDK's own Unicode tables lag further behind. The price is that
     * some non-emoji symbols in these blocks (plain arrows, dingbats) are accepted too, which is harmless
     * for a reaction. Regional indicators and skin-tone modifiers sit inside U+1F000–U+1FAFF but are
     * excluded in {@link #isPictographic}, since they are only valid in pairs or after an element.
     */
    private static final int[] PICTOGRAPHIC = {
        0x00A9, 0x00A9,   // copyright
        0x00AE, 0x00AE,   // registered
        0x203C, 0x203C,   // double exclamation
        0x2049, 0x2049,   // exclamation question
        0x2122, 0x2122,   // trade mark
        0x2139, 0x2139,   // information
        0x2190, 0x21FF,   // Arrows
        0x2300, 0x23FF,   // Miscellaneous Technical: watch, hourglass, keyboard, media controls
        0x24C2, 0x24C2,   // circled M
        0x25AA, 0x25FE,   // Geometric Shapes: small/medium squares, play and reverse triangles
        0x2600, 0x27BF,   // Miscellaneous Symbols, Dingbats
        0x2934, 0x2935,   // curved arrows
        0x2B00, 0x2BFF,   // Miscellaneous Symbols and Arrows: big squares, star, circle
        0x3030, 0x3030,   // wavy dash
        0x303D, 0x303D,   // part alternation mark
        0x3297, 0x3297,   // circled ideograph congratulation
        0x3299, 0x3299,   // circled ideograph secret
        0x1F000, 0x1FAFF, // Mahjong and Playing Cards through Symbols and Pictographs Extended-A
    };

    private Emoji() {
    }

    /** Whether {@code s} is exactly one emoji in one of the forms listed on this class; false for null. */
    static boolean isSingleEmoji(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_CHARS) {
            return false;
        }
        // Unpaired surrogates come out as code points U+D800–U+DFFF, which no rule accepts.
        int[] cps = s.codePoints().toArray();
        int first = cps[0];
        if (isRegionalIndicator(first)) {
            return cps.length == 2 && isRegionalIndicator(cps[1]);
        }
        if (isKeycapBase(first)) {
            return cps.length == 2 && cps[1] == KEYCAP
                    || cps.length == 3 && cps[1] == VS16 && cps[2] == KEYCAP;
        }
        // A black flag not followed by a tag is an ordinary element, so it falls through to the ZWJ rule.
        if (first == BLACK_FLAG && cps.length > 1 && isTag(cps[1])) {
            return isTagSequence(cps);
        }
        return isZwjSequence(cps);
    }

    private static boolean isTagSequence(int[] cps) {
        int last = cps.length - 1;
        if (cps[last] != CANCEL_TAG) {
            return false;
        }
        for (int i = 1; i < last; i++) {
            if (!isTag(cps[i])) {
                return false;
            }
        }
        return true;
    }

    /** A single element is a ZWJ sequence of one, so plain emoji are checked here too. */
    private static boolean isZwjSequence(int[] cps) {
        int i = 0;
        int elements = 0;
        while (true) {
            if (i == cps.length || !isPictographic(cps[i])) {
                return false; // also catches a leading, doubled or trailing ZWJ
            }
            i++;
            if (i < cps.length && cps[i] == VS16) {
                i++;
            }
            if (i < cps.length && isSkinTone(cps[i])) {
                i++;
            }
            if (++elements > MAX_ELEMENTS) {
                return false;
            }
            if (i == cps.length) {
                return true;
            }
            if (cps[i] != ZWJ) {
                return false;
            }
            i++;
        }
    }

    private static boolean isPictographic(int cp) {
        if (isRegionalIndicator(cp) || isSkinTone(cp)) {
            return false;
        }
        for (int r = 0; r < PICTOGRAPHIC.length; r += 2) {
            if (cp < PICTOGRAPHIC[r]) {
                return false; // sorted: no later range can contain it
            }
            if (cp <= PICTOGRAPHIC[r + 1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    private static boolean isSkinTone(int cp) {
        return cp >= 0x1F3FB && cp <= 0x1F3FF;
    }

    private static boolean isKeycapBase(int cp) {
        return cp >= '0' && cp <= '9' || cp == '#' || cp == '*';
    }

    private static boolean isTag(int cp) {
        return cp >= 0xE0020 && cp <= 0xE007E;
    }
}
