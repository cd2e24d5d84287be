package dev.webtalk.filter;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.spi.MessageFilter;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MessageFilter} for a list of words: matches whole words only ("ass" does not match "class"),
 * ignoring case (Unicode-aware). It either masks each match with asterisks or rejects the message.
 *
 * <pre>{@code
 * WebTalk.builder().messageFilter(WordFilter.masking(List.of("darn", "heck")))…
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class WordFilter implements MessageFilter {
    private final List<String> words;
    private final Pattern pattern;
    private final boolean reject;

    private WordFilter(Collection<String> words, boolean reject) {
        Objects.requireNonNull(words, "words");
        this.words = words.stream().map(String::strip).filter(w -> !w.isEmpty())
                .map(w -> w.toLowerCase(Locale.ROOT)).distinct().toList();
        this.reject = reject;
        if (this.words.isEmpty()) {
            this.pattern = null;
        } else {
            // Longest first, so "foo bar" wins over "foo"; letters, digits and _ count as word characters.
            String alternatives = this.words.stream().sorted((a, b) -> b.length() - a.length())
                    .map(Pattern::quote).reduce((a, b) -> a + "|" + b).orElseThrow();
            this.pattern = Pattern.compile("(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    /** Replaces each listed word with as many {@code *} as it has characters. */
    public static WordFilter masking(Collection<String> words) {
        return new WordFilter(words, false);
    }

    /** Rejects a message that contains a listed word. */
    public static WordFilter rejecting(Collection<String> words) {
        return new WordFilter(words, true);
    }

    /** The words, trimmed, lower-cased and without duplicates. */
    public List<String> words() {
        return words;
    }

    @Override
    public Verdict check(Principal author, RoomId room, String text) {
        if (pattern == null) {
            return Verdict.accept();
        }
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return Verdict.accept();
        }
        if (reject) {
            return Verdict.reject("The message contains a blocked word");
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start());
            out.append("*".repeat(m.group().codePointCount(0, m.group().length())));
            last = m.end();
        } while (m.find());
        out.append(text, last, text.length());
        return Verdict.rewrite(out.toString());
    }
}
