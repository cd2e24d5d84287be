package dev.webtalk.internal;

import dev.webtalk.ActivityEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last {@code capacity} activity events, in memory. Thread-safe; recording never blocks for long. */
final class ActivityLog {
    private final int capacity;
    private final Deque<ActivityEvent> events;

    ActivityLog(int capacity) {
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    synchronized void record(ActivityEvent event) {
        if (events.size() == capacity) {
            events.removeLast();
        }
        events.addFirst(event);
    }

    /** Newest first. */
    synchronized List<ActivityEvent> recent() {
        return new ArrayList<>(events);
    }
}
