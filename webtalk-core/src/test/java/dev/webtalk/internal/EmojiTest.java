package dev.webtalk.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmojiTest {
    private static final String ZWJ = "\u200D";
    private static final String VS16 = "\uFE0F";
    private static final String MEDIUM_SKIN = "\uD83C\uDFFD"; // U+1F3FD
    private static final String BLACK_FLAG = "\uD83C\uDFF4"; // U+1F3F4
    private static final String CANCEL_TAG = "\uDB40\uDC7F"; // U+E007F

    /** U+1F3F4, the tag characters spelling {@code spec}, U+E007F. */
    private static String subdivisionFlag(String spec) {
        StringBuilder b = new StringBuilder(BLACK_FLAG);
        spec.chars().forEach(c -> b.appendCodePoint(0xE0000 + c));
        return b.append(CANCEL_TAG).toString();
    }

    /** {@code n} copies of {@code element} joined by ZWJ. */
    private static String zwjJoined(String element, int n) {
        return String.join(ZWJ, Collections.nCopies(n, element));
    }

    // --- accepted ---

    @ParameterizedTest
    @ValueSource(strings = {
        "😀", "👍", "🎉", "🔟", "🏴",
        "\uD83E\uDEE0",          // U+1FAE0 melting face: newer than the JDK's Unicode tables
        "\uD83C\uDC04",          // U+1F004 mahjong red dragon
        "\uD83C\uDD70\uFE0F",    // U+1F170 negative squared A, emoji presentation
        "\u00A9", "\u00A9\uFE0F", "\u00AE",
        "\u203C\uFE0F", "\u2049", "\u2122\uFE0F", "\u2139\uFE0F",
        "\u2194\uFE0F", "\u21A9", "\u231A", "\u23E9", "\u24C2\uFE0F",
        "\u25AA\uFE0F", "\u25B6", "\u25FE",
        "\u2600\uFE0F", "\u2764", "\u2764\uFE0F", "\u2705", "\u27BF",
        "\u2934\uFE0F", "\u2935", "\u2B1B", "\u2B50",
        "\u3030\uFE0F", "\u303D", "\u3297\uFE0F", "\u3299",
    })
    void acceptsOnePictographicCodePointWithOptionalPresentationSelector(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "👍🏽", "👍🏻", "👍🏿",
        "\u270C\uD83C\uDFFD",             // BMP base + modifier
        "\u270C\uFE0F\uD83C\uDFFD",       // FE0F then modifier
    })
    void acceptsOneSkinToneModifierAfterAnElement(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "👩‍👩‍👧‍👦",                // family: four elements
        "🏳️‍🌈",                    // rainbow flag: element with FE0F first
        "👨🏽‍💻",                    // technologist with skin tone
        "🏴‍☠️",                     // pirate flag: black flag as an ordinary element
        "❤️‍🔥",                     // BMP element first
        "👁️‍🗨️",                    // FE0F on both elements
        "🏳️‍⚧️",
        "👩‍❤️‍💋‍👨",                // kiss: BMP element in the middle
        "🧑🏽‍🤝‍🧑🏿",                // modifiers on two elements
        "🏌🏽‍♀️",
    })
    void acceptsZwjSequences(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    @Test
    void acceptsTenZwjElementsAndRefusesEleven() {
        String element = "👩" + VS16 + MEDIUM_SKIN;
        String ten = zwjJoined(element, 10);
        assertEquals(59, ten.length()); // the longest ZWJ sequence the rules allow stays under the cap
        assertTrue(Emoji.isSingleEmoji(ten));
        assertFalse(Emoji.isSingleEmoji(zwjJoined("👩", 11)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "🇺🇸", "🇯🇵", "🇪🇺",
        "\uD83C\uDDE6\uD83C\uDDE6", // AA: the pair is not checked against the region list
        "\uD83C\uDDFF\uD83C\uDDFF", // ZZ: last regional indicator
    })
    void acceptsTwoRegionalIndicators(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0\u20E3", "9\u20E3", "#\u20E3", "*\u20E3",
        "1\uFE0F\u20E3", "#\uFE0F\u20E3", "*\uFE0F\u20E3",
    })
    void acceptsKeycaps(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    static Stream<String> subdivisionFlags() {
        return Stream.of(
                "🏴󠁧󠁢󠁥󠁮󠁧󠁿", // England, literal
                subdivisionFlag("gbsct"),
                subdivisionFlag("gbwls"),
                subdivisionFlag(" "),           // U+E0020, lowest tag
                subdivisionFlag("~"),           // U+E007E, highest tag
                subdivisionFlag("a".repeat(30)) // 64 chars: the length cap exactly
        );
    }

    @ParameterizedTest
    @MethodSource("subdivisionFlags")
    void acceptsSubdivisionFlags(String s) {
        assertTrue(Emoji.isSingleEmoji(s), s);
    }

    @Test
    void longestSubdivisionFlagSitsExactlyAtTheCap() {
        assertEquals(Emoji.MAX_CHARS, subdivisionFlag("a".repeat(30)).length());
    }

    // --- refused ---

    @ParameterizedTest
    @NullAndEmptySource
    void refusesNullAndEmpty(String s) {
        assertFalse(Emoji.isSingleEmoji(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "Z", "ok", "hello", "0", "1", "#", "*", "!", ".", ":)", "<3",
        "ü", "中", "€", "\u221A", "\u0301",
        " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "\u3000",
        "\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u200B", "\u2028", "\uFEFF",
    })
    void refusesLettersDigitsPunctuationWhitespaceAndControls(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "👍👍", "😀😀😀", "❤️❤️", "👍🏽👍",
        "👍 ", " 👍", "👍\n", "👍a", "a👍", "ok👍", "👍\u0000", "\u0000👍",
        "👍\u0301",              // combining mark is not part of any rule
        "\u2764\uFE0E",          // text presentation selector: not an emoji rendering
        "🇺🇸🇯🇵",                // two flags
        "1\u20E32\u20E3",        // two keycaps
    })
    void refusesTwoEmojiOrEmojiWithText(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uD83C\uDFFB", "\uD83C\uDFFD", "\uD83C\uDFFF", // lone modifiers
        "\uD83C\uDFFD\uD83C\uDFFD",
        "\uD83C\uDFFD👍",                                  // modifier before the element
        "👍\uD83C\uDFFD\uD83C\uDFFD",                      // two modifiers
        "👍\uD83C\uDFFD\uFE0F",                            // FE0F after the modifier
        "a\uD83C\uDFFD",
    })
    void refusesMisplacedSkinToneModifiers(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u200D", "\u200D\u200D",
        "\u200D👍", "👍\u200D", "\u200D👍\u200D",
        "👍\u200D\u200D👍",                  // doubled ZWJ
        "👩\u200Da",                         // text element
        "👩\u200D\uD83C\uDFFD",              // modifier as element
        "👩\u200D\uFE0F",
        "🇺🇸\u200D👍", "👍\u200D🇺🇸",        // flags are not ZWJ elements
        "1\u20E3\u200D👍",                   // nor keycaps
    })
    void refusesBadZwjPlacement(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uD83C\uDDFA",                                   // lone regional indicator
        "\uD83C\uDDFA\uD83C\uDDF8\uD83C\uDDEF",           // three
        "\uD83C\uDDFA\uFE0F\uD83C\uDDF8",
        "🇺🇸\uFE0F", "🇺🇸\uD83C\uDFFD", "🇺🇸a",
        "\uD83C\uDDFA👍",
    })
    void refusesBadRegionalIndicatorRuns(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u20E3", "\uFE0F\u20E3", "1\uFE0F", "a\u20E3", "11\u20E3", "👍\u20E3",
        "1\u20E3\u20E3", "1\u20E3\uFE0F", "1\uFE0F\uFE0F\u20E3", "1\u20E3\uD83C\uDFFD",
    })
    void refusesMalformedKeycaps(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    static Stream<String> malformedSubdivisionFlags() {
        String tagsOnly = subdivisionFlag("gbeng").substring(BLACK_FLAG.length());
        return Stream.of(
                BLACK_FLAG + CANCEL_TAG,                                   // no tags
                subdivisionFlag("gbeng").replace(CANCEL_TAG, ""),          // no terminator
                tagsOnly,                                                  // no black flag
                "\uD83C\uDFF3" + tagsOnly,                                 // white flag base
                "👍" + tagsOnly,
                subdivisionFlag("gbeng") + CANCEL_TAG,                     // doubled terminator
                subdivisionFlag("gbeng") + "a",
                subdivisionFlag("gbeng") + "👍",
                BLACK_FLAG + "\uDB40\uDC67" + "a" + CANCEL_TAG,            // text among the tags
                BLACK_FLAG + "\uDB40\uDC01" + CANCEL_TAG,                  // U+E0001 language tag: out of range
                BLACK_FLAG + VS16 + "\uDB40\uDC67" + CANCEL_TAG,
                subdivisionFlag("a".repeat(31))                            // 66 chars: over the cap
        );
    }

    @ParameterizedTest
    @MethodSource("malformedSubdivisionFlags")
    void refusesMalformedSubdivisionFlags(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uD83D", "\uDC4D",            // lone high, lone low
        "\uDC4D\uD83D",                // reversed pair
        "👍\uD83D", "\uD83D👍", "👍\uDC4D",
        "\uD83D\u200D👍",
    })
    void refusesUnpairedSurrogates(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFE0F", "\uFE0F\uFE0F", "\uFE0F👍", "👍\uFE0F\uFE0F", "a\uFE0F"})
    void refusesMisplacedPresentationSelectors(String s) {
        assertFalse(Emoji.isSingleEmoji(s), s);
    }

    @Test
    void refusesAnythingLongerThanTheCapWithoutLookingFurther() {
        assertFalse(Emoji.isSingleEmoji("👍".repeat(40)));
        assertFalse(Emoji.isSingleEmoji("a".repeat(10_000)));
    }
}
