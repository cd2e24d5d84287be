package dev.webtalk;

import dev.webtalk.testing.BuiltJars;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What webtalk-core publishes: a jar with a stable module name, a sources jar, and a Javadoc jar of the
 * API packages only (README, "API") — no internal package, none of the protocol codec's classes.
 */
class PackagingIT {

    @Test
    void theJarNamesItsModule() throws Exception {
        try (JarFile jar = BuiltJars.open("webtalk-core", "")) {
            assertEquals("dev.webtalk", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
        try (JarFile testKit = BuiltJars.open("webtalk-core", "-tests")) {
            assertEquals("dev.webtalk.testing",
                    testKit.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }

    @Test
    void sourcesArePublished() throws Exception {
        try (JarFile sources = BuiltJars.open("webtalk-core", "-sources")) {
            assertNotNull(sources.getEntry("dev/webtalk/WebTalk.java"));
            assertNotNull(sources.getEntry("dev/webtalk/internal/Engine.java"));
        }
    }

    @Test
    void javadocDocumentsTheApiPackagesOnly() throws Exception {
        try (JarFile javadoc = BuiltJars.open("webtalk-core", "-javadoc")) {
            assertEquals(List.of("dev.webtalk", "dev.webtalk.broker.redis", "dev.webtalk.filter",
                            "dev.webtalk.metrics.micrometer", "dev.webtalk.protocol", "dev.webtalk.spi", "dev.webtalk.store.fs", "dev.webtalk.store.memory",
                            "dev.webtalk.store.postgres", "dev.webtalk.store.sqlite"),
                    BuiltJars.documentedPackages(javadoc));
            List<String> pages = javadoc.stream().map(e -> e.getName()).toList();
            assertTrue(pages.stream().anyMatch(p -> p.endsWith("dev/webtalk/Limits.Builder.html")), "Limits.Builder");
            assertTrue(pages.stream().anyMatch(p -> p.endsWith("dev/webtalk/protocol/ErrorCode.html")), "ErrorCode");
            // @hidden keeps the codec's own pages out; JDK 17's javadoc still writes pages for the nested
            // types of a hidden type (ClientFrame.Join, ...), which this does not pin.
            List<String> hidden = pages.stream().filter(p -> p.endsWith("/ProtocolCodec.html")
                    || p.endsWith("/ClientFrame.html") || p.endsWith("/MessageContext.html")
                    || p.endsWith("/InternalErrors.html") || p.contains("/internal/")).filter(p -> !p.contains("/class-use/")).toList();
            assertEquals(List.of(), hidden, "pages of what is not API");
        }
    }
}
