package dev.webtalk.internal;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void hashingPastTheGateIsRefusedOverloadedNotQueuedOnTheCpu() throws Exception {
        HashingGate gate = new HashingGate(1, java.time.Duration.ofMillis(50));
        PasswordHasher gated = new PasswordHasher(1000, gate);
        String stored = gated.hash("pw");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Void> holder = HashingGateTest.holdATurn(gate, release);

        assertThrows(dev.webtalk.OverloadedException.class, () -> gated.verify("pw", stored));
        assertThrows(dev.webtalk.OverloadedException.class, () -> gated.hash("other"));

        release.countDown();
        holder.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(gated.verify("pw", stored));
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = hasher.hash("correct horse");

        assertTrue(hasher.verify("correct horse", stored));
        assertFalse(hasher.verify("correct horse ", stored));
        assertFalse(hasher.verify("Correct horse", stored));
        assertFalse(hasher.verify("", stored));
        assertFalse(hasher.verify(null, stored));
        assertFalse(hasher.verify("correct horse", null));
    }

    @Test
    void storesAlgorithmIterationsSaltAndHash() {
        String[] parts = hasher.hash("pw").split("\\$");

        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    }

    @Test
    void saltsEveryHashDifferently() {
        String a = hasher.hash("same");
        String b = hasher.hash("same");

        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2]);
        assertTrue(hasher.verify("same", a));
        assertTrue(hasher.verify("same", b));
    }

    @Test
    void verifiesWithTheIterationsStoredInTheHash() {
        String old = new PasswordHasher(500).hash("pw");

        assertTrue(hasher.verify("pw", old));
        assertFalse(hasher.verify("pw", old.replace("$500$", "$501$")));
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        String good = hasher.hash("pw");
        String[] parts = good.split("\\$");

        for (String bad : new String[] {
                "", "pw", "plain$1000$abc$def", "pbkdf2-sha256$1000$" + parts[2],
                "pbkdf2-sha256$x$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$-5$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$1000$!!$" + parts[3],
                "pbkdf2-sha256$1000$$" + parts[3],
                good + "$extra"}) {
            assertFalse(hasher.verify("pw", bad), bad);
        }
    }

    @Test
    void unicodePasswordsWork() {
        String stored = hasher.hash("pässwörd-密码-\uD83D\uDD11");

        assertTrue(hasher.verify("pässwörd-密码-\uD83D\uDD11", stored));
        assertFalse(hasher.verify("passwort-密码-\uD83D\uDD11", stored));
    }

    @Test
    void rejectsANonPositiveWorkFactor() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0));
    }
}
