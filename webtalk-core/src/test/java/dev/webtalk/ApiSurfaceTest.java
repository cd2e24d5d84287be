package dev.webtalk;

import dev.webtalk.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins webtalk-core's API: the packages with public types (README, "API"), and no public signature outside
 * {@code dev.webtalk.internal} that names an internal type. A new public package, or an internal type
 * escaping into the API, fails here until it is a decision.
 */
class ApiSurfaceTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void publicTypesLiveInTheDocumentedPackages() throws Exception {
        assertEquals(Set.of("dev.webtalk", "dev.webtalk.broker.redis", "dev.webtalk.filter", "dev.webtalk.protocol",
                        "dev.webtalk.metrics.micrometer", "dev.webtalk.spi", "dev.webtalk.store.fs", "dev.webtalk.store.memory",
                        "dev.webtalk.store.postgres", "dev.webtalk.store.sqlite", "dev.webtalk.internal"),
                ApiSurface.of(CLASSES).packages());
    }

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        assertEquals(List.of(), ApiSurface.of(CLASSES).leaksOfInternalTypes());
    }
}
