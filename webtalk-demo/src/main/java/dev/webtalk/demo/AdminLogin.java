package dev.webtalk.demo;

import dev.webtalk.OverloadedException;
import dev.webtalk.Principal;
import dev.webtalk.jetty.AuthRequest;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.HostSession;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The demo's admin sign-in: one password (kept only as a salted PBKDF2 hash), server-side sessions
 * named by an HttpOnly cookie, a CSRF token per session, and a per-address limit on login attempts.
 *
 * <p>Sessions live in the {@link ChatStore} ({@link HostSession}), under the SHA-256 of the cookie
 * value (reading the store hands out no live cookie): every node of a cluster sharing the store accepts
 * a session any node started, and ends it when any node logs it out, so a load balancer need not keep
 * an admin on one node. Every node must be given the same admin password. Sessions survive a restart.
 *
 * <p>The hash is computed on a daemon thread started by the constructor, not on the caller's: 120,000
 * PBKDF2 rounds take about half a second of a core, which would otherwise hold up the server's start.
 * The password's characters are kept only until that thread has hashed them (then overwritten); a
 * login that arrives earlier waits for the hash.
 *
 * <p>The session cookie is accepted only for {@code /api/admin/…} and, for any method but GET and
 * HEAD, only together with the session's token in the {@value #CSRF_HEADER} header: a page on another
 * site can make the browser send the cookie, but cannot read the token (it is only ever in a login
 * answer), so it cannot change anything.
 *
 * <p>Login attempts are limited per address, but guesses from many addresses would still each cost half
 * a second of a core; so at most one login per core hashes at a time, a login waits up to
 * {@link #HASH_WAIT} for a turn, and is then refused with {@link OverloadedException} (the servlet answers
 * {@code 503 overloaded}), whatever the address. Thread-safe.
 */
public final class AdminLogin {
    /** The session cookie's name. */
    public static final String COOKIE = "webtalk_admin";
    /** The header that must carry the session's CSRF token on state-changing requests. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** How long a session lasts after login. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** Login attempts allowed per remote address within {@link #ATTEMPT_WINDOW}. */
    public static final int MAX_ATTEMPTS = 5;
    public static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(1);
    static final String ADMIN_PATH = "/api/admin/";
    static final int ITERATIONS = 120_000;
    /** How long a login waits for a hashing turn before it is refused. */
    static final Duration HASH_WAIT = Duration.ofSeconds(1);
    private static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final Principal ADMIN = Principal.admin("admin", "Admin");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] salt;
    private final CompletableFuture<byte[]> hash;
    private final int iterations;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ChatStore sessions;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();
    /** Turns to hash a login's password, shared by every address; one per core. */
    private final Semaphore hashTurns = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    /** A new session: the cookie value and the CSRF token the login answer returns. */
    public record Issued(String sessionId, String csrfToken) {
    }

    AdminLogin(String password, ChatStore sessions, Clock clock, int iterations) {
        Objects.requireNonNull(password, "password");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.iterations = iterations;
        this.salt = new byte[16];
        random.nextBytes(salt);
        char[] chars = password.toCharArray();
        this.hash = new CompletableFuture<>();
        Thread hasher = new Thread(() -> {
            try {
                hash.complete(pbkdf2(chars, salt, iterations));
            } catch (Throwable e) {
                hash.completeExceptionally(e);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }, "webtalk-admin-hash");
        hasher.setDaemon(true);
        hasher.start();
    }

    /**
     * Hashes {@code password} in the background (see the class comment); the plain text is not kept.
     * Sessions are kept in {@code sessions}, the store the chat engine uses.
     */
    public static AdminLogin withPassword(String password, ChatStore sessions, Clock clock) {
        return new AdminLogin(password, sessions, clock, ITERATIONS);
    }

    /** A random password of 20 URL-safe characters, for when none was configured. */
    public static String generatePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /**
     * Counts a login attempt from {@code address}; false when it already made {@link #MAX_ATTEMPTS}
     * within the last {@link #ATTEMPT_WINDOW} (the refused attempt is not counted).
     */
    public boolean tryAttempt(String address) {
        Instant now = clock.instant();
        if (attempts.size() > MAX_TRACKED_ADDRESSES) {
            attempts.values().removeIf(q -> isOld(q, now));
        }
        boolean[] allowed = {false};
        attempts.compute(address, (k, q) -> {
            Deque<Instant> recent = q == null ? new ArrayDeque<>() : q;
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(ATTEMPT_WINDOW))) {
                recent.removeFirst();
            }
            if (recent.size() < MAX_ATTEMPTS) {
                recent.addLast(now);
                allowed[0] = true;
            }
            return recent;
        });
        return allowed[0];
    }

    private static boolean isOld(Deque<Instant> q, Instant now) {
        synchronized (q) {
            Instant last = q.peekLast();
            return last == null || !last.isAfter(now.minus(ATTEMPT_WINDOW));
        }
    }

    /**
     * Starts a session when {@code password} is right. Compares in constant time.
     *
     * @throws OverloadedException when no hashing turn came free within {@link #HASH_WAIT}
     */
    public Optional<Issued> login(String password) {
        if (password == null || password.length() > 1024
                || !MessageDigest.isEqual(hash.join(), hashInTurn(password))) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        sessions.deleteHostSessionsExpiredBy(now);
        Issued issued = new Issued(token(), token());
        sessions.putHostSession(new HostSession(key(issued.sessionId()), issued.csrfToken(), now.plus(SESSION_LIFETIME)));
        return Optional.of(issued);
    }

    /** Ends the session named by the cookie if the CSRF token matches; true when one ended. */
    public boolean logout(AuthRequest request) {
        Optional<String> id = request.cookie(COOKIE);
        if (id.isEmpty() || session(id.get()).filter(s -> csrfMatches(s, request)).isEmpty()) {
            return false;
        }
        return sessions.deleteHostSession(key(id.get()));
    }

    /**
     * The admin, for a request to {@code /api/admin/…} with a live session cookie (and, unless it is a
     * GET or HEAD, the session's CSRF token in {@value #CSRF_HEADER}); empty for anything else.
     */
    public Optional<Principal> authenticate(AuthRequest request) {
        // AuthRequest.path() is the routed path: /api/admin/../rooms is /api/rooms, and gets no admin.
        if (!request.path().map(p -> p.startsWith(ADMIN_PATH)).orElse(false)) {
            return Optional.empty();
        }
        Optional<HostSession> session = request.cookie(COOKIE).flatMap(this::session);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        String method = request.method().orElse("");
        boolean safe = method.equals("GET") || method.equals("HEAD");
        return safe || csrfMatches(session.get(), request) ? Optional.of(ADMIN) : Optional.empty();
    }

    private Optional<HostSession> session(String id) {
        if (id.isEmpty() || id.length() > 100) { // ours are 43 characters; do not hash a megabyte
            return Optional.empty();
        }
        return sessions.hostSession(key(id)).filter(s -> s.expires().isAfter(clock.instant()));
    }

    /** What the store knows a session by: a digest of the cookie value, not the value itself. */
    private static String key(String sessionId) {
        try {
            return "admin:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sessionId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static boolean csrfMatches(HostSession session, AuthRequest request) {
        return request.header(CSRF_HEADER)
                .map(h -> MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8),
                        session.csrfToken().getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    private byte[] hashInTurn(String password) {
        boolean turn;
        try {
            turn = hashTurns.tryAcquire(HASH_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            throw new OverloadedException("Too many admin logins at once; retry in a moment");
        }
        try {
            return pbkdf2(password.toCharArray(), salt, iterations);
        } finally {
            hashTurns.release();
        }
    }

    /** The hashing turns, for tests that need them all taken. */
    Semaphore hashTurns() {
        return hashTurns;
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        }
    }
}
