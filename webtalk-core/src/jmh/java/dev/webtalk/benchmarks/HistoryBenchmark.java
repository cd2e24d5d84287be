package dev.webtalk.benchmarks;

import dev.webtalk.Message;
import dev.webtalk.RoomId;
import dev.webtalk.store.sqlite.SqliteChatStore;
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

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The newest page of history (50 messages, what a join and a first scroll show) from a
 * {@link SqliteChatStore} pre-filled with {@code messages} messages spread over {@code rooms} rooms.
 * Each read picks a random room. Sample mode, so JMH reports percentiles (p99 is the target).
 *
 * <p>Filling runs once per trial at NORMAL synchronous in batches of 10,000: about 13 s for the
 * default million on the reference machine, 3 minutes and 1.6 GB of temporary disk for
 * {@code -p messages=10000000}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HistoryBenchmark {
    private static final int PAGE = 50;

    @Param({"1000000"})
    public long messages;

    @Param({"100"})
    public int rooms;

    private Path dir;
    private SqliteChatStore store;
    private RoomId[] roomIds;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() {
        dir = Samples.tempDir("history");
        store = SqliteChatStore.open(dir.resolve("chat.db"));
        long started = System.nanoTime();
        roomIds = Samples.fill(store, rooms, messages, (room, seq, n) -> Samples.message(room, seq));
        System.out.printf("%nfilled %,d messages in %d rooms in %.1f s%n", messages, rooms,
                (System.nanoTime() - started) / 1e9);
    }

    @Benchmark
    public List<Message> newestPage() {
        List<Message> page = store.history(roomIds[random.nextInt(rooms)], Long.MAX_VALUE, PAGE);
        if (page.size() != Math.min(PAGE, messages / rooms)) {
            throw new IllegalStateException("short page: " + page.size());
        }
        return page;
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        Samples.deleteRecursively(dir);
    }
}
