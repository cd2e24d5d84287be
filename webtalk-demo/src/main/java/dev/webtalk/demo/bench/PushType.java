package dev.webtalk.demo.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The {@code type} of a server frame, as far as the bench tells types apart. */
enum PushType {
    /** A new message: the tool reads its room, seq and send time. */
    MESSAGE("message"),
    /** The reply to a request (read whole, with Jackson). */
    RESULT("result"),
    /** An error reply, or an error without a request (read whole). */
    ERROR("error"),
    /** The first frame on a connection (read whole). */
    WELCOME("welcome"),
    /** Gathered reaction changes: counted per client by the {@code reactions} scenario. */
    REACTIONS("reactions"),
    /** A user's read marker moved: counted per client by the {@code reads} scenario. */
    READ("read"),
    /** Any other type, or none: only counted. */
    OTHER("");

    private static final PushType[] NAMED = {MESSAGE, RESULT, ERROR, WELCOME, REACTIONS, READ};

    private final byte[] wire;

    PushType(String wire) {
        this.wire = wire.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the frame is read whole as a reply rather than scanned. */
    boolean isReply() {
        return this == RESULT || this == ERROR || this == WELCOME;
    }

    /** The type whose name is the raw (unescaped) JSON string content {@code utf8[from..to)}. */
    static PushType of(byte[] utf8, int from, int to) {
        for (PushType t : NAMED) {
            if (Arrays.equals(utf8, from, to, t.wire, 0, t.wire.length)) {
                return t;
            }
        }
        return OTHER;
    }
}
