package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqTrackerTest {
    @Test
    void inOrderFromTheJoinPointIsClean() {
        SeqTracker t = new SeqTracker(41);
        for (long seq = 42; seq <= 50; seq++) {
            t.onMessage(seq);
        }
        assertEquals(0, t.gaps());
        assertEquals(0, t.duplicates());
        assertEquals(0, t.outOfOrder());
        assertEquals(9, t.received());
        assertEquals(0, t.missingTail(50));
    }

    @Test
    void aJumpIsAGapOfEverySkippedSeq() {
        SeqTracker t = new SeqTracker(0);
        t.onMessage(1);
        t.onMessage(4);
        t.onMessage(5);
        assertEquals(2, t.gaps());
        assertEquals(5, t.last());
    }

    @Test
    void aRepeatIsADuplicate() {
        SeqTracker t = new SeqTracker(0);
        t.onMessage(1);
        t.onMessage(2);
        t.onMessage(2);
        t.onMessage(1);
        assertEquals(2, t.duplicates());
        assertEquals(0, t.gaps());
    }

    @Test
    void aLateSeqFillsItsGapAndCountsAsOutOfOrder() {
        SeqTracker t = new SeqTracker(0);
        t.onMessage(1);
        t.onMessage(3);
        t.onMessage(2);
        assertEquals(0, t.gaps());
        assertEquals(1, t.outOfOrder());
        assertEquals(0, t.duplicates());
        t.onMessage(2);
        assertEquals(1, t.duplicates(), "the second copy of a late seq is a duplicate");
    }

    @Test
    void messagesNeverReceivedAfterTheLastOneAreMissing() {
        SeqTracker t = new SeqTracker(10);
        t.onMessage(11);
        assertEquals(4, t.missingTail(15));
        assertEquals(0, t.missingTail(11));
        assertEquals(0, new SeqTracker(10).missingTail(10), "nothing sent, nothing missing");
    }

    @Test
    void messagesFromBeforeTheJoinPointAreDuplicates() {
        SeqTracker t = new SeqTracker(5);
        t.onMessage(5);
        assertEquals(1, t.duplicates());
    }
}
