package dev.webtalk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Optional dependencies stay optional: only the package that needs one refers to it, so a host without
 * that jar never loads it. Reads the compiled classes' constant pools, where every type a class uses, and
 * every class name it spells out as a string, is written.
 */
class OptionalDependenciesTest {

    @Test
    void onlyTheRedisBrokerRefersToLettuceAndItsLibraries() throws Exception {
        List<String> referring = classesReferringTo("io/lettuce/", "io.lettuce.", "io/netty/", "io.netty.",
                "reactor/core/", "reactor.core.");
        assertFalse(referring.isEmpty(), "the Redis broker itself should be found");
        assertEquals(List.of(), referring.stream()
                .filter(name -> !name.startsWith("dev/webtalk/broker/redis/"))
                .collect(Collectors.toList()));
    }

    private static List<String> classesReferringTo(String... names) throws URISyntaxException, IOException {
        Path classes = Path.of(WebTalk.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> refersTo(file, names))
                    .map(file -> classes.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static boolean refersTo(Path classFile, String... names) {
        try {
            // Constant-pool names are modified UTF-8, which equals ISO-8859-1 for these ASCII needles.
            String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return Stream.of(names).anyMatch(text::contains);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
