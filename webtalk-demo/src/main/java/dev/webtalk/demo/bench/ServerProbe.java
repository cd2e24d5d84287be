package dev.webtalk.demo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's CPU time and heap, readable only when the server runs in this JVM ({@code --embedded},
 * {@code --baseline}). There the tool's own client shares the process, so the probe reports two CPU
 * figures: the process as a whole, and the threads that are not the tool's (named {@code bench-…},
 * the JDK HTTP client's, and the thread running the bench) — the server's share. Heap is the whole
 * JVM after a full GC: tool and server together.
 */
final class ServerProbe {
    private final boolean inThisJvm;
    private final long benchThreadId = Thread.currentThread().getId();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> serverCpuAtStart = Map.of();
    private long processCpuAtStart;

    private ServerProbe(boolean inThisJvm) {
        this.inThisJvm = inThisJvm;
    }

    /** For a server somewhere else: every figure is "n/a". */
    static ServerProbe remote() {
        return new ServerProbe(false);
    }

    /** For a server started by the tool in this JVM. */
    static ServerProbe inThisJvm() {
        return new ServerProbe(true);
    }

    boolean available() {
        return inThisJvm;
    }

    /** Marks the start of the measured window. */
    void begin() {
        if (inThisJvm) {
            serverCpuAtStart = serverThreadCpu();
            processCpuAtStart = processCpuNanos();
        }
    }

    /** CPU seconds since {@link #begin}; nulls when not available. */
    Cpu end() {
        if (!inThisJvm) {
            return new Cpu(null, null);
        }
        long server = 0;
        for (Map.Entry<Long, Long> thread : serverThreadCpu().entrySet()) {
            server += thread.getValue() - serverCpuAtStart.getOrDefault(thread.getKey(), 0L);
        }
        long process = processCpuNanos();
        return new Cpu(server / 1e9, process < 0 ? null : (process - processCpuAtStart) / 1e9);
    }

    /** Heap in use after a full collection, in bytes; null when not available. */
    Long heapUsedAfterGc() {
        if (!inThisJvm) {
            return null;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // Two rounds: the first may only queue finalizable or softly reachable objects.
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
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

    /**
     * CPU seconds in the measured window.
     *
     * @param server  threads that are not the tool's
     * @param process the whole JVM (tool and server)
     */
    record Cpu(Double server, Double process) {
    }
}
