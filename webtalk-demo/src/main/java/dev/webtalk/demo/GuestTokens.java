package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.Principal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signed guest passes for the demo: a visitor picks a display name and gets a token
 * ({@code payload.signature}, HMAC-SHA256) that the REST API and the WebSocket handshake accept.
 * The secret lives in the data directory, so tokens survive restarts and differ per installation.
 * Names are display names only; each pass carries its own random user id.
 */
public final class GuestTokens {
    /** How long a pass stays valid. */
    public static final Duration LIFETIME = Duration.ofDays(30);
    static final String SECRET_FILE = "guest-token.secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    GuestTokens(byte[] secret, Clock clock) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = clock;
    }

    /** Loads the secret from {@code dataDir}, creating a random one (owner-only permissions) the first time. */
    public static GuestTokens inDataDir(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(SECRET_FILE);
        try {
            if (!Files.exists(file)) {
                createSecret(file);
            }
            byte[] secret = B64D.decode(Files.readString(file).trim());
            if (secret.length < 32) {
                throw new IllegalStateException("guest token secret in " + file + " is too short; delete it to regenerate");
            }
            return new GuestTokens(secret, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /**
     * Writes a new random secret to {@code file} unless one appears there meanwhile: written whole to a
     * file of its own, then linked into place, which fails if the name is taken. Nodes of a cluster that
     * share a data directory and start at once all end up with the one secret that won.
     */
    private static void createSecret(Path file) throws IOException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Path draft;
        try {
            draft = Files.createTempFile(file.getParent(), SECRET_FILE, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            draft = Files.createTempFile(file.getParent(), SECRET_FILE, ".new");
        }
        try {
            Files.writeString(draft, B64.encodeToString(fresh));
            Files.createLink(file, draft);
        } catch (FileAlreadyExistsException takenMeanwhile) {
            // another node wrote it first: use theirs
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    /** A clean display name, or empty when {@code raw} is blank, too long or has control characters. */
    public static Optional<String> cleanName(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String name = raw.strip();
        if (name.isEmpty() || name.length() > Principal.MAX_NAME_CHARS
                || name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** Issues a pass for a new guest user; {@code name} must already be {@linkplain #cleanName clean}. */
    public Issued issue(String name) {
        byte[] id = new byte[6];
        random.nextBytes(id);
        Principal user = Principal.user("g-" + HexFormat.of().formatHex(id), name);
        ObjectNode payload = JSON.createObjectNode()
                .put("id", user.id().value())
                .put("name", name)
                .put("exp", clock.instant().plus(LIFETIME).getEpochSecond());
        String body = B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return new Issued(body + "." + B64.encodeToString(mac(body)), user);
    }

    /** The guest a pass names, or empty for a forged, damaged or expired pass. */
    public Optional<Principal> verify(String token) {
        int dot = token.indexOf('.');
        if (dot < 1 || token.length() > 1024) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        try {
            byte[] signature = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(body))) {
                return Optional.empty();
            }
            JsonNode payload = JSON.readTree(B64D.decode(body));
            if (Instant.ofEpochSecond(payload.path("exp").asLong()).isBefore(clock.instant())) {
                return Optional.empty();
            }
            return cleanName(payload.path("name").asText(null))
                    .map(name -> Principal.user(payload.path("id").asText(), name));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** A freshly issued pass and the user it names. */
    public record Issued(String token, Principal user) {
    }
}
