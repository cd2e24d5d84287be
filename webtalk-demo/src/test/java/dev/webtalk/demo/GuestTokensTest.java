package dev.webtalk.demo;

import dev.webtalk.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void anIssuedPassNamesItsGuestAndSurvivesARestart() {
        GuestTokens.Issued issued = GuestTokens.inDataDir(dir, CLOCK).issue("Ana");
        assertTrue(issued.user().id().value().startsWith("g-"));
        assertEquals(Optional.of(issued.user()), GuestTokens.inDataDir(dir, CLOCK).verify(issued.token()),
                "the secret is kept in the data directory");
    }

    /** Nodes of a cluster share a data directory and may start at once: they all take one secret. */
    @Test
    void nodesStartingAtOnceOnOneDataDirectoryAllTakeTheSameSecret() throws Exception {
        for (int round = 0; round < 20; round++) {
            java.nio.file.Path shared = dir.resolve("round-" + round);
            java.nio.file.Files.createDirectories(shared);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<GuestTokens>> nodes = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nodes.add(pool.submit(() -> {
                    start.await();
                    return GuestTokens.inDataDir(shared, CLOCK);
                }));
            }
            start.countDown();
            String token = nodes.get(0).get().issue("Ana").token();
            for (java.util.concurrent.Future<GuestTokens> node : nodes) {
                assertTrue(node.get().verify(token).isPresent(), "every node accepts every node's passes");
            }
            pool.shutdown();
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(shared)) {
                assertEquals(java.util.List.of(GuestTokens.SECRET_FILE),
                        files.map(f -> f.getFileName().toString()).toList(), "no draft left behind");
            }
        }
    }

    @Test
    void twoGuestsWithTheSameNameAreDifferentUsers() {
        GuestTokens tokens = GuestTokens.inDataDir(dir, CLOCK);
        Principal first = tokens.issue("Ana").user();
        Principal second = tokens.issue("Ana").user();
        assertNotEquals(first.id(), second.id());
    }

    @Test
    void forgedDamagedExpiredAndForeignPassesAreRejected() throws Exception {
        GuestTokens tokens = GuestTokens.inDataDir(dir, CLOCK);
        String token = tokens.issue("Ana").token();
        String body = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);

        String otherBody = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"id\":\"g-admin\",\"name\":\"Root\",\"exp\":9999999999}".getBytes());
        assertEquals(Optional.empty(), tokens.verify(otherBody + "." + signature), "payload swapped");
        assertEquals(Optional.empty(), tokens.verify(body + ".AAAA"), "signature damaged");
        assertEquals(Optional.empty(), tokens.verify("no-dot-at-all"));
        assertEquals(Optional.empty(), tokens.verify("%%%.###"));

        Clock later = Clock.fixed(NOW.plus(GuestTokens.LIFETIME).plusSeconds(1), ZoneOffset.UTC);
        assertEquals(Optional.empty(), GuestTokens.inDataDir(dir, later).verify(token), "expired");

        Path elsewhere = Files.createDirectory(dir.resolve("other-install"));
        assertEquals(Optional.empty(), GuestTokens.inDataDir(elsewhere, CLOCK).verify(token), "another secret");
    }

    @Test
    void namesAreTrimmedAndBounded() {
        assertEquals(Optional.of("Ana Bo"), GuestTokens.cleanName("  Ana Bo "));
        assertEquals(Optional.of("😀".repeat(20)), GuestTokens.cleanName("😀".repeat(20)), "40 UTF-16 chars");
        assertEquals(Optional.empty(), GuestTokens.cleanName("😀".repeat(21)));
        assertEquals(Optional.empty(), GuestTokens.cleanName("x".repeat(41)));
        assertEquals(Optional.empty(), GuestTokens.cleanName("   "));
        assertEquals(Optional.empty(), GuestTokens.cleanName("Ana\u0000"));
        assertEquals(Optional.empty(), GuestTokens.cleanName("Ana \uD83D"), "an unpaired surrogate");
        assertEquals(Optional.empty(), GuestTokens.cleanName(null));
    }
}
