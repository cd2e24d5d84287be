package dev.webtalk;

import java.util.Objects;

/**
 * Stable identity of a user, assigned by the host application's authenticator. Display names are
 * not identities: two users may share a name, never an id.
 *
 * @param value the id as it appears on the wire
 */
public record UserId(String value) {
    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 128) {
            throw new IllegalArgumentException("user id must be 1..128 characters");
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
