package dev.webtalk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The jars {@code mvn package} left in a module's {@code target}, for integration tests of the packaging. */
public final class BuiltJars {
    private BuiltJars() {
    }

    /** The one jar in {@code target} named {@code artifactId-<version><suffix>.jar}, e.g. suffix {@code -javadoc}. */
    public static JarFile open(String artifactId, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> found = files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(artifactId + "-") && name.endsWith(suffix + ".jar")
                        && name.substring(artifactId.length() + 1, name.length() - suffix.length() - 4)
                        .matches("\\d[^-]*(-SNAPSHOT)?");
            }).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + artifactId + "-<version>" + suffix + ".jar in target: "
                        + found + " (run through mvn verify, which packages first)");
            }
            return new JarFile(found.get(0).toFile());
        }
    }

    /** The packages a javadoc jar documents: its {@code element-list}, without the module line. */
    public static List<String> documentedPackages(JarFile javadoc) throws IOException {
        var entry = javadoc.getEntry("element-list");
        if (entry == null) {
            throw new AssertionError(javadoc.getName() + " has no element-list");
        }
        String list = new String(javadoc.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        return list.lines().filter(l -> !l.isBlank() && !l.startsWith("module:")).sorted().toList();
    }
}
