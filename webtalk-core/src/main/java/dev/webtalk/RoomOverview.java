package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A room as an operator sees it (see {@link WebTalk#roomOverviews()}).
 *
 * @param room the room
 * @param memberCount users who joined it and did not leave
 * @param onlineCount distinct users present now
 * @param messageCount messages stored in it, deleted ones included
 * @param lastActivity the newest of: its creation, its newest message, the last time someone entered
 *     or left it while this engine ran
 * @param archivedAt when it was archived, or {@code null}
 */
public record RoomOverview(Room room, int memberCount, int onlineCount, long messageCount, Instant lastActivity,
                           Instant archivedAt) {
    public RoomOverview {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(lastActivity, "lastActivity");
    }

    /** Whether the room is archived: read-only and left out of the normal room list. */
    public boolean archived() {
        return archivedAt != null;
    }
}
