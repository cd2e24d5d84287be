package dev.webtalk.demo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench client's own CPU over the measured window, next to the server's ({@link ServerProbe}), so a
 * reader sees which side ran out of CPU. When the tool is alone in its JVM (the server elsewhere), the
 * client is the whole process ({@code OperatingSystemMXBean.getProcessCpuTime}: JIT and GC included);
 * when it shares the JVM with the server ({@code --embedded}, {@code --baseline}) it is the tool's
 * threads ({@code bench-…}), JIT and GC then being counted with the server, as {@link ServerProbe} does.
 * The transport's I/O threads are also measured one by one: one of them near a full core is a client
 * that cannot read faster.
 */
final class ClientProbe {
    /** A client busier than this share of what it can use is reported as saturated. */
    static final double SATURATED = 0.9;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Thread> ioThreads;
    private final boolean sharesJvmWithServer;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private long startNanos;
    private long cpuAtStart;
    private Map<Long, Long> ioCpuAtStart = Map.of();

    /**
     * @param ioThreads           the transport's I/O threads ({@link Transport#ioThreads()})
     * @param sharesJvmWithServer whether the server runs in this JVM
     */
    ClientProbe(List<Thread> ioThreads, boolean sharesJvmWithServer) {
        this.ioThreads = List.copyOf(ioThreads);
        this.sharesJvmWithServer = sharesJvmWithServer;
    }

    /**
     * The client's CPU in one measured window.
     *
     * @param seconds                CPU seconds of the client (see {@link ClientProbe})
     * @param busiestIoThreadSeconds CPU seconds of its busiest I/O thread; null when the transport's
     *                               threads are a shared pool
     * @param ioThreads              I/O threads ({@code --client-threads}); 0 for a shared pool
     * @param cores                  processors this JVM may use (fewer under {@code taskset})
     * @param wallSeconds            the window's length
     */
    record Cpu(double seconds, Double busiestIoThreadSeconds, int ioThreads, int cores, double wallSeconds) {
        static final Cpu NONE = new Cpu(0, null, 0, 1, 0);

        /** Cores the client kept busy on average. */
        double coresBusy() {
            return wallSeconds > 0 ? seconds / wallSeconds : 0;
        }

        /** The busiest I/O thread's share of one core; null without I/O threads of its own. */
        Double busiestIoThreadShare() {
            return busiestIoThreadSeconds == null || wallSeconds <= 0 ? null : busiestIoThreadSeconds / wallSeconds;
        }

        /**
         * Whether the client itself was the limit: an I/O thread near a full core, or the client near all
         * the cores it may use. Then its figures are the client's ceiling, not the server's.
         */
        boolean saturated() {
            Double busiest = busiestIoThreadShare();
            return (busiest != null && busiest >= SATURATED) || coresBusy() >= SATURATED * cores;
        }
    }

    void begin() {
        startNanos = System.nanoTime();
        cpuAtStart = clientCpuNanos();
        ioCpuAtStart = ioCpuNanos();
    }

    Cpu end() {
        // The I/O threads are read before the whole, as they were read after it in begin(): the whole's
        // window then spans theirs, and the client's CPU is never less than its busiest thread's.
        Map<Long, Long> ioAtEnd = ioCpuNanos();
        double seconds = (clientCpuNanos() - cpuAtStart) / 1e9;
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Double busiest = null;
        for (Map.Entry<Long, Long> io : ioAtEnd.entrySet()) {
            double s = (io.getValue() - ioCpuAtStart.getOrDefault(io.getKey(), 0L)) / 1e9;
            busiest = busiest == null ? s : Math.max(busiest, s);
        }
        return new Cpu(Math.max(0, seconds), busiest, ioThreads.size(), cores, wall);
    }

    /** What "client CPU" counts, for the report's notes. */
    String description() {
        return sharesJvmWithServer
                ? "client CPU = the tool's threads (bench-*) in this JVM, which it shares with the server "
                + "(JIT and GC are counted with the server)"
                : "client CPU = this whole JVM (the tool alone: JIT and GC included)";
    }

    private long clientCpuNanos() {
        if (!sharesJvmWithServer
                && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            return os.getProcessCpuTime();
        }
        long sum = 0;
        if (!threads.isThreadCpuTimeSupported()) {
            return sum;
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && ServerProbe.InThisJvm.isToolThread(info.getThreadName())) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, nanos);
            }
        }
        return sum;
    }

    private Map<Long, Long> ioCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (Thread t : ioThreads) {
                long nanos = threads.getThreadCpuTime(t.getId());
                if (nanos >= 0) {
                    cpu.put(t.getId(), nanos);
                }
            }
        }
        return cpu;
    }
}
