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
    /** The display name of {@link #system()}. */
    public static final String SYSTEM_NAME = "Server";

    private static final Principal SYSTEM = new Principal(WebTalk.SYSTEM_USER, SYSTEM_NAME, Set.of(GlobalRole.ADMIN));

    /**
     * @throws IllegalArgumentException for a bad display name, or for the id {@link WebTalk#SYSTEM_USER}
     *     on anything but {@link #system()}: no user may pass for the server
     */
    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        displayName = displayName.strip();
        if (displayName.isEmpty() || displayName.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("display name must be 1.." + MAX_NAME_CHARS + " characters");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        if (id.equals(WebTalk.SYSTEM_USER)
                && !(displayName.equals(SYSTEM_NAME) && roles.equals(Set.of(GlobalRole.ADMIN)))) {
            throw new IllegalArgumentException("the user id " + id.value() + " is reserved for Principal.system()");
        }
    }

    /**
     * The server itself, for host code that acts on its own account: reading any room's history, creating
     * rooms, posting, moderating. It passes every permission check the way an admin does, but it is no
     * user: it never becomes a member (a room it creates has no member and no owner among its members;
     * {@link Room#ownerId()} is {@link WebTalk#SYSTEM_USER} and clients see {@code "ownerId": null}), it
     * cannot {@link WebTalk#connect connect}, and the Jetty adapter refuses it from an authenticator. Its
     * id is {@link WebTalk#SYSTEM_USER}, its name {@value #SYSTEM_NAME}, as on system messages.
     */
    public static Principal system() {
        return SYSTEM;
    }

    /** Whether this is {@link #system()}. */
    public boolean isSystem() {
        return id.equals(WebTalk.SYSTEM_USER);
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
