package dev.webtalk.internal;

import dev.webtalk.ActivityEvent;
import dev.webtalk.RoomId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The activity feed keeps time order when other nodes' events arrive late, and travels between nodes whole. */
class ActivityLogTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static ActivityEvent at(int second) {
        return new ActivityEvent(T0.plusSeconds(second), ActivityEvent.Type.ROOM_CREATED, RoomId.of("r" + second), "Room",
                "Ana");
    }

    @Test
    void aLateEventFromAnotherNodeTakesItsPlaceInTime() {
        ActivityLog log = new ActivityLog(10);
        log.record(at(1));
        log.record(at(3));
        log.record(at(2)); // another node's, arriving after this node's newer one
        assertEquals(List.of(at(3), at(2), at(1)), log.recent());
    }

    @Test
    void aFullLogKeepsTheNewest() {
        ActivityLog log = new ActivityLog(2);
        log.record(at(2));
        log.record(at(4));
        log.record(at(1)); // older than everything kept: dropped
        assertEquals(List.of(at(4), at(2)), log.recent());
        log.record(at(3));
        assertEquals(List.of(at(4), at(3)), log.recent());
    }

    @Test
    void anActivitySignalRoundTripsWithItsNullsAndNanoseconds() {
        ActivityEvent full = new ActivityEvent(T0.plusNanos(123_456_789), ActivityEvent.Type.MEMBER_JOINED, RoomId.of("Xk3v9QpL"),
                "General ✨", "Bo");
        ActivityEvent bare = new ActivityEvent(T0, ActivityEvent.Type.SETTINGS_CHANGED, null, null, null);
        for (ActivityEvent e : List.of(full, bare)) {
            Signal.Activity signal = new Signal.Activity("n-1", e);
            assertEquals(signal, Signal.decode(signal.encode()));
        }
    }
}
