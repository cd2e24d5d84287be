package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerProbeTest {
    @Test
    void aServerThatIsNotOnThisMachineIsNotLookedFor() {
        ServerProbe probe = Bench.probeFor(BenchOptions.parse(new String[]{"--url", "ws://192.0.2.10:8080/ws",
                "--allow-remote"}));
        assertEquals(List.of("server CPU and heap n/a: 192.0.2.10 is not this machine's loopback (pass --server-pid "
                + "if the server runs here)"), probe.notes());
        probe.begin();
        assertEquals(new ServerProbe.Cpu(null, null), probe.end());
        assertNull(probe.heapUsedAfterGc());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anotherProcessGivesItsCpuAndSaysWhyThereIsNoHeap() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            ServerProbe probe = Bench.probeFor(BenchOptions.parse(new String[]{"--url", "ws://127.0.0.1:8080/ws",
                    "--server-pid", Long.toString(sleep.pid())}));
            probe.begin();
            ServerProbe.Cpu cpu = probe.end();
            assertEquals(0.0, cpu.server(), 0.05, "a sleeping process uses next to no CPU");
            assertNull(cpu.process(), "no tool+server figure: the tool is not in that process");
            assertNull(probe.heapUsedAfterGc(), "sleep is not a JVM");
            assertEquals(List.of("server = process " + sleep.pid() + " (sleep), given by --server-pid; CPU from /proc/"
                            + sleep.pid() + "/stat, heap from jcmd GC.run + GC.heap_info",
                    "server heap n/a: process " + sleep.pid() + " (sleep) is not a HotSpot JVM"), probe.notes());
            assertTrue(sleep.isAlive(), "never signalled");
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aServerInThisVeryJvmIsToldFromTheToolByItsThreads() {
        ServerProbe probe = Bench.probeFor(BenchOptions.parse(new String[]{"--url", "ws://127.0.0.1:8080/ws",
                "--server-pid", Long.toString(ProcessHandle.current().pid())}));
        assertTrue(probe instanceof ServerProbe.InThisJvm, "not the whole process, which holds the tool too");
    }
}
