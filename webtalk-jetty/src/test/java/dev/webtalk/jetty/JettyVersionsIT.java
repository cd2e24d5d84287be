package dev.webtalk.jetty;

import dev.webtalk.jetty.support.EmbedMain;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's embed on the oldest and the newest versions WebTalk supports, each in its own JVM: Jetty
 * 12.0 at its floor (with the oldest Jackson and sqlite-jdbc) and the build's own Jetty 12.1; and the two
 * class paths a host gets wrong, a Jetty 12.0/12.1 mix and a Jackson older than 2.15, which must stop at
 * start with a message saying what to align. The other versions' jars are copied to target/compat by
 * this module's pom; everything else comes from this test's class path.
 */
class JettyVersionsIT {
    private static final Path COMPAT = Path.of(System.getProperty("webtalk.compat.dir", "target/compat"));

    @TempDir
    Path dir;

    @Test
    void theFloorsAreTheOnesTheCodeChecks() {
        assertEquals(JettyVersions.FLOOR, System.getProperty("webtalk.it.jetty.floor.version"));
        assertTrue(System.getProperty("webtalk.it.jackson.floor.version").startsWith("2.15."),
                "JacksonVersion.FLOOR is 2.15");
    }

    @Test
    void embedServesChatOnTheOldestSupportedVersions() throws Exception {
        List<Path> classPath = ownClassPath(jar -> isJetty(jar) || isJackson(jar) || isSqlite(jar));
        classPath.addAll(jars("jetty-floor"));
        classPath.addAll(jars("jackson-floor"));
        classPath.addAll(jars("sqlite-floor"));

        try (Child child = Child.start(classPath, dir.resolve("floor.db"))) {
            String ready = child.firstLine();
            assertTrue(ready.startsWith("READY "), ready);
            assertTrue(ready.contains("jetty=" + System.getProperty("webtalk.it.jetty.floor.version")), ready);
            assertTrue(ready.contains("jackson=" + System.getProperty("webtalk.it.jackson.floor.version")), ready);
            chatThrough(child.port());
        }
    }

    @Test
    void embedServesChatOnTheBuildsOwnJetty() throws Exception {
        try (Child child = Child.start(ownClassPath(jar -> false), dir.resolve("current.db"))) {
            String ready = child.firstLine();
            assertTrue(ready.contains("jetty=" + System.getProperty("webtalk.it.jetty.version")), ready);
            chatThrough(child.port());
        }
    }

    /**
     * The class path: a host on Jetty 12.0 that skips Jetty's BOM keeps its 12.0 server and servlet
     * jars, while WebTalk brings the 12.1 WebSocket jars. Without the check every handshake is a 500.
     */
    @Test
    void mixedJettyLinesStopAtStartSayingHowToAlignThem() throws Exception {
        List<Path> hostsJetty = jars("jetty-floor").stream().filter(jar -> !artifactOf(jar).contains("websocket")).toList();
        Set<String> replaced = hostsJetty.stream().map(JettyVersionsIT::artifactOf).collect(Collectors.toSet());
        List<Path> classPath = ownClassPath(jar -> isJetty(jar) && replaced.contains(artifactOf(jar)));
        classPath.addAll(hostsJetty);

        try (Child child = Child.start(classPath, dir.resolve("mixed.db"))) {
            String line = child.firstLine();
            assertTrue(line.startsWith("FAILED java.lang.IllegalStateException: WebTalk found Jetty jars of different"
                    + " release lines"), line);
            assertTrue(line.contains("jetty-server 12.0.") && line.contains("jetty-ee10-websocket-jakarta-server 12.1."),
                    line);
            assertTrue(line.contains("org.eclipse.jetty:jetty-bom"), line);
        }
    }

    @Test
    void aJacksonOlderThan215StopsAtStartSayingHowToAlignIt() throws Exception {
        List<Path> classPath = ownClassPath(JettyVersionsIT::isJackson);
        classPath.addAll(jars("jackson-too-old"));

        try (Child child = Child.start(classPath, dir.resolve("jackson.db"))) {
            String line = child.firstLine();
            assertTrue(line.startsWith("FAILED java.lang.IllegalStateException: WebTalk needs Jackson 2.15 or later,"
                    + " but jackson-core 2.14.3"), line);
            assertTrue(line.contains("com.fasterxml.jackson:jackson-bom"), line);
        }
    }

    /** Creates a room, joins it, posts and reads it back over REST, as the README's browser client would. */
    private static void chatThrough(int port) throws Exception {
        try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=t-ana"), null)) {
            String room = client.ok(frame("create_room").put("name", "Compat")).path("room").path("id").asText();
            client.ok(frame("join").put("room", room));
            assertEquals("Ana", client.ok(frame("send").put("room", room).put("text", "hi"))
                    .path("message").path("author").path("name").asText());
            String rooms = RawHttp.request(port, "GET /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer t-ana\r\nConnection: close\r\n\r\n");
            assertTrue(rooms.startsWith("HTTP/1.1 200") && rooms.contains("\"Compat\""), rooms);
        }
    }

    private static List<Path> ownClassPath(Predicate<String> leaveOut) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !leaveOut.test(entry.replace(File.separatorChar, '/')))
                .map(Path::of)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<Path> jars(String set) throws IOException {
        Path folder = COMPAT.resolve(set);
        assertTrue(Files.isDirectory(folder), folder + " is missing: run through mvn verify, which copies it");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static boolean isJetty(String jar) {
        return jar.contains("/org/eclipse/jetty/");
    }

    private static boolean isJackson(String jar) {
        return jar.contains("/com/fasterxml/jackson/");
    }

    private static boolean isSqlite(String jar) {
        return jar.contains("/org/xerial/sqlite-jdbc/");
    }

    /** {@code jetty-server} of {@code …/jetty-server-12.0.16.jar} or {@code …/jetty-server/12.1.14/jetty-server-12.1.14.jar}. */
    private static String artifactOf(String jar) {
        String name = jar.substring(jar.replace(File.separatorChar, '/').lastIndexOf('/') + 1);
        return name.replaceFirst("-\\d+\\.\\d+\\.\\d+.*\\.jar$", "");
    }

    private static String artifactOf(Path jar) {
        return artifactOf(jar.toString());
    }

    /** A child JVM running {@link EmbedMain}; closing it closes its input, which stops it. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<String> verdict = new CompletableFuture<>();
        private final List<String> before = new CopyOnWriteArrayList<>();

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(List<Path> classPath, Path dbFile) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            return new Child(new ProcessBuilder(java, "-cp", cp, EmbedMain.class.getName(), dbFile.toString())
                    .redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                    if (line.startsWith("READY ") || line.startsWith("FAILED ")) {
                        verdict.complete(line);
                    } else {
                        before.add(line);
                    }
                }
            } catch (IOException e) {
                verdict.completeExceptionally(e);
            }
            verdict.completeExceptionally(new AssertionError("the child ended without READY or FAILED: " + before));
        }

        /** The READY or FAILED line. */
        String firstLine() throws Exception {
            try {
                return verdict.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the child said neither READY nor FAILED in 60 s: " + before, e);
            }
        }

        int port() throws Exception {
            return Integer.parseInt(firstLine().split(" ")[1]);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
