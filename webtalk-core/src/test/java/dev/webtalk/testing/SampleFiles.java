package dev.webtalk.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Heads of real file formats, padded to a given size, for upload tests. */
public final class SampleFiles {
    private SampleFiles() {
    }

    public static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
            0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
    public static final byte[] JPEG_HEAD = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    public static final byte[] GIF_HEAD = ascii("GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000");
    public static final byte[] WEBP_HEAD = ascii("RIFF\u0024\u0000\u0000\u0000WEBPVP8 \u0018\u0000\u0000\u0000");
    public static final byte[] PDF_HEAD = ascii("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n");
    public static final byte[] SVG = ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
    public static final byte[] HTML = ascii("<!doctype html><html><script>alert(1)</script></html>");

    /** {@code head} followed by filler bytes up to {@code size}. */
    public static byte[] padded(byte[] head, int size) {
        byte[] file = Arrays.copyOf(head, Math.max(size, head.length));
        for (int i = head.length; i < file.length; i++) {
            file[i] = (byte) (i * 31);
        }
        return file;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
