package dev.webtalk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The file types users may share, recognised by their leading bytes ("magic numbers") only: the file
 * name and the media type a client claims are never trusted. Anything else, SVG included (it can
 * carry script), is refused.
 */
public enum FileType {
    /** JPEG image: {@code FF D8 FF}. */
    JPEG("image/jpeg"),
    /** PNG image: the 8-byte PNG signature followed by the {@code IHDR} chunk. */
    PNG("image/png"),
    /** GIF image: {@code GIF87a} or {@code GIF89a}. */
    GIF("image/gif"),
    /** WebP image: a {@code RIFF} container of form {@code WEBP} with a {@code VP8 }, {@code VP8L} or {@code VP8X} chunk. */
    WEBP("image/webp"),
    /** PDF document: {@code %PDF-} and a version digit. */
    PDF("application/pdf");

    /** How many leading bytes {@link #detect} needs to see to recognise every type. */
    public static final int HEAD_BYTES = 16;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String mediaType;

    FileType(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type files of this type are stored and served with. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether it is an image browsers may show inline. */
    public boolean isImage() {
        return this != PDF;
    }

    /**
     * The type of a file from its first bytes, or empty when the head matches no allowed type (or is
     * too short to tell: a truncated header is refused, not guessed).
     *
     * @param head the file's first bytes; pass at least {@link #HEAD_BYTES} when the file has that many
     */
    public static Optional<FileType> detect(byte[] head) {
        byte[] h = head.length > HEAD_BYTES ? Arrays.copyOf(head, HEAD_BYTES) : head;
        if (startsWith(h, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF) && h.length >= 4) {
            return Optional.of(JPEG);
        }
        if (startsWith(h, 0, PNG_SIGNATURE) && startsWith(h, 12, ascii("IHDR"))) {
            return Optional.of(PNG);
        }
        if ((startsWith(h, 0, ascii("GIF87a")) || startsWith(h, 0, ascii("GIF89a"))) && h.length >= 10) {
            return Optional.of(GIF);
        }
        if (startsWith(h, 0, ascii("RIFF")) && startsWith(h, 8, ascii("WEBP"))
                && (startsWith(h, 12, ascii("VP8 ")) || startsWith(h, 12, ascii("VP8L")) || startsWith(h, 12, ascii("VP8X")))) {
            return Optional.of(WEBP);
        }
        if (startsWith(h, 0, ascii("%PDF-")) && h.length > 5 && h[5] >= '1' && h[5] <= '9') {
            return Optional.of(PDF);
        }
        return Optional.empty();
    }

    /** The allowed type with this media type, if any. */
    public static Optional<FileType> ofMediaType(String mediaType) {
        for (FileType type : values()) {
            if (type.mediaType.equals(mediaType)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] data, int offset, byte... prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
