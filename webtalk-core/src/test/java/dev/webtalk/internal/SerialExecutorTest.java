package dev.webtalk.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void runsTasksOneAtATimeInSubmissionOrder() {
        SerialExecutor serial = new SerialExecutor(pool);
        int count = 10_000;
        List<Integer> ran = new ArrayList<>(); // deliberately unsynchronized: the executor must serialize
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);

        for (int i = 0; i < count; i++) {
            int n = i;
            serial.execute(() -> {
                if (running.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                ran.add(n);
                running.decrementAndGet();
                done.countDown();
            });
        }
        await(done);

        assertEquals(0, overlaps.get());
        assertEquals(IntStream.range(0, count).boxed().toList(), ran);
    }

    @Test
    void keepsEachProducersOrderUnderConcurrentSubmission() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        int producers = 4;
        int perProducer = 2_000;
        List<int[]> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        ExecutorService submitters = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                submitters.execute(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int n = i;
                        serial.execute(() -> {
                            ran.add(new int[] {producer, n});
                            done.countDown();
                        });
                    }
                });
            }
            await(done);
        } finally {
            submitters.shutdown();
        }

        for (int p = 0; p < producers; p++) {
            int producer = p;
            List<Integer> order = ran.stream().filter(r -> r[0] == producer).map(r -> r[1]).toList();
            assertEquals(IntStream.range(0, perProducer).boxed().toList(), order);
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch after = new CountDownLatch(1);

        serial.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        serial.execute(after::countDown);

        await(after);
    }

    @Test
    void aBusyExecutorYieldsTheThreadToOthers() {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor busy = new SerialExecutor(single);
            SerialExecutor quiet = new SerialExecutor(single);
            CountDownLatch gate = new CountDownLatch(1);
            AtomicInteger busyRan = new AtomicInteger();
            int[] busyRanBeforeQuiet = {-1};
            CountDownLatch quietRan = new CountDownLatch(1);
            CountDownLatch allRan = new CountDownLatch(1000);

            busy.execute(() -> await(gate));
            for (int i = 0; i < 1000; i++) {
                busy.execute(() -> {
                    busyRan.incrementAndGet();
                    allRan.countDown();
                });
            }
            quiet.execute(() -> {
                busyRanBeforeQuiet[0] = busyRan.get();
                quietRan.countDown();
            });
            gate.countDown();
            await(quietRan);
            await(allRan);

            assertTrue(busyRanBeforeQuiet[0] < 1000, "the quiet executor waited for all " + busyRanBeforeQuiet[0]);
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void tasksQueuedBeforeThePoolShutsDownStillRun() {
        ExecutorService single = Executors.newSingleThreadExecutor();
        SerialExecutor serial = new SerialExecutor(single);
        CountDownLatch gate = new CountDownLatch(1);
        int count = 1000; // several turns' worth, so the executor must hand the thread back and reschedule
        CountDownLatch allRan = new CountDownLatch(count);

        serial.execute(() -> await(gate));
        for (int i = 0; i < count; i++) {
            serial.execute(allRan::countDown);
        }
        single.shutdown();
        gate.countDown();

        await(allRan);
    }
}
