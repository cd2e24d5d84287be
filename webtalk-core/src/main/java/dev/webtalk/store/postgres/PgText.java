package dev.webtalk.store.postgres;

/**
 * Strings as PostgreSQL's {@code text} can hold them. It cannot hold U+0000, which a message may carry,
 * so the store writes U+0000 as U+0001 followed by {@code '0'}, and U+0001 itself as U+0001 followed by
 * {@code '1'}, and reverses that on read: every string round-trips, equal strings stay equal (lookups by
 * client message id bind the encoded form), and text without either control character, i.e. all real
 * text, is stored as it is.
 */
final class PgText {
    private static final char NUL = '\u0000';
    private static final char ESCAPE = '\u0001';

    private PgText() {
    }

    /** The form stored; {@code null} stays {@code null}. */
    static String encode(String s) {
        if (s == null || (s.indexOf(NUL) < 0 && s.indexOf(ESCAPE) < 0)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == NUL) {
                out.append(ESCAPE).append('0');
            } else if (ch == ESCAPE) {
                out.append(ESCAPE).append('1');
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The string a stored form stands for; {@code null} stays {@code null}. */
    static String decode(String s) {
        if (s == null || s.indexOf(ESCAPE) < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ESCAPE && i + 1 < s.length()) {
                out.append(s.charAt(++i) == '0' ? NUL : ESCAPE);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
