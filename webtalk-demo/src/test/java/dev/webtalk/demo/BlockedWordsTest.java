package dev.webtalk.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The demo's word list: one word per line, comments and blank lines ignored, no file means no words. */
class BlockedWordsTest {
    @TempDir
    Path dir;

    @Test
    void readsOneWordPerLineWithoutCommentsOrBlanks() throws Exception {
        Path file = Files.writeString(dir.resolve(DemoServer.BLOCKED_WORDS_FILE),
                "# words the demo masks\ndarn\n\n  heck  # mild\nÄrger\n");
        assertEquals(List.of("darn", "heck", "Ärger"), DemoServer.blockedWords(file));
    }

    @Test
    void aMissingFileBlocksNothing() {
        assertEquals(List.of(), DemoServer.blockedWords(dir.resolve("absent.txt")));
    }
}
