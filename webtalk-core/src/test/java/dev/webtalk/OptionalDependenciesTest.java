package dev.webtalk;

import dev.webtalk.broker.redis.RedisBroker;
import dev.webtalk.broker.redis.RedisBrokerOptions;
import dev.webtalk.metrics.micrometer.WebTalkMetrics;
import dev.webtalk.store.postgres.PostgresAttachmentStore;
import dev.webtalk.store.postgres.PostgresChatStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Optional dependencies stay optional: only the package that needs one refers to it, so a host without
 * that jar never loads it, and that package's public API names none of its types. Reads the compiled
 * classes' constant pools, where every type a class uses, and every class name it spells out as a
 * string, is written.
 */
class OptionalDependenciesTest {
    private static final String[] LETTUCE = {"io/lettuce/", "io.lettuce.", "io/netty/", "io.netty.", "reactor/core/",
        "reactor.core."};
    private static final String[] POSTGRES = {"org/postgresql/", "org.postgresql.", "com/zaxxer/", "com.zaxxer."};
    private static final String[] MICROMETER = {"io/micrometer/", "io.micrometer."};

    @Test
    void onlyTheRedisBrokerRefersToLettuceAndItsLibraries() throws Exception {
        List<String> referring = classesReferringTo(LETTUCE);
        assertFalse(referring.isEmpty(), "the Redis broker itself should be found");
        assertEquals(List.of(), referring.stream()
                .filter(name -> !name.startsWith("dev/webtalk/broker/redis/"))
                .collect(Collectors.toList()));
    }

    @Test
    void onlyThePostgresStoreRefersToTheDriverAndHikari() throws Exception {
        List<String> referring = classesReferringTo(POSTGRES);
        assertFalse(referring.isEmpty(), "the PostgreSQL store itself should be found");
        assertEquals(List.of(), referring.stream()
                .filter(name -> !name.startsWith("dev/webtalk/store/postgres/"))
                .collect(Collectors.toList()));
    }

    @Test
    void onlyTheMicrometerBinderRefersToMicrometer() throws Exception {
        List<String> referring = classesReferringTo(MICROMETER);
        assertFalse(referring.isEmpty(), "the Micrometer binder itself should be found");
        assertEquals(List.of(), referring.stream()
                .filter(name -> !name.startsWith("dev/webtalk/metrics/micrometer/"))
                .collect(Collectors.toList()));
    }

    @Test
    void theirPublicApiNamesNoneOfTheirTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(PostgresDatabase.class, PostgresDatabase.Options.class, PostgresChatStore.class,
                PostgresAttachmentStore.class, RedisBroker.class, RedisBrokerOptions.class)) {
            List<Executable> members = new ArrayList<>(List.of(type.getConstructors()));
            for (Method m : type.getMethods()) {
                members.add(m);
            }
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                String signature = member.toGenericString();
                for (String dependency : List.of("org.postgresql.", "com.zaxxer.", "io.lettuce.", "io.netty.", "reactor.core.")) {
                    if (signature.contains(dependency)) {
                        leaks.add(type.getSimpleName() + ": " + signature);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
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
