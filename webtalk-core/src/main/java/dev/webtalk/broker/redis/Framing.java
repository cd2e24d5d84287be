package dev.webtalk.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Wraps each payload with the publishing node's id, so that a node skips its own publications, which
 * Redis delivers to every subscriber, the publisher included.
 *
 * <p>A frame is {@code [version = 1][n][n bytes: node id, ASCII][payload]}. A frame of another version is
 * skipped, so nodes of a later format can run beside these during a rolling upgrade: what they miss of
 * each other, the receivers read from the store.
 */
final class Framing {
    static final byte VERSION = 1;

    private final byte[] header;

    Framing(String nodeId) {
        byte[] id = nodeId.getBytes(StandardCharsets.US_ASCII);
        if (id.length < 1 || id.length > 255) {
            throw new IllegalArgumentException("node id must be 1..255 bytes: " + nodeId);
        }
        header = new byte[2 + id.length];
        header[0] = VERSION;
        header[1] = (byte) id.length;
        System.arraycopy(id, 0, header, 2, id.length);
    }

    byte[] frame(byte[] payload) {
        byte[] frame = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, frame, header.length, payload.length);
        return frame;
    }

    /**
     * The payload of another node's frame; {@code null} for this node's own frames and for anything it
     * cannot read (another version, truncated).
     */
    byte[] foreignPayload(byte[] frame) {
        if (frame.length < 3 || frame[0] != VERSION) {
            return null;
        }
        int idLength = frame[1] & 0xFF;
        int start = 2 + idLength;
        if (idLength == 0 || frame.length < start
                || Arrays.equals(frame, 0, start, header, 0, header.length)) {
            return null;
        }
        return Arrays.copyOfRange(frame, start, frame.length);
    }
}
