package dev.webtalk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of the server's numbers (see {@link WebTalk#stats()}).
 *
 * @param roomsTotal rooms stored, archived ones included
 * @param roomsActive rooms with at least one user present now
 * @param roomsArchived archived rooms
 * @param usersOnline distinct users with at least one open connection
 * @param connections open connections
 * @param messagesToday messages created since midnight in the engine clock's zone
 * @param messagesTotal messages stored, deleted ones included
 * @param files shared files whose bytes are stored (orphans included)
 * @param bytesStored their total size
 * @param startedAt when the engine started
 * @param uptime how long it has run
 * @param recentActivity the most recent events, newest first
 */
public record ServerStats(int roomsTotal, int roomsActive, int roomsArchived, int usersOnline, int connections,
                          long messagesToday, long messagesTotal, long files, long bytesStored, Instant startedAt,
                          Duration uptime, List<ActivityEvent> recentActivity) {
    public ServerStats {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(uptime, "uptime");
        recentActivity = List.copyOf(recentActivity);
    }
}
