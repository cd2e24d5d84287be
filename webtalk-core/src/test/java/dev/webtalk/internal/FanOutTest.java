package dev.webtalk.internal;

import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanOutTest {
    private FanOut fanOut;

    @AfterEach
    void stop() {
        if (fanOut != null) {
            fanOut.close();
        }
    }

    /** Records what the lanes pass on: each call's frames as one batch, and the close. */
    static final class Recording implements Connection {
        final List<List<String>> calls = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        final List<String> threads = new ArrayList<>();
        int closeCode = -1;
        volatile CountDownLatch holdFirstSend;
        private final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void send(OutboundFrame frame) {
            CountDownLatch hold = holdFirstSend;
            if (hold != null) {
                holdFirstSend = null;
                entered.countDown();
                awaitLatch(hold);
            }
            record(List.of(frame.text()));
        }

        @Override
        public void send(List<OutboundFrame> batch) {
            record(batch.stream().map(OutboundFrame::text).toList());
        }

        private synchronized void record(List<String> texts) {
            if (closeCode >= 0) {
                throw new AssertionError("frames after the close: " + texts);
            }
            calls.add(texts);
            frames.addAll(texts);
            threads.add(Thread.currentThread().getName());
            notifyAll();
        }

        @Override
        public synchronized void close(int code, String reason) {
            closeCode = code;
            notifyAll();
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        synchronized void awaitFrames(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (frames.size() < count) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "timed out with " + frames.size() + " of " + count + " frames");
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }

        synchronized void awaitClose() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (closeCode < 0) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "timed out waiting for the close");
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static OutboundFrame frame(String text) {
        return new OutboundFrame(text);
    }

    @Test
    void everyConnectionGetsEachProducersFramesInOrderWhateverMixOfBroadcastsAndSingleSends() throws Exception {
        fanOut = new FanOut(3);
        int connections = 50;
        int producers = 4;
        int perProducer = 2_000;
        List<Recording> recordings = new ArrayList<>();
        List<Outbox> outboxes = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Recording r = new Recording();
            recordings.add(r);
            outboxes.add(new Outbox(r, fanOut.assign()));
        }
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    OutboundFrame f = frame(producer + ":" + i);
                    if (i % 3 == 0) {
                        outboxes.forEach(o -> o.send(f)); // one by one, as replies and own pushes go
                    } else {
                        FanOut.Broadcast push = fanOut.broadcast(f, connections);
                        outboxes.forEach(push::add);
                        push.send();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (Recording r : recordings) {
            r.awaitFrames(producers * perProducer);
            synchronized (r) {
                assertEquals(producers * perProducer, r.frames.size(), "no frame lost or repeated");
                int[] next = new int[producers];
                for (String text : r.frames) {
                    String[] parts = text.split(":");
                    int producer = Integer.parseInt(parts[0]);
                    assertEquals(next[producer], Integer.parseInt(parts[1]), "producer " + producer + "'s order");
                    next[producer]++;
                }
            }
        }
        assertEquals(3, outboxes.stream().map(o -> o.lane().index()).distinct().count(),
                "connections are spread over the lanes");
        assertEquals(0, fanOut.queued());
    }

    @Test
    void framesThatPileUpWhileTheLaneIsBusyLeaveInOneCallPerConnection() throws Exception {
        fanOut = new FanOut(1);
        Recording busy = new Recording();
        Recording other = new Recording();
        Outbox busyOut = new Outbox(busy, fanOut.assign());
        Outbox otherOut = new Outbox(other, fanOut.assign());
        CountDownLatch release = new CountDownLatch(1);
        busy.holdFirstSend = release;

        busyOut.send(frame("hold"));
        awaitLatch(busy.entered); // the lane's only thread is now inside busy's send
        for (int i = 0; i < 5; i++) {
            FanOut.Broadcast push = fanOut.broadcast(frame("m" + i), 2);
            push.add(busyOut).add(otherOut).send();
        }
        otherOut.send(frame("reply"));
        assertEquals(6, fanOut.queued());
        release.countDown();

        other.awaitFrames(6);
        busy.awaitFrames(6);
        assertEquals(List.of(List.of("m0", "m1", "m2", "m3", "m4", "reply")), other.calls,
                "the waiting frames go to the transport together, in order");
        assertEquals(List.of(List.of("hold"), List.of("m0", "m1", "m2", "m3", "m4")), busy.calls);
    }

    @Test
    void aFrameAloneGoesOutAtOnceOnItsOwn() throws Exception {
        fanOut = new FanOut(2);
        Recording r = new Recording();
        Outbox out = new Outbox(r, fanOut.assign());
        out.send(frame("a"));
        r.awaitFrames(1);
        out.send(frame("b"));
        r.awaitFrames(2);
        assertEquals(List.of(List.of("a"), List.of("b")), r.calls, "nothing waits for company");
    }

    @Test
    void theCloseFollowsEveryFrameQueuedBeforeItAndLaterFramesAreDropped() throws Exception {
        fanOut = new FanOut(1);
        Recording blocker = new Recording();
        Recording r = new Recording();
        Outbox blockerOut = new Outbox(blocker, fanOut.assign());
        Outbox out = new Outbox(r, fanOut.assign());
        CountDownLatch release = new CountDownLatch(1);
        blocker.holdFirstSend = release;
        blockerOut.send(frame("hold"));
        awaitLatch(blocker.entered);

        out.send(frame("kicked"));
        out.close(4003, "Kicked");
        out.send(frame("after"));
        FanOut.Broadcast push = fanOut.broadcast(frame("broadcast after"), 1);
        push.add(out).send();
        release.countDown();

        r.awaitClose();
        synchronized (r) {
            assertEquals(List.of("kicked"), r.frames);
            assertEquals(4003, r.closeCode);
        }
    }

    @Test
    void afterTheThreadsStopAnOutboxDeliversOnTheCallersThread() throws Exception {
        fanOut = new FanOut(1);
        Recording r = new Recording();
        Outbox out = new Outbox(r, fanOut.assign());
        fanOut.close();
        out.send(frame("late"));
        out.close(1001, "Going away");
        synchronized (r) {
            assertEquals(List.of("late"), r.frames);
            assertEquals(1001, r.closeCode);
            assertNotEquals(List.of(), r.threads);
            assertEquals(Thread.currentThread().getName(), r.threads.get(0));
        }
    }
}
