package dev.webtalk.demo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's CPU time over the measured window and its heap after a full collection, for the report
 * (deliveries per server CPU-second is the efficiency figure). Three kinds, by where the server runs:
 * <ul>
 *   <li>{@link #inThisJvm()}: the tool started it ({@code --embedded}, {@code --baseline}); its threads
 *       are told from the tool's by name, and the heap holds both ends of every connection.
 *   <li>{@link #localProcess}: another process on this machine ({@code --url} to a local port, or
 *       {@code --server-pid}); CPU from {@code /proc}, heap through {@code jcmd} if it is a JVM.
 *   <li>{@link #none}: the server cannot be observed; every figure is "n/a" and a note says why.
 * </ul>
 * A figure that cannot be read is null ("n/a") with a note; a probe never fails a run.
 */
sealed interface ServerProbe permits ServerProbe.InThisJvm, ServerProbe.OtherProcess, ServerProbe.Unavailable {

    /** For a server started by the tool in this JVM. */
    static ServerProbe inThisJvm() {
        return new InThisJvm();
    }

    /**
     * For a server that is another process on this machine.
     *
     * @param how how the process was found, for the report ({@code "given by --server-pid"})
     */
    static ServerProbe localProcess(LocalProcess process, String how) {
        return new OtherProcess(process, how);
    }

    /** For a server that cannot be observed, with the reason for the report. */
    static ServerProbe none(String reason) {
        return new Unavailable(reason);
    }

    /** Marks the start of the measured window. */
    void begin();

    /** CPU seconds since {@link #begin}; nulls when not available. */
    Cpu end();

    /** Heap in use after a full collection, in bytes; null when not available. */
    Long heapUsedAfterGc();

    /** What the heap figures hold, completing "heap per connection counts …". */
    String heapCounts();

    /** What this probe measures and how, as one line (also printed before the run). */
    String description();

    /** Notes for the report: the {@link #description()}, then why any figure is missing. */
    List<String> notes();

    /**
     * CPU seconds in the measured window.
     *
     * @param server  the server: threads that are not the tool's, or the whole server process
     * @param process the whole JVM when the tool and the server share it (tool and server); else null
     */
    record Cpu(Double server, Double process) {
    }

    /**
     * A server in this JVM. The tool's own client shares the process, so it reports two CPU figures: the
     * process as a whole, and the threads that are not the tool's (named {@code bench-…}, the JDK HTTP
     * client's, and the thread running the bench) — the server's share. Heap is the whole JVM after a
     * full GC: tool and server together.
     */
    final class InThisJvm implements ServerProbe {
        private final long benchThreadId = Thread.currentThread().getId();
        private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        private Map<Long, Long> serverCpuAtStart = Map.of();
        private long processCpuAtStart;

        private InThisJvm() {
        }

        @Override
        public void begin() {
            serverCpuAtStart = serverThreadCpu();
            processCpuAtStart = processCpuNanos();
        }

        @Override
        public Cpu end() {
            long server = 0;
            for (Map.Entry<Long, Long> thread : serverThreadCpu().entrySet()) {
                server += thread.getValue() - serverCpuAtStart.getOrDefault(thread.getKey(), 0L);
            }
            long process = processCpuNanos();
            return new Cpu(server / 1e9, process < 0 ? null : (process - processCpuAtStart) / 1e9);
        }

        @Override
        public Long heapUsedAfterGc() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            // Two rounds: the first may only queue finalizable or softly reachable objects.
            memory.gc();
            memory.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }

        @Override
        public String heapCounts() {
            return "both ends (tool client and server share this JVM)";
        }

        @Override
        public String description() {
            return "server CPU = threads not named bench-*; the tool's client shares this JVM and its "
                    + Runtime.getRuntime().availableProcessors() + " CPUs";
        }

        @Override
        public List<String> notes() {
            return List.of(description());
        }

        private Map<Long, Long> serverThreadCpu() {
            Map<Long, Long> cpu = new HashMap<>();
            if (!threadBean.isThreadCpuTimeSupported()) {
                return cpu;
            }
            for (ThreadInfo info : threadBean.getThreadInfo(threadBean.getAllThreadIds())) {
                if (info == null || info.getThreadId() == benchThreadId || isToolThread(info.getThreadName())) {
                    continue;
                }
                long nanos = threadBean.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
            return cpu;
        }

        static boolean isToolThread(String name) {
            return name.startsWith(Connector.THREAD_PREFIX) || name.startsWith("HttpClient-");
        }

        private static long processCpuNanos() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return -1;
        }
    }

    /**
     * A server that is another process on this machine: the whole process is the server, so its CPU
     * time ({@code /proc/PID/stat}) is the server CPU and there is no "tool + server" figure. Its heap
     * is read with {@code jcmd GC.run} and {@code GC.heap_info} when it is a JVM and a {@code jcmd} is
     * found; after the first failure the heap is not tried again, so a run never waits on it twice.
     */
    final class OtherProcess implements ServerProbe {
        private final LocalProcess process;
        private final String how;
        private final Set<String> problems = new LinkedHashSet<>();
        private Double cpuAtStart;
        private Optional<Jcmd> jcmd;

        private OtherProcess(LocalProcess process, String how) {
            this.process = process;
            this.how = how;
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void begin() {
            cpuAtStart = cpuSeconds();
        }

        @Override
        public Cpu end() {
            Double now = cpuSeconds();
            return new Cpu(cpuAtStart == null || now == null ? null : now - cpuAtStart, null);
        }

        private Double cpuSeconds() {
            try {
                return process.cpuSeconds();
            } catch (IOException e) {
                problems.add("server CPU n/a: " + LocalProcess.reason(e));
                return null;
            } catch (RuntimeException e) {
                problems.add("server CPU n/a: unexpected /proc/" + process.pid() + "/stat (" + e.getMessage() + ")");
                return null;
            }
        }

        @Override
        public Long heapUsedAfterGc() {
            if (jcmd == null) {
                jcmd = findJcmd();
            }
            if (jcmd.isEmpty()) {
                return null;
            }
            try {
                return jcmd.get().heapUsedAfterGc(process.pid());
            } catch (IOException e) {
                problems.add("server heap n/a: " + e.getMessage());
                jcmd = Optional.empty();
                return null;
            }
        }

        private Optional<Jcmd> findJcmd() {
            try {
                process.requireAttachableJvm();
            } catch (IOException e) {
                problems.add("server heap n/a: " + e.getMessage());
                return Optional.empty();
            }
            Optional<Jcmd> found = Jcmd.find(process.pid());
            if (found.isEmpty()) {
                problems.add("server heap n/a: no jcmd next to this java, in $JAVA_HOME/bin or next to the server's java");
            }
            return found;
        }

        @Override
        public String heapCounts() {
            return "the server process only (the tool's clients are in another JVM)";
        }

        @Override
        public String description() {
            long pid = process.pid();
            return "server = process " + pid + " (" + process.name() + "), " + how + "; CPU from /proc/" + pid
                    + "/stat, heap from jcmd GC.run + GC.heap_info";
        }

        @Override
        public List<String> notes() {
            List<String> notes = new ArrayList<>();
            notes.add(description());
            notes.addAll(problems);
            return notes;
        }
    }

    /** A server that cannot be observed: every figure is "n/a". */
    final class Unavailable implements ServerProbe {
        private final String reason;

        private Unavailable(String reason) {
            this.reason = reason;
        }

        @Override
        public void begin() {
        }

        @Override
        public Cpu end() {
            return new Cpu(null, null);
        }

        @Override
        public Long heapUsedAfterGc() {
            return null;
        }

        @Override
        public String heapCounts() {
            return "nothing (not measurable)";
        }

        @Override
        public String description() {
            return "server CPU and heap n/a: " + reason;
        }

        @Override
        public List<String> notes() {
            return List.of(description());
        }
    }
}
