package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalProcessTest {
    @Test
    void cpuTicksAreUtimePlusStimeCountedAfterTheCommandName() {
        // fields 14 (utime) and 15 (stime) are 250 and 37
        String plain = "1234 (java) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 37 5 6 20 0 42 0 959332 3133440 392";
        assertEquals(287, LocalProcess.cpuTicks(plain));
        // a command name may hold spaces and parentheses, even something that looks like fields
        String tricky = "1234 (x) 5 6 (y)) R 1 1234 1234 0 -1 4194560 100 0 0 0 250 37 5 6 20 0 42 0 959332\n";
        assertEquals(287, LocalProcess.cpuTicks(tricky));
        assertThrows(IllegalArgumentException.class, () -> LocalProcess.cpuTicks("1234 java S 1"));
        assertThrows(IllegalArgumentException.class, () -> LocalProcess.cpuTicks("1234 (java) S 1 2 3"));
    }

    @Test
    void listeningSocketsComeFromIpv4AndIpv6Tables() {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                // 0.0.0.0:8080 listening
                "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41001 1 "
                        + "0000000000000000 100 0 0 10 0",
                // 127.0.0.1:8080 -> 127.0.0.1:51000, established: same port, not a listener
                "   1: 0100007F:1F90 0100007F:C738 01 00000000:00000000 00:00000000 00000000  1000        0 41002 1 "
                        + "0000000000000000 20 4 30 10 -1",
                // 127.0.0.1:2024 listening: another port
                "   2: 0100007F:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1138 1 "
                        + "0000000000000000 100 0 0 10 0",
                "garbage");
        assertEquals(Set.of(41001L), LocalProcess.listeningInodes(tcp, 8080));
        assertEquals(Set.of(1138L), LocalProcess.listeningInodes(tcp, 2024));
        assertEquals(Set.of(), LocalProcess.listeningInodes(tcp, 51000), "51000 is a client port, not listening");

        List<String> tcp6 = List.of(
                "  sl  local_address                         remote_address                        st tx_queue "
                        + "rx_queue tr tm->when retrnsmt   uid  timeout inode",
                // [::]:8080 listening (a Java server socket is dual-stack, so it is only here)
                "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A "
                        + "00000000:00000000 00:00000000 00000000  1000        0 52001 1 0000000000000000 100 0 0 10 0",
                // [::1]:8080 listening, inode 0 (no owner left): ignored
                "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A "
                        + "00000000:00000000 00:00000000 00000000  1000        0 0 1 0000000000000000 100 0 0 10 0");
        assertEquals(Set.of(52001L), LocalProcess.listeningInodes(tcp6, 8080));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void findsThisJvmListeningOnAPortAndReadsItsCpu() throws Exception {
        long self = ProcessHandle.current().pid();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
            LocalProcess found = LocalProcess.listeningOn(port);
            assertEquals(self, found.pid());
            assertTrue(found.cpuSeconds() > 0, "this JVM has used CPU");
            assertEquals("java", found.name());
            found.requireAttachableJvm();
        }
        String reason = assertThrows(LocalProcess.NotFound.class, () -> LocalProcess.listeningOn(port)).getMessage();
        assertEquals("no process on this machine listens on port " + port, reason);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void neverAttachesToAProcessThatIsNotAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            LocalProcess process = LocalProcess.of(sleep.pid());
            String refusal = assertThrows(IOException.class, process::requireAttachableJvm).getMessage();
            assertEquals("process " + sleep.pid() + " (sleep) is not a HotSpot JVM", refusal);
            assertTrue(sleep.isAlive(), "not signalled");
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
