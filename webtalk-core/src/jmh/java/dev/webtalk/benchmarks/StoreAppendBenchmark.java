package dev.webtalk.benchmarks;

import dev.webtalk.RoomId;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.store.sqlite.SqliteChatStore.Synchronous;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Group commit in {@link SqliteChatStore}: one {@link SqliteChatStore#apply} call (one transaction) of
 * {@code batch} {@link StoreWrite.AppendMessage}s, as the engine's store writer issues it. Reported as
 * batches/s ({@code appendBatch}) and messages/s ({@code messages}); the CPU time per message is
 * printed at the end of each trial ({@code cpu per message: …}). Messages rotate
 * over a few rooms, each with a dense seq, and carry a client message id, so the unique index on it
 * is maintained as in production. The database lives in a fresh temporary directory per trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StoreAppendBenchmark {
    private static final int ROOMS = 16;

    @Param({"NORMAL", "FULL"})
    public Synchronous synchronous;

    /** Writes per transaction; the engine's default cap is 512 ({@code Limits.writeBatchMax}). */
    @Param({"1", "64", "512"})
    public int batch;

    private Path dir;
    private SqliteChatStore store;
    private final RoomId[] rooms = new RoomId[ROOMS];
    private final long[] lastSeq = new long[ROOMS];
    private int nextRoom;

    /** Messages committed, reported by JMH as a rate next to the batch rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Messages {
        public long messages;
    }

    /**
     * CPU time the writing thread spends per message (Java, JNI and SQLite's native code, user and
     * system), over the measurement iterations, printed when the trial ends. Unlike the rates it hardly
     * moves when other processes compete for the cores, so it is the figure to compare store changes by
     * on a shared machine; it leaves out time spent waiting for the disk.
     */
    @State(Scope.Thread)
    public static class CpuCost {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final List<String> perIteration = new ArrayList<>();
        private boolean measuring;
        private long cpuNanos;
        private long messages;
        private long totalCpuNanos;
        private long totalMessages;

        @Setup(Level.Iteration)
        public void startIteration(IterationParams iteration) {
            measuring = iteration.getType() == IterationType.MEASUREMENT;
            cpuNanos = 0;
            messages = 0;
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            if (measuring && messages > 0) {
                perIteration.add(String.format("%.2f", cpuNanos / 1000.0 / messages));
                totalCpuNanos += cpuNanos;
                totalMessages += messages;
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            if (totalMessages > 0) {
                System.out.printf("%ncpu per message: %.2f us (per iteration: %s)%n",
                        totalCpuNanos / 1000.0 / totalMessages, String.join(", ", perIteration));
            }
        }

        long now() {
            return THREADS.getCurrentThreadCpuTime();
        }

        void add(long nanos, int count) {
            cpuNanos += nanos;
            messages += count;
        }
    }

    @Setup(Level.Trial)
    public void open() {
        dir = Samples.tempDir("append");
        store = SqliteChatStore.open(dir.resolve("chat.db"),
                SqliteChatStore.Options.defaults().withSynchronous(synchronous));
        List<StoreWrite> create = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            rooms[i] = Samples.roomId(i);
            create.add(new StoreWrite.CreateRoom(Samples.room(rooms[i])));
        }
        store.apply(create);
    }

    @Benchmark
    public void appendBatch(Messages counter, CpuCost cpu) {
        long cpuStart = cpu.now();
        List<StoreWrite> writes = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int r = nextRoom;
            nextRoom = (r + 1) % ROOMS;
            writes.add(new StoreWrite.AppendMessage(Samples.message(rooms[r], ++lastSeq[r])));
        }
        store.apply(writes);
        counter.messages += batch;
        cpu.add(cpu.now() - cpuStart, batch);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        Samples.deleteRecursively(dir);
    }
}
