package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * Activity in one time bucket, across all rooms, for the admin statistics' charts.
 *
 * @param start when the bucket starts (it ends where the next one starts)
 * @param messages messages posted in it (deleted ones included, system messages not)
 * @param activeUsers distinct users who posted at least one of them
 */
public record ActivityBucket(Instant start, long messages, long activeUsers) {
    public ActivityBucket {
        Objects.requireNonNull(start, "start");
        if (messages < 0 || activeUsers < 0 || activeUsers > messages) {
            throw new IllegalArgumentException("counts must satisfy 0 <= activeUsers <= messages");
        }
    }
}
