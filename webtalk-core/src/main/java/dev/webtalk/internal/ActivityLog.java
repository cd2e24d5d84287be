package dev.webtalk.internal;

import dev.webtalk.ActivityEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last {@code capacity} activity events (this node's and, in a cluster, the others'), in memory, newest first. Thread-safe; recording never blocks for long. */
final class ActivityLog {
    private final int capacity;
    private final Deque<ActivityEvent> events;

    ActivityLog(int capacity) {
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    /**
     * Adds {@code event} in time order: other nodes' events arrive a little late, and may be older than
     * this node's newest. One older than everything kept in a full log is dropped.
     */
    synchronized void record(ActivityEvent event) {
        if (events.isEmpty() || !event.at().isBefore(events.peekFirst().at())) {
            if (events.size() == capacity) {
                events.removeLast();
            }
            events.addFirst(event);
            return;
        }
        List<ActivityEvent> newestFirst = new ArrayList<>(events);
        int at = 0;
        while (at < newestFirst.size() && newestFirst.get(at).at().isAfter(event.at())) {
            at++;
        }
        newestFirst.add(at, event);
        if (newestFirst.size() > capacity) {
            newestFirst.remove(newestFirst.size() - 1);
        }
        events.clear();
        events.addAll(newestFirst);
    }

    /** Newest first. */
    synchronized List<ActivityEvent> recent() {
        return new ArrayList<>(events);
    }
}
