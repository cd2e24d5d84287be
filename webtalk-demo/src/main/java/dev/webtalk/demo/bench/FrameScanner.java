package dev.webtalk.demo.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the few fields of a server frame the tool measures straight from its UTF-8 bytes, in one pass
 * and without allocating: the frame's {@code type}, and for a {@code message} push its {@code room},
 * {@code pos}, {@code message.seq} and the number the bench's senders put at the start of
 * {@code message.text} (their due time). Fields may come in any order; every other value, nested ones
 * included ({@code message.replyTo.seq}, {@code author}, arrays), is skipped over, strings with their
 * escapes. Reading stops as soon as nothing more is needed: when {@code type} comes before the rest, as
 * the server writes it, a frame that is not a {@code message} is left unread after it; and once the
 * text's start is reached with every other field in hand (the server's order), the text and whatever
 * follows it are not scanned either, the frame's end standing in for the text's.
 *
 * <p>Strings the tool compares (the type, the room id) are compared as raw bytes, escapes not decoded:
 * the protocol's types and room ids never need escaping.
 *
 * <p>One instance is reused frame after frame by one thread at a time; {@link #scan} resets it.
 */
final class FrameScanner {
    private static final byte[] TYPE = ascii("type");
    private static final byte[] ROOM = ascii("room");
    private static final byte[] POS = ascii("pos");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] TEXT = ascii("text");
    /** A long of more digits might overflow; no field the tool reads comes near it. */
    private static final int MAX_DIGITS = 18;

    private byte[] in;
    private int end;
    private int i;
    private PushType type;
    private int roomFrom;
    private int roomTo;
    private long pos;
    private long seq;
    private int textFrom;
    private int textTo;
    /** Every field is in hand: the scan ends without reading further. */
    private boolean done;

    /**
     * Scans {@code utf8[from..from+length)}, one JSON object. Returns false if it is not one (the fields
     * read until then are not to be used).
     */
    boolean scan(byte[] utf8, int from, int length) {
        in = utf8;
        end = from + length;
        i = from;
        type = PushType.OTHER;
        roomFrom = roomTo = textFrom = textTo = -1;
        pos = seq = -1;
        done = false;
        try {
            return object(true);
        } catch (Malformed e) {
            return false;
        }
    }

    /** The frame's type; {@link PushType#OTHER} if it has none or one the tool does not tell apart. */
    PushType type() {
        return type;
    }

    /** Whether the frame's {@code room} is exactly {@code id} (as raw bytes); false if it has none. */
    boolean roomIs(byte[] id) {
        return roomFrom >= 0 && Arrays.equals(in, roomFrom, roomTo, id, 0, id.length);
    }

    /** The frame's {@code room} as a string (allocates: for rare paths); null if none. */
    String room() {
        return roomFrom < 0 ? null : new String(in, roomFrom, roomTo - roomFrom, StandardCharsets.UTF_8);
    }

    /** The push's stream position {@code pos}; -1 if none. */
    long pos() {
        return pos;
    }

    /** {@code message.seq}; -1 if none. */
    long seq() {
        return seq;
    }

    /**
     * The integer that starts {@code message.text} and is followed by a space, as the bench's senders
     * write their due time ({@code "123456789 xxx…"}); null-free: {@link Long#MIN_VALUE} when the text
     * does not start that way (a message from someone else, a file, a deleted message).
     */
    long textNumber() {
        if (textFrom < 0) {
            return Long.MIN_VALUE;
        }
        int j = textFrom;
        boolean negative = j < textTo && in[j] == '-';
        if (negative) {
            j++;
        }
        int digitsFrom = j;
        long value = 0;
        while (j < textTo && in[j] >= '0' && in[j] <= '9' && j - digitsFrom < MAX_DIGITS + 1) {
            value = value * 10 + (in[j] - '0');
            j++;
        }
        int digits = j - digitsFrom;
        if (digits == 0 || digits > MAX_DIGITS || j >= textTo || in[j] != ' ') {
            return Long.MIN_VALUE;
        }
        return negative ? -value : value;
    }

    /**
     * An object starting at {@link #i} (after white space). At the top level it records type, room and pos
     * and descends into {@code message}; inside {@code message} it records seq and text.
     */
    private boolean object(boolean top) {
        skipSpace();
        if (peek() != '{') {
            return false;
        }
        i++;
        skipSpace();
        if (peek() == '}') {
            i++;
            return true;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw Malformed.INSTANCE;
            }
            int keyFrom = i + 1;
            int keyTo = stringEnd();
            skipSpace();
            if (next() != ':') {
                throw Malformed.INSTANCE;
            }
            skipSpace();
            if (top) {
                if (topMember(keyFrom, keyTo)) {
                    return true; // not a message: nothing more to read
                }
            } else {
                messageMember(keyFrom, keyTo);
            }
            if (done) {
                return true;
            }
            skipSpace();
            byte c = next();
            if (c == '}') {
                return true;
            }
            if (c != ',') {
                throw Malformed.INSTANCE;
            }
        }
    }

    /** Reads or skips one top-level value; true when the frame is known not to be a message. */
    private boolean topMember(int keyFrom, int keyTo) {
        if (is(keyFrom, keyTo, TYPE) && peek() == '"') {
            int from = i + 1;
            int to = stringEnd();
            type = PushType.of(in, from, to);
            return type != PushType.MESSAGE;
        }
        if (is(keyFrom, keyTo, ROOM) && peek() == '"') {
            roomFrom = i + 1;
            roomTo = stringEnd();
        } else if (is(keyFrom, keyTo, POS) && isNumberStart(peek())) {
            pos = number();
        } else if (is(keyFrom, keyTo, MESSAGE) && peek() == '{') {
            object(false);
        } else {
            skipValue();
        }
        return false;
    }

    private void messageMember(int keyFrom, int keyTo) {
        if (is(keyFrom, keyTo, SEQ) && isNumberStart(peek())) {
            seq = number();
        } else if (is(keyFrom, keyTo, TEXT) && peek() == '"') {
            textFrom = i + 1;
            if (type == PushType.MESSAGE && roomFrom >= 0 && pos >= 0 && seq >= 0) {
                textTo = end; // all else is in hand: the text's number is all that is left to read
                done = true;
                return;
            }
            textTo = stringEnd();
        } else {
            skipValue();
        }
    }

    private boolean is(int from, int to, byte[] name) {
        return Arrays.equals(in, from, to, name, 0, name.length);
    }

    /** From an opening quote at {@link #i}: moves past the closing one and returns its index. */
    private int stringEnd() {
        i++;
        while (i < end) {
            byte c = in[i];
            if (c == '"') {
                return i++;
            }
            i += c == '\\' ? 2 : 1;
        }
        throw Malformed.INSTANCE;
    }

    private long number() {
        boolean negative = in[i] == '-';
        if (negative) {
            i++;
        }
        int from = i;
        long value = 0;
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            value = value * 10 + (in[i] - '0');
            i++;
        }
        if (i == from || i - from > MAX_DIGITS) {
            throw Malformed.INSTANCE;
        }
        if (i < end && (in[i] == '.' || in[i] == 'e' || in[i] == 'E')) {
            skipValue(); // not an integer: not one of the fields read
            return -1;
        }
        return negative ? -value : value;
    }

    /** Skips any JSON value at {@link #i}: a string, an object or array (nesting counted), a number or literal. */
    private void skipValue() {
        byte c = peek();
        if (c == '"') {
            stringEnd();
            return;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < end) {
                c = in[i];
                if (c == '"') {
                    stringEnd();
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth == 0) {
                        i++;
                        return;
                    }
                }
                i++;
            }
            throw Malformed.INSTANCE;
        }
        int from = i;
        while (i < end) {
            c = in[i];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                break;
            }
            i++;
        }
        if (i == from) {
            throw Malformed.INSTANCE;
        }
    }

    private void skipSpace() {
        while (i < end) {
            byte c = in[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private byte peek() {
        if (i >= end) {
            throw Malformed.INSTANCE;
        }
        return in[i];
    }

    private byte next() {
        byte c = peek();
        i++;
        return c;
    }

    private static boolean isNumberStart(byte c) {
        return c == '-' || (c >= '0' && c <= '9');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Thrown to unwind a scan of a frame that is not well-formed; preallocated, without a stack trace. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("malformed frame", null, false, false);
        }
    }
}
