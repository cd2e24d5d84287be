package dev.webtalk.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in session of the host application (for example an admin panel's login), kept in the
 * {@link ChatStore} so that every node sharing the store accepts it: behind a load balancer without
 * sticky sessions, a request may reach any node. WebTalk itself never reads these.
 *
 * @param key what the host looks the session up by; store a digest of the secret the client holds, not
 *     the secret itself, so that reading the store does not hand out live sessions (at most 128 characters)
 * @param csrfToken the token the host expects with state-changing requests of the session
 * @param expires when the session ends; a store may delete it from then on
 */
public record HostSession(String key, String csrfToken, Instant expires) {
    /** The longest key a store must accept. */
    public static final int MAX_KEY_CHARS = 128;

    public HostSession {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(expires, "expires");
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a session key has 1 to " + MAX_KEY_CHARS + " characters");
        }
    }
}
