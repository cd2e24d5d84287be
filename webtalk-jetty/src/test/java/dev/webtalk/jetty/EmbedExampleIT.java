package dev.webtalk.jetty;

import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.jetty.readme.ChatServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.ReadmeBlocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "embed it in your app" example of README.md: the README shows exactly {@link ChatServer}, its Maven
 * coordinates name this version, and, run as its own JVM, it stops cleanly on SIGTERM by itself.
 */
class EmbedExampleIT {
    private static final Pattern STARTED = Pattern.compile("Started oejs\\.ServerConnector.*:(\\d+)}");

    @TempDir
    Path dir;
    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void theReadmeShowsExactlyTheExampleThatCompiles() {
        String source = ReadmeBlocks.withoutPackage(Path.of("src/test/java/dev/webtalk/jetty/readme/ChatServer.java"));
        assertEquals(source, ReadmeBlocks.load().only("java", "public final class ChatServer"));
    }

    @Test
    void theReadmeCoordinatesNameThisVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(version.find());
        String coordinates = ReadmeBlocks.load().only("xml", "<artifactId>webtalk-jetty</artifactId>");
        assertTrue(coordinates.contains("<groupId>dev.webtalk</groupId>"), coordinates);
        assertTrue(coordinates.contains("<version>" + version.group(1) + "</version>"), coordinates);
    }

    @Test
    void onSigtermClientsGet1001AndEveryAcknowledgedMessageIsInTheDatabase() throws Exception {
        Path db = dir.resolve("chat.db");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ChatServer.class.getName(), "0", db.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = awaitPort(log);

        String room;
        try (WsClient ana = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=token-ana"), null)) {
            room = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));
            for (int i = 1; i <= 15; i++) { // within the default burst of 20 messages
                ana.ok(frame("send").put("room", room).put("text", "m" + i)); // acknowledged: stored
            }

            ana.ok(frame("mark_read").put("room", room).put("seq", 1));
            ana.ok(frame("mark_read").put("room", room).put("seq", 15)); // held about a second before it is written

            child.destroy(); // SIGTERM

            assertEquals(CloseCodes.GOING_AWAY, ana.awaitClose().getCloseCode().getCode(), read(log));
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the example exits by itself");
        try (SqliteChatStore reopened = SqliteChatStore.open(db)) {
            assertEquals(15, reopened.lastSeq(RoomId.of(room)), read(log));
            assertEquals(15, reopened.readSeq(RoomId.of(room), UserId.of("u-1")), "the engine closed: markers flushed");
        }
    }

    /** The port of the connector the child logged as started, read from its log within 60 s. */
    private int awaitPort(Path log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && child.isAlive()) {
            Matcher started = STARTED.matcher(read(log));
            if (started.find()) {
                return Integer.parseInt(started.group(1));
            }
            Thread.sleep(50); // polling the child's log, not timing anything
        }
        throw new AssertionError("the example did not start:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
