package dev.webtalk.benchmarks;

import dev.webtalk.RoomId;
import dev.webtalk.spi.ChatStore;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two store reads behind every poll of the admin panel's statistics and rooms table:
 * {@link SqliteChatStore#roomActivity()} and {@link SqliteChatStore#messageCountSince} of midnight,
 * on a store pre-filled with {@code messages} messages spread over {@code rooms} rooms.
 *
 * <p>The messages are spread evenly over two days, the rooms' interleaved as concurrent conversations
 * are, so "since midnight" is the newer half of every room. Each call is checked against the fill, so
 * a fast wrong answer fails the run. Filling runs once per trial at NORMAL synchronous in batches of
 * 10,000: about 13 s for the default million on the reference machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StatsBenchmark {
    private static final Duration SPAN = Duration.ofDays(2);
    /** Samples.CREATED is a midnight (UTC); the fill spans the day before this one and the day after. */
    private static final Instant MIDNIGHT = Samples.CREATED.plus(Duration.ofDays(1));

    @Param({"1000000"})
    public long messages;

    @Param({"100"})
    public int rooms;

    private Path dir;
    private SqliteChatStore store;
    private long sinceMidnight;

    @Setup(Level.Trial)
    public void fill() {
        dir = Samples.tempDir("stats");
        store = SqliteChatStore.open(dir.resolve("chat.db"));
        long started = System.nanoTime();
        double millisApart = (double) SPAN.toMillis() / messages;
        // Time grows with n, evenly over SPAN.
        Samples.fill(store, rooms, messages, (room, seq, n) -> {
            Instant createdAt = Samples.CREATED.plusMillis((long) (n * millisApart));
            if (!createdAt.isBefore(MIDNIGHT)) {
                sinceMidnight++;
            }
            return Samples.message(room, seq, createdAt);
        });
        System.out.printf("%nfilled %,d messages in %d rooms in %.1f s, %,d since midnight%n", messages, rooms,
                (System.nanoTime() - started) / 1e9, sinceMidnight);
    }

    @Benchmark
    public Map<RoomId, ChatStore.RoomActivity> roomActivity() {
        Map<RoomId, ChatStore.RoomActivity> activity = store.roomActivity();
        long counted = activity.values().stream().mapToLong(ChatStore.RoomActivity::messages).sum();
        if (activity.size() != Math.min(rooms, messages) || counted != messages) {
            throw new IllegalStateException(counted + " messages in " + activity.size() + " rooms");
        }
        return activity;
    }

    @Benchmark
    public long messageCountSinceMidnight() {
        long count = store.messageCountSince(MIDNIGHT);
        if (count != sinceMidnight) {
            throw new IllegalStateException(count + " messages since midnight, expected " + sinceMidnight);
        }
        return count;
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        Samples.deleteRecursively(dir);
    }
}
