package dev.webtalk.benchmarks;

import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** Typical values shared by the benchmarks, so every one measures the same shape of message. */
final class Samples {
    /** 61 characters: a short chat line, the common case. */
    static final String TEXT = "Sounds good, see you at the station at 6 — I'll bring the map";
    static final UserId AUTHOR = UserId.of("g-4f9c2e1a");
    static final String AUTHOR_NAME = "Ana";
    static final Instant CREATED = Instant.ofEpochMilli(1_764_028_800_000L);

    private Samples() {
    }

    static RoomId roomId(int i) {
        return RoomId.of(String.format("Room%04d", i));
    }

    static Room room(RoomId id) {
        return new Room(id, "General " + id.value(), AUTHOR, null, CREATED);
    }

    /** A text message as a client sends it: with a unique client message id. */
    static Message message(RoomId room, long seq) {
        return message(room, seq, CREATED.plusMillis(seq));
    }

    /** The same message, created at {@code createdAt}. */
    static Message message(RoomId room, long seq, Instant createdAt) {
        return new Message(room, seq, AUTHOR, AUTHOR_NAME, MessageKind.TEXT, TEXT, "c-1764028800-" + seq,
                createdAt, null);
    }

    /** A fresh directory under java.io.tmpdir for a benchmark's database files. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("webtalk-bench-" + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
