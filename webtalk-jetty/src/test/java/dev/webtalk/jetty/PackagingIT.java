package dev.webtalk.jetty;

import dev.webtalk.testing.BuiltJars;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** What webtalk-jetty publishes: a module name, sources, and Javadoc of {@code dev.webtalk.jetty} alone. */
class PackagingIT {

    @Test
    void jarsNameTheModuleAndDocumentTheApiOnly() throws Exception {
        try (JarFile jar = BuiltJars.open("webtalk-jetty", "")) {
            assertEquals("dev.webtalk.jetty", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
        try (JarFile sources = BuiltJars.open("webtalk-jetty", "-sources")) {
            assertNotNull(sources.getEntry("dev/webtalk/jetty/WebTalkJetty.java"));
        }
        try (JarFile javadoc = BuiltJars.open("webtalk-jetty", "-javadoc")) {
            assertEquals(List.of("dev.webtalk.jetty"), BuiltJars.documentedPackages(javadoc));
        }
    }
}
