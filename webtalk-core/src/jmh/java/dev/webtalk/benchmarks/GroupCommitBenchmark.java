package dev.webtalk.benchmarks;

import dev.webtalk.Message;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.internal.StoreWriter;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.postgres.PostgresChatStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.store.sqlite.SqliteChatStore.Synchronous;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store target as the engine meets it: messages appended through the engine's own
 * {@link StoreWriter} (group commit) into a store, one message per submitted group,
 * by several producer threads at once — the way room threads hand each accepted message to the writer.
 * The writer decides the batch sizes by itself (everything waiting, up to {@code batchMax}), so unlike
 * {@link StoreAppendBenchmark} this measures the batching too.
 *
 * <p>One operation is one message submitted. Each producer keeps at most {@link #WINDOW} / threads
 * messages in flight (a permit comes back when the commit completes the message's future), so the
 * submitted rate cannot run ahead of the committed rate by more than the window, and the writer's
 * queue ({@code capacity}) never overflows. At the end of each trial it prints the writer's average
 * batch and its thread's CPU time per message.
 *
 * <p>{@code store} picks the store: {@link SqliteChatStore} in a fresh temporary directory with
 * {@code synchronous} NORMAL or FULL, or {@link PostgresChatStore} in a fresh schema (dropped at the end)
 * of the database at {@code -Dwebtalk.bench.postgres=<jdbc url>} (default: the local test database,
 * {@value #POSTGRES_DEFAULT}). PostgreSQL commits durably ({@code synchronous_commit} on), like FULL.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(4)
@State(Scope.Benchmark)
public class GroupCommitBenchmark {
    /** Messages in flight across all producers: well under the writer's capacity below. */
    static final int WINDOW = 4096;
    private static final int CAPACITY = 10_000;   // Limits.defaults().maxPendingWrites()
    private static final int ROOMS_PER_PRODUCER = 16;

    static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** {@code sqlite-normal}, {@code sqlite-full} or {@code postgres}. */
    @Param({"sqlite-normal", "sqlite-full", "postgres"})
    public String store;

    /** The writer's batch cap; the engine's default is 512 ({@code Limits.writeBatchMax}). */
    @Param({"512"})
    public int batchMax;

    private Path dir;
    private String schema;
    private ChatStore chatStore;
    private StoreWriter writer;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicInteger producers = new AtomicInteger();
    private final LongAdder batches = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final List<String> perIteration = new ArrayList<>();
    private boolean measuring;
    private long iterationCpu;
    private long iterationBatches;
    private long iterationWrites;
    private long cpuNanos;
    private long committed;
    private long committedBatches;

    /** One producer's own rooms, each posted to in turn, as one room thread would. */
    @State(Scope.Thread)
    public static class Producer {
        private RoomId[] rooms;
        private int next;

        @Setup(Level.Trial)
        public void rooms(GroupCommitBenchmark bench) {
            int first = bench.producers.getAndIncrement() * ROOMS_PER_PRODUCER;
            rooms = new RoomId[ROOMS_PER_PRODUCER];
            List<StoreWrite> create = new ArrayList<>();
            for (int i = 0; i < ROOMS_PER_PRODUCER; i++) {
                rooms[i] = Samples.roomId(first + i);
                create.add(new StoreWrite.CreateRoom(Samples.room(rooms[i])));
            }
            bench.chatStore.apply(create);
        }

        /** The next room in turn. */
        RoomId nextRoom() {
            int r = next;
            next = (r + 1) % rooms.length;
            return rooms[r];
        }
    }

    /**
     * One message as the engine posts it (RoomActor.append): the message and its stream event, numbered
     * by the writer as it commits.
     */
    static StoreWriter.RoomChange post(RoomId room) {
        return (seq, pos) -> {
            Message m = Samples.message(room, seq);
            return List.of(new StoreWrite.AppendMessage(m), new StoreWrite.AppendEvent(
                    RoomEvent.aboutMessage(room, pos, RoomEvent.Kind.MESSAGE_POSTED, m.createdAt(), seq)));
        };
    }

    @Setup(Level.Trial)
    public void open() {
        switch (store) {
            case "sqlite-normal", "sqlite-full" -> {
                dir = Samples.tempDir("group-commit");
                chatStore = SqliteChatStore.open(dir.resolve("chat.db"), SqliteChatStore.Options.defaults()
                        .withSynchronous(store.equals("sqlite-full") ? Synchronous.FULL : Synchronous.NORMAL));
            }
            case "postgres" -> {
                schema = "bench_group_commit_" + ProcessHandle.current().pid();
                dropSchema(); // a run killed before its tear-down left it
                chatStore = PostgresChatStore.open(PostgresDatabase.Options.of(postgresUrl()).withSchema(schema));
            }
            default -> throw new IllegalArgumentException("store must be sqlite-normal, sqlite-full or postgres: " + store);
        }
        writer = new StoreWriter(countingBatches(chatStore), CAPACITY, batchMax);
    }

    private static String postgresUrl() {
        return System.getProperty("webtalk.bench.postgres", POSTGRES_DEFAULT);
    }

    private void dropSchema() {
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the benchmark's schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** The store as the writer sees it, counting each transaction and the writes in it. */
    private ChatStore countingBatches(ChatStore target) {
        return (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply")) {
                        batches.increment();
                        writes.add(((List<?>) args[0]).size());
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        drain();
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        iterationCpu = writerCpu();
        iterationBatches = batches.sum();
        iterationWrites = writes.sum();
    }

    @Benchmark
    public void appendOne(Producer producer) throws InterruptedException {
        window.acquire();
        RoomId room = producer.nextRoom();
        writer.submit(room, post(room)).whenComplete((v, failure) -> {
            window.release();
            if (failure != null) {
                failure.printStackTrace(); // would show as a wrong, not a fast, result
            }
        });
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        drain();
        if (!measuring) {
            return;
        }
        long cpu = writerCpu() - iterationCpu;
        long n = writes.sum() - iterationWrites;
        long b = batches.sum() - iterationBatches;
        perIteration.add(String.format("%.0f msgs/batch, %.2f us/msg", (double) n / b, cpu / 1000.0 / n));
        cpuNanos += cpu;
        committed += n;
        committedBatches += b;
    }

    @TearDown(Level.Trial)
    public void close() {
        writer.close();
        chatStore.close();
        if (dir != null) {
            Samples.deleteRecursively(dir);
        }
        if (schema != null) {
            dropSchema();
        }
        if (committed > 0) {
            System.out.printf("%nwriter: %.0f messages per batch, cpu per message %.2f us (per iteration: %s)%n",
                    (double) committed / committedBatches, cpuNanos / 1000.0 / committed, String.join("; ", perIteration));
        }
    }

    /** Waits until every submitted message is committed, so iterations do not bleed into each other. */
    private void drain() {
        window.acquireUninterruptibly(WINDOW);
        window.release(WINDOW);
    }

    private static long writerCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("webtalk-store-writer")) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        throw new IllegalStateException("no store writer thread");
    }
}
