package dev.webtalk.protocol;

/**
 * Finds a request's {@code id} in a frame that did not parse, so that its error still answers that
 * request (every request with an id gets exactly one reply with it). A lenient pass over the text: it
 * tracks strings and nesting, and takes the value of the first {@code "id"} key at the top level when it
 * is a string or an integer of at most {@link ProtocolCodec#MAX_ID_CHARS} characters. Anything else, or
 * a frame cut off before such a key, yields {@code null}.
 */
final class RequestIdScan {
    private RequestIdScan() {
    }

    static String idOf(String text) {
        int depth = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = stringEnd(text, i);
                if (end < 0) {
                    return null;
                }
                if (depth == 1 && isKey(text, end) && text.startsWith("\"id\"", i) && end == i + 3) {
                    return value(text, skipSpace(text, skipSpace(text, end + 1) + 1));
                }
                i = end + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            i++;
        }
        return null;
    }

    /** The index of the quote that closes the string opening at {@code start}, or -1. */
    private static int stringEnd(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isKey(String text, int stringEnd) {
        int next = skipSpace(text, stringEnd + 1);
        return next < text.length() && text.charAt(next) == ':';
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String value(String text, int start) {
        if (start >= text.length()) {
            return null;
        }
        if (text.charAt(start) == '"') {
            int end = stringEnd(text, start);
            String raw = end < 0 ? null : text.substring(start + 1, end);
            // An escaped id would need real JSON decoding: leave such ids unanswered rather than guess.
            return raw == null || raw.isEmpty() || raw.length() > ProtocolCodec.MAX_ID_CHARS || raw.indexOf('\\') >= 0
                    ? null : raw;
        }
        int end = start;
        if (end < text.length() && text.charAt(end) == '-') {
            end++;
        }
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        boolean integer = end > start && Character.isDigit(text.charAt(end - 1))
                && (end == text.length() || ",} \t\r\n".indexOf(text.charAt(end)) >= 0);
        return integer && end - start <= ProtocolCodec.MAX_ID_CHARS ? text.substring(start, end) : null;
    }
}
