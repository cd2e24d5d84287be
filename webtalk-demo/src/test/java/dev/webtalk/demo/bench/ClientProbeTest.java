package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientProbeTest {
    @Test
    void aClientIsSaturatedWhenAnIoThreadOrAllItsCoresAreNearlyFull() {
        assertTrue(new ClientProbe.Cpu(9.6, 9.5, 1, 2, 10).saturated(), "its one I/O thread at 95 %");
        assertFalse(new ClientProbe.Cpu(9.6, 8.5, 1, 2, 10).saturated(), "85 % of a thread, half of two cores");
        assertTrue(new ClientProbe.Cpu(9.2, 6.0, 2, 1, 10).saturated(), "92 % of the one core it may use (taskset)");
        assertTrue(new ClientProbe.Cpu(18.5, null, 0, 2, 10).saturated(), "Jetty's pool: 1.85 of 2 cores");
        assertFalse(new ClientProbe.Cpu(12, null, 0, 2, 10).saturated());
        assertEquals(0.95, new ClientProbe.Cpu(9.6, 9.5, 1, 2, 10).busiestIoThreadShare(), 1e-9);
        assertNull(new ClientProbe.Cpu(1, null, 0, 2, 10).busiestIoThreadShare());
        assertEquals(0.96, new ClientProbe.Cpu(9.6, 9.5, 1, 2, 10).coresBusy(), 1e-9);
    }

    @Test
    void theWarningSaysWhichLimitTheClientReached() {
        String thread = ScenarioRunner.saturationWarning(new ClientProbe.Cpu(9.6, 9.5, 1, 2, 10));
        assertTrue(thread.startsWith("WARNING: the bench client was saturated (its busiest I/O thread used 95 % of a core)"),
                thread);
        assertTrue(thread.contains("the client's ceiling, not the server's"), thread);
        String cores = ScenarioRunner.saturationWarning(new ClientProbe.Cpu(9.3, 5.0, 2, 1, 10));
        assertTrue(cores.contains("(it used 0.93 of the 1 core(s) it may use)"), cores);
    }

    @Test
    void measuresTheIoThreadsOneByOne() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            running.countDown();
            long spins = 0;
            while (stop.getCount() > 0) {
                spins++;
            }
            assertTrue(spins >= 0);
        }, Connector.THREAD_PREFIX + "io-test");
        Thread idle = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, Connector.THREAD_PREFIX + "io-idle");
        busy.start();
        idle.start();
        try {
            assertTrue(running.await(5, TimeUnit.SECONDS));
            ClientProbe probe = new ClientProbe(List.of(busy, idle), true);
            probe.begin();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            ClientProbe.Cpu cpu = probe.end();

            assertEquals(2, cpu.ioThreads());
            assertTrue(cpu.busiestIoThreadSeconds() > 0, "the spinning thread: " + cpu);
            assertTrue(cpu.seconds() >= cpu.busiestIoThreadSeconds(), "the tool's threads include it: " + cpu);
            assertTrue(cpu.wallSeconds() >= 0.3, cpu.toString());
            assertTrue(probe.description().contains("bench-*"), probe.description());
        } finally {
            stop.countDown();
            busy.join(5_000);
            idle.join(5_000);
        }
    }
}
