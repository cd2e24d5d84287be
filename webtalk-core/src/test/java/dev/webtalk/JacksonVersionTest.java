package dev.webtalk;

import com.fasterxml.jackson.core.Version;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JacksonVersionTest {

    @Test
    void aJacksonOlderThan215IsRefusedWithWhatToDo() {
        String message = JacksonVersion.tooOld("jackson-databind", version(2, 14, 3), " (file:/app/lib/x.jar)")
                .orElseThrow();
        assertEquals("WebTalk needs Jackson 2.15 or later, but jackson-databind 2.14.3 is on the class path"
                + " (file:/app/lib/x.jar). Align Jackson by importing com.fasterxml.jackson:jackson-bom (2.15 or"
                + " later) in your dependencyManagement: see WebTalk's README, \"Versions\".", message);
        assertTrue(JacksonVersion.tooOld("jackson-core", version(1, 99, 0), "").isPresent());
    }

    @Test
    void jackson215AndLaterAreAccepted() {
        assertTrue(JacksonVersion.tooOld("jackson-core", version(2, 15, 0), "").isEmpty());
        assertTrue(JacksonVersion.tooOld("jackson-core", version(2, 20, 1), "").isEmpty());
        assertTrue(JacksonVersion.tooOld("jackson-core", version(3, 0, 0), "").isEmpty());
    }

    @Test
    void theBuildsOwnJacksonPasses() {
        assertDoesNotThrow(JacksonVersion::require);
    }

    private static Version version(int major, int minor, int patch) {
        return new Version(major, minor, patch, null, "com.fasterxml.jackson.core", "jackson-databind");
    }
}
