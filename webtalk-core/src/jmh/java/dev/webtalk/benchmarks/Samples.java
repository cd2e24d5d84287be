package dev.webtalk.benchmarks;

import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    /** Writes per transaction when a benchmark fills its store. */
    static final int FILL_BATCH = 10_000;

    /** Message {@code n} (from 0) of a {@link #fill}: {@code seq} is its number within {@code room}. */
    @FunctionalInterface
    interface FillMessage {
        Message make(RoomId room, long seq, long n);
    }

    /**
     * Creates {@code rooms} rooms in {@code store} and appends {@code messages} messages round-robin over
     * them, as concurrent conversations interleave in the file, in transactions of {@link #FILL_BATCH}
     * writes. Returns the rooms' ids.
     */
    static RoomId[] fill(ChatStore store, int rooms, long messages, FillMessage message) {
        RoomId[] roomIds = new RoomId[rooms];
        List<StoreWrite> writes = new ArrayList<>(FILL_BATCH);
        for (int i = 0; i < rooms; i++) {
            roomIds[i] = roomId(i);
            writes.add(new StoreWrite.CreateRoom(room(roomIds[i])));
        }
        store.apply(writes);
        writes.clear();
        for (long n = 0; n < messages; n++) {
            int r = (int) (n % rooms);
            writes.add(new StoreWrite.AppendMessage(message.make(roomIds[r], n / rooms + 1, n)));
            if (writes.size() == FILL_BATCH) {
                store.apply(writes);
                writes.clear();
            }
        }
        if (!writes.isEmpty()) {
            store.apply(writes);
        }
        return roomIds;
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
