package dev.webtalk.readme;

import dev.webtalk.testing.ReadmeBlocks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README.md shows exactly the test-kit example that compiles and passes here, with working coordinates. */
class ReadmeExamplesTest {
    @Test
    void theTestKitExampleIsWelcomeTestVerbatim() {
        String source = ReadmeBlocks.withoutPackage(Path.of("src/test/java/dev/webtalk/readme/WelcomeTest.java"));
        assertEquals(source, ReadmeBlocks.load().only("java", "class WelcomeTest"));
    }

    @Test
    void theTestKitCoordinatesNameTheTestJarOfThisVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(version.find());
        String coordinates = ReadmeBlocks.load().only("xml", "<type>test-jar</type>");
        for (String line : new String[] {"<groupId>dev.webtalk</groupId>", "<artifactId>webtalk-core</artifactId>",
                "<version>" + version.group(1) + "</version>", "<scope>test</scope>"}) {
            assertTrue(coordinates.contains(line), line + " in\n" + coordinates);
        }
    }
}
