package dev.webtalk.jetty;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JettyVersionsTest {

    @Test
    void twoReleaseLinesAreRefusedNamingTheJars() {
        String message = JettyVersions.mixedLines(Map.of(
                "jetty-server", "12.0.16", "jetty-util", "12.0.16",
                "jetty-ee10-servlet", "12.1.14", "jetty-ee10-websocket-jakarta-server", "12.1.14")).orElseThrow();
        assertTrue(message.contains("12.0=[") && message.contains("12.1=["), message);
        assertTrue(message.contains("jetty-server 12.0.16"), message);
        assertTrue(message.contains("jetty-ee10-servlet 12.1.14"), message);
        assertTrue(message.contains("org.eclipse.jetty:jetty-bom"), message);
    }

    @Test
    void oneLineIsAcceptedEvenAcrossReleases() {
        assertTrue(JettyVersions.mixedLines(Map.of("jetty-server", "12.1.14", "jetty-util", "12.1.14")).isEmpty());
        assertTrue(JettyVersions.mixedLines(Map.of("jetty-server", "12.0.16", "jetty-util", "12.0.34")).isEmpty());
        assertTrue(JettyVersions.mixedLines(Map.of()).isEmpty());
    }

    @Test
    void versionsCompareByNumber() {
        assertTrue(JettyVersions.compare("12.0.9", "12.0.16") < 0);
        assertTrue(JettyVersions.compare("12.1.0", "12.0.16") > 0);
        assertTrue(JettyVersions.compare("12.0.16", "12.0.16") == 0);
    }

    @Test
    void theBuildsOwnJettyIsAligned() {
        assertDoesNotThrow(() -> JettyVersions.requireAligned(getClass().getClassLoader()));
    }
}
