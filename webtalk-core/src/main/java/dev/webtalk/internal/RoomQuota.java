package dev.webtalk.internal;

import dev.webtalk.LimitReachedException;
import dev.webtalk.UserId;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Rooms per owner ({@link dev.webtalk.Limits#maxRoomsPerUser()}): the rooms a user owns in the store plus
 * those of theirs still being created, so that a burst of {@code create_room} requests cannot slip past
 * the bound before the first of them is stored. Thread-safe.
 */
final class RoomQuota {
    private final int max;
    /** Creations reserved and not yet stored or failed, per owner; guarded by {@code this}. */
    private final Map<UserId, Integer> creating = new HashMap<>();

    RoomQuota(int max) {
        this.max = max;
    }

    /**
     * Reserves one more room for {@code owner}, who owns {@code owned} rooms in the store now (read under
     * this quota's lock, so a creation that has just been stored is counted at least once).
     *
     * @throws LimitReachedException when the owner would have more than the maximum
     */
    synchronized void reserve(UserId owner, IntSupplier owned) {
        int pending = creating.getOrDefault(owner, 0);
        if (owned.getAsInt() + pending >= max) {
            throw new LimitReachedException("A user may own at most " + max + " rooms");
        }
        creating.put(owner, pending + 1);
    }

    /** Ends a reservation, once its room was stored (and so counts as owned) or could not be. */
    synchronized void release(UserId owner) {
        creating.computeIfPresent(owner, (k, n) -> n <= 1 ? null : n - 1);
    }
}
