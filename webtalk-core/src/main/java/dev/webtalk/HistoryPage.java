package dev.webtalk;

import java.util.List;

/**
 * One page of a room's history.
 *
 * @param messages messages in ascending seq order
 * @param hasMore whether older messages exist before the first one
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
