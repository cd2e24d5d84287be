package dev.webtalk;

import dev.webtalk.store.postgres.PostgresAttachmentStore;
import dev.webtalk.store.postgres.PostgresChatStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL driver and HikariCP are optional dependencies: a host on SQLite does not have them, so
 * no class outside dev.webtalk.store.postgres may use them, and that package's public API names neither.
 */
class OptionalDependenciesTest {
    private static final List<String> OPTIONAL = List.of("org.postgresql", "com.zaxxer");

    @Test
    void onlyThePostgresPackageUsesThem() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the module directory: " + Path.of("").toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (file.startsWith(sources.resolve("dev/webtalk/store/postgres"))) {
                    continue;
                }
                String text = Files.readString(file);
                for (String dependency : OPTIONAL) {
                    if (text.contains(dependency + ".")) {
                        offenders.add(sources.relativize(file) + " uses " + dependency);
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void thePostgresApiNamesNeither() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(PostgresDatabase.class, PostgresDatabase.Options.class, PostgresChatStore.class,
                PostgresAttachmentStore.class)) {
            List<Executable> members = new ArrayList<>(List.of(type.getConstructors()));
            for (Method m : type.getMethods()) {
                members.add(m);
            }
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                String signature = member.toGenericString();
                for (String dependency : OPTIONAL) {
                    if (signature.contains(dependency + ".")) {
                        leaks.add(type.getSimpleName() + ": " + signature);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }
}
