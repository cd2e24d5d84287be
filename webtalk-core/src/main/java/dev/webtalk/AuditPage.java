package dev.webtalk;

import java.util.List;

/**
 * One page of a room's moderation audit log.
 *
 * @param entries newest first
 * @param hasMore whether older entries exist after the last one
 */
public record AuditPage(List<AuditEntry> entries, boolean hasMore) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
