package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadPacerTest {
    private static final long MS = 1_000_000;

    @Test
    void marksTheFirstMessageAtOnceAndThenAtMostOnceASecond() {
        ReadPacer pacer = new ReadPacer(Duration.ofSeconds(1), 0);
        assertEquals(1, pacer.onMessage(1, 0), "the first message is marked as it arrives");
        assertEquals(0, pacer.onMessage(2, 300 * MS), "within a second: wait");
        assertEquals(0, pacer.onMessage(3, 600 * MS));
        assertEquals(0, pacer.due(999 * MS));
        assertEquals(3, pacer.due(1000 * MS), "a second later: the newest received");
        assertEquals(0, pacer.due(2500 * MS), "nothing new: no mark");
        assertEquals(4, pacer.onMessage(4, 2600 * MS), "the last mark is old: at once again");
    }

    @Test
    void startsFromWhatTheJoinShowedAndNeverGoesBack() {
        ReadPacer pacer = new ReadPacer(Duration.ofSeconds(1), 10);
        assertEquals(0, pacer.onMessage(9, 0), "already read");
        assertEquals(0, pacer.due(0));
        assertEquals(11, pacer.onMessage(11, 5 * MS));
        assertEquals(0, pacer.onMessage(10, 2000 * MS), "a late, older seq marks nothing");
    }
}
