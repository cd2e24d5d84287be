package dev.webtalk;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is speaking on a connection. The host application supplies it when the transport authenticates
 * the handshake; the engine never trusts a name or id sent inside a message.
 *
 * @param id stable user id
 * @param displayName name shown to others (trimmed, 1..{@value #MAX_NAME_CHARS} characters)
 * @param roles global roles, e.g. {@link GlobalRole#ADMIN}
 */
public record Principal(UserId id, String displayName, Set<GlobalRole> roles) {
    /** Longest display name accepted. */
    public static final int MAX_NAME_CHARS = 40;

    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        displayName = displayName.strip();
        if (displayName.isEmpty() || displayName.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("display name must be 1.." + MAX_NAME_CHARS + " characters");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** A user with no global role. */
    public static Principal user(String id, String displayName) {
        return new Principal(UserId.of(id), displayName, Set.of());
    }

    /** A user with the {@link GlobalRole#ADMIN} role. */
    public static Principal admin(String id, String displayName) {
        return new Principal(UserId.of(id), displayName, Set.of(GlobalRole.ADMIN));
    }

    public boolean isAdmin() {
        return roles.contains(GlobalRole.ADMIN);
    }
}
