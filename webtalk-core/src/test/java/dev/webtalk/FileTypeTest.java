package dev.webtalk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.webtalk.testing.SampleFiles.GIF_HEAD;
import static dev.webtalk.testing.SampleFiles.HTML;
import static dev.webtalk.testing.SampleFiles.JPEG_HEAD;
import static dev.webtalk.testing.SampleFiles.PDF_HEAD;
import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.SVG;
import static dev.webtalk.testing.SampleFiles.WEBP_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Only the leading bytes decide a file's type; anything not on the allow-list is refused. */
class FileTypeTest {

    static Stream<Arguments> allowed() {
        return Stream.of(
                Arguments.of(JPEG_HEAD, FileType.JPEG, "image/jpeg"),
                Arguments.of(PNG_HEAD, FileType.PNG, "image/png"),
                Arguments.of(GIF_HEAD, FileType.GIF, "image/gif"),
                Arguments.of(ascii("GIF87a\u0001\u0000\u0001\u0000\u0000\u0000"), FileType.GIF, "image/gif"),
                Arguments.of(WEBP_HEAD, FileType.WEBP, "image/webp"),
                Arguments.of(ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8L\u0000"), FileType.WEBP, "image/webp"),
                Arguments.of(ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8X\u0000"), FileType.WEBP, "image/webp"),
                Arguments.of(PDF_HEAD, FileType.PDF, "application/pdf"));
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void eachAllowedTypeIsRecognisedByItsHead(byte[] head, FileType type, String mediaType) {
        assertEquals(Optional.of(type), FileType.detect(head));
        assertEquals(Optional.of(type), FileType.detect(padded(head, 4096)));
        assertEquals(mediaType, type.mediaType());
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void aTruncatedHeadIsRefusedNotGuessed(byte[] head, FileType type, String mediaType) {
        // Every allowed head needs at least 4 bytes; cut each one short of what its check reads.
        int needed = switch (type) {
            case JPEG -> 4;
            case PNG, WEBP -> 16;
            case GIF -> 10;
            case PDF -> 6;
        };
        assertEquals(Optional.empty(), FileType.detect(Arrays.copyOf(head, needed - 1)));
        assertEquals(Optional.empty(), FileType.detect(new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "<!-- comment --><svg/>",
            "\u00ef\u00bb\u00bf<?xml version=\"1.0\"?><svg/>",
            "BM\u0036\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0036\u0000",   // BMP
            "II*\u0000\u0008\u0000\u0000\u0000",                           // TIFF
            "PK\u0003\u0004\u0014\u0000\u0006\u0000",                         // ZIP / docx
            "MZ\u0090\u0000\u0003\u0000\u0000\u0000",                         // Windows executable
            "RIFF\u0024\u0000\u0000\u0000WAVEfmt ",                        // RIFF, but audio
            "%PDF-x.7",                                                    // no version digit
            "GIF88a\u0001\u0000\u0001\u0000",                                // no such GIF version
            "just some text that claims to be .png"})
    void everythingElseIsRefused(String content) {
        assertEquals(Optional.empty(), FileType.detect(padded(ascii(content), 64)));
    }

    @Test
    void svgAndHtmlAreRefusedWhateverTheyAreCalled() {
        // The name and claimed type never reach detect(): only bytes do. SVG and HTML can carry script.
        assertEquals(Optional.empty(), FileType.detect(SVG));
        assertEquals(Optional.empty(), FileType.detect(HTML));
    }

    @Test
    void aPngSignatureWithoutItsHeaderChunkIsRefused() {
        byte[] fake = Arrays.copyOf(PNG_HEAD, 16);
        fake[12] = 'i';
        assertEquals(Optional.empty(), FileType.detect(fake));
    }

    @Test
    void mediaTypesMapBack() {
        for (FileType type : FileType.values()) {
            assertEquals(Optional.of(type), FileType.ofMediaType(type.mediaType()));
        }
        assertEquals(Optional.empty(), FileType.ofMediaType("image/svg+xml"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
