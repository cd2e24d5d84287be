package dev.webtalk.jetty;

import dev.webtalk.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pins webtalk-jetty's API: {@code dev.webtalk.jetty} only, with no internal type in its signatures. */
class ApiSurfaceTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void publicTypesLiveInTheDocumentedPackage() throws Exception {
        assertEquals(Set.of("dev.webtalk.jetty", "dev.webtalk.jetty.internal"), ApiSurface.of(CLASSES).packages());
    }

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        assertEquals(List.of(), ApiSurface.of(CLASSES).leaksOfInternalTypes());
    }
}
