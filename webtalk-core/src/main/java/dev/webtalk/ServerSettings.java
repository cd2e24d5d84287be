package dev.webtalk;

import java.time.Duration;
import java.util.Objects;

/**
 * Server settings an operator may change while the engine runs (see {@link WebTalk#updateSettings}).
 * They are kept in the store, so they survive restarts; the builder's values are the defaults.
 *
 * @param maxRooms most rooms the server holds; creating one more fails with {@code conflict}
 * @param roomInactivityTimeout a room nobody used for this long is deleted by the expiry job
 *     ({@link Duration#ZERO}: rooms never expire)
 * @param maxFileBytes the largest file that may be shared, at most {@link WebTalk#fileSizeCeiling()}
 */
public record ServerSettings(int maxRooms, Duration roomInactivityTimeout, long maxFileBytes) {
    /** Longest inactivity timeout accepted: ten years. */
    public static final Duration MAX_INACTIVITY_TIMEOUT = Duration.ofDays(3650);

    public ServerSettings {
        if (maxRooms < 1) {
            throw new InvalidRequestException("maxRooms must be >= 1, was " + maxRooms);
        }
        Objects.requireNonNull(roomInactivityTimeout, "roomInactivityTimeout");
        if (roomInactivityTimeout.isNegative() || roomInactivityTimeout.compareTo(MAX_INACTIVITY_TIMEOUT) > 0) {
            throw new InvalidRequestException("roomInactivityTimeout must be 0 (never) up to 3650 days");
        }
        if (maxFileBytes < 1) {
            throw new InvalidRequestException("maxFileBytes must be >= 1, was " + maxFileBytes);
        }
    }

    /** Whether inactive rooms are deleted at all. */
    public boolean expiresRooms() {
        return !roomInactivityTimeout.isZero();
    }

    public ServerSettings withMaxRooms(int v) {
        return new ServerSettings(v, roomInactivityTimeout, maxFileBytes);
    }

    public ServerSettings withRoomInactivityTimeout(Duration v) {
        return new ServerSettings(maxRooms, v, maxFileBytes);
    }

    public ServerSettings withMaxFileBytes(long v) {
        return new ServerSettings(maxRooms, roomInactivityTimeout, v);
    }
}
