package dev.webtalk.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One server-to-client text frame, encoded once and shared by every recipient. Fan-out hands the same
 * instance to each {@link Connection}, so the JSON is built once and its UTF-8 bytes at most once.
 * Immutable and thread-safe.
 */
public final class OutboundFrame {
    private final String text;
    private volatile byte[] utf8;

    public OutboundFrame(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    private OutboundFrame(String text, byte[] utf8) {
        this.text = text;
        this.utf8 = utf8;
    }

    /**
     * A frame over UTF-8 bytes that are already encoded (e.g. received from another node), kept as they
     * are so sending does not encode them again. The array must not be changed afterwards.
     */
    public static OutboundFrame ofUtf8(byte[] utf8) {
        return new OutboundFrame(new String(utf8, StandardCharsets.UTF_8), utf8);
    }

    /** The JSON text of the frame. */
    public String text() {
        return text;
    }

    /**
     * The frame's UTF-8 payload as a read-only buffer over bytes shared with every other caller. Each
     * call returns a fresh buffer view (own position), so concurrent senders do not interfere.
     */
    public ByteBuffer utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return text;
    }
}
