package dev.webtalk.internal;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted, slow password hashes with PBKDF2-HMAC-SHA256 from the JDK. The stored form is
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64), so the iteration count can be raised
 * later without breaking existing hashes. Comparison is constant-time. Every hash passes a
 * {@link HashingGate}, so guesses spread over many users cannot take every core.
 */
public final class PasswordHasher {
    /** The default work factor; about 0.1 s on a laptop core, which is what slows guessing. */
    public static final int DEFAULT_ITERATIONS = 120_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final HashingGate gate;
    private final SecureRandom random = new SecureRandom();

    /** Hashes with {@code iterations} rounds, one hash per core at a time ({@link HashingGate#perCore()}). */
    public PasswordHasher(int iterations) {
        this(iterations, HashingGate.perCore());
    }

    public PasswordHasher(int iterations, HashingGate gate) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1");
        }
        this.iterations = iterations;
        this.gate = java.util.Objects.requireNonNull(gate, "gate");
    }

    /**
     * Hashes a password with a fresh salt.
     *
     * @throws dev.webtalk.OverloadedException when too many hashes are running (see {@link HashingGate})
     */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = gate.run(() -> pbkdf2(password, salt, iterations));
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code stored}; a malformed stored hash never matches.
     *
     * @throws dev.webtalk.OverloadedException when too many hashes are running (see {@link HashingGate})
     */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int storedIterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            byte[] actual = gate.run(() -> pbkdf2(password, salt, storedIterations));
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
            java.util.Arrays.fill(chars, '\0');
        }
    }

}
