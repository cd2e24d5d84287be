package dev.webtalk.demo.bench;

import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 framing for a client, in place over byte arrays: decoding the server's frames (never masked,
 * no extension negotiated, so no RSV bits) and encoding the client's (always masked). Nothing here
 * allocates but {@link #encode}.
 */
final class WebSocketFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** Receives decoded frames; the payload is {@code buf[from..from+length)}, valid only during the call. */
    interface Sink {
        void onFrame(int opcode, boolean fin, byte[] buf, int from, int length);
    }

    /** A frame the client must refuse: the connection is then closed with {@link #closeCode}. */
    static final class ProtocolError extends Exception {
        private static final long serialVersionUID = 1L;
        final int closeCode;

        ProtocolError(int closeCode, String message) {
            super(message, null, false, false);
            this.closeCode = closeCode;
        }
    }

    private WebSocketFrames() {
    }

    /**
     * Hands every complete frame in {@code buf[from..to)} to {@code sink}, in order; returns the index of
     * the first byte not consumed (the start of an incomplete frame, or {@code to}).
     *
     * @param maxPayload the largest payload accepted; a bigger frame is an error (close code 1009)
     */
    static int decode(byte[] buf, int from, int to, long maxPayload, Sink sink) throws ProtocolError {
        int p = from;
        while (to - p >= 2) {
            long total = frameLength(buf, p, to, maxPayload);
            if (total < 0 || to - p < total) {
                break;
            }
            int b0 = buf[p] & 0xFF;
            int header = (int) (total - payloadLength(buf, p));
            sink.onFrame(b0 & 0x0F, (b0 & 0x80) != 0, buf, p + header, (int) (total - header));
            p += (int) total;
        }
        return p;
    }

    /**
     * The whole length (header and payload) of the frame starting at {@code buf[p]}, or -1 if its header
     * is not complete in {@code buf[p..to)}. Checks the header.
     */
    static long frameLength(byte[] buf, int p, int to, long maxPayload) throws ProtocolError {
        if (to - p < 2) {
            return -1;
        }
        int b0 = buf[p] & 0xFF;
        int b1 = buf[p + 1] & 0xFF;
        if ((b0 & 0x70) != 0) {
            throw new ProtocolError(1002, "RSV bits set without a negotiated extension");
        }
        int opcode = b0 & 0x0F;
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING
                && opcode != PONG) {
            throw new ProtocolError(1002, "unknown opcode " + opcode);
        }
        if ((b1 & 0x80) != 0) {
            throw new ProtocolError(1002, "a server frame must not be masked");
        }
        int len7 = b1 & 0x7F;
        int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
        if (to - p < header) {
            return -1;
        }
        long payload = payloadLength(buf, p);
        if (opcode >= CLOSE && (payload > 125 || (b0 & 0x80) == 0)) {
            throw new ProtocolError(1002, "a control frame must be whole and at most 125 bytes");
        }
        if (payload < 0 || payload > maxPayload) {
            throw new ProtocolError(1009, "frame of " + payload + " bytes, more than " + maxPayload);
        }
        return header + payload;
    }

    /** The payload length of a frame whose header is complete at {@code buf[p]}. */
    private static long payloadLength(byte[] buf, int p) {
        int len7 = buf[p + 1] & 0x7F;
        if (len7 < 126) {
            return len7;
        }
        if (len7 == 126) {
            return ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
        }
        long n = 0;
        for (int k = 2; k < 10; k++) {
            n = (n << 8) | (buf[p + k] & 0xFF);
        }
        return n;
    }

    /** A whole client frame ({@code fin} set) carrying {@code payload[from..from+length)}, masked with {@code mask}. */
    static byte[] encode(int opcode, byte[] payload, int from, int length, int mask) {
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] out = new byte[header + 4 + length];
        out[0] = (byte) (0x80 | opcode);
        if (length < 126) {
            out[1] = (byte) (0x80 | length);
        } else if (length <= 0xFFFF) {
            out[1] = (byte) (0x80 | 126);
            out[2] = (byte) (length >>> 8);
            out[3] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int k = 0; k < 8; k++) {
                out[2 + k] = (byte) ((long) length >>> (56 - 8 * k));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, out, header, 4);
        int at = header + 4;
        for (int k = 0; k < length; k++) {
            out[at + k] = (byte) (payload[from + k] ^ key[k & 3]);
        }
        return out;
    }

    /** The payload of a close frame: the code (big-endian) and a UTF-8 reason, at most 123 bytes of it. */
    static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, 123);
        byte[] out = new byte[2 + n];
        out[0] = (byte) (code >>> 8);
        out[1] = (byte) code;
        System.arraycopy(text, 0, out, 2, n);
        return out;
    }
}
