package dev.webtalk.store.sqlite;

import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.Pin;
import dev.webtalk.Reaction;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ChatStore} in one SQLite file, in WAL mode, so readers never wait for the writer.
 *
 * <p>One dedicated connection writes; each {@link #apply} batch is one {@code BEGIN IMMEDIATE … COMMIT}
 * transaction (the group-commit point) and either commits whole or rolls back whole. A small bounded
 * pool of read-only connections serves reads, each statement seeing the last committed batch. The
 * schema is versioned in {@code PRAGMA user_version} and migrated when the store opens. A background
 * thread with a connection of its own copies committed pages from the WAL into the file, so commits
 * never wait for a checkpoint.
 *
 * <p>Instants are stored as epoch milliseconds, so anything finer is dropped.
 *
 * <p>Thread-safe. After {@link #close()}, every method except {@code close} throws
 * {@link StoreException}.
 */
public final class SqliteChatStore implements ChatStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteChatStore.class);

    /**
     * How hard a commit pushes to the disk (SQLite's {@code PRAGMA synchronous}, in WAL mode). Both
     * survive a crash of the process: an acknowledged message is in the WAL file before the
     * acknowledgement. They differ on a power loss or OS crash.
     */
    public enum Synchronous {
        /**
         * The WAL is synced at checkpoints, not at every commit: after a power loss the last
         * transactions (up to the last checkpoint) may be rolled back, but the file is never corrupt.
         * The default: much higher write throughput.
         */
        NORMAL,
        /** The WAL is synced at every commit (group commit shares one sync across a batch): survives power loss. */
        FULL
    }

    /**
     * Settings of a {@link SqliteChatStore}.
     *
     * @param synchronous durability of a commit (default {@link Synchronous#NORMAL})
     * @param busyTimeout how long to wait for a lock held by another process, and for a free read
     *     connection (default 5 s)
     * @param readPoolSize read-only connections, i.e. reads that can run at once (default 4)
     */
    public record Options(Synchronous synchronous, Duration busyTimeout, int readPoolSize) {
        public Options {
            Objects.requireNonNull(synchronous, "synchronous");
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            // Compared as Durations: toMillis() would overflow, not fail cleanly, on a huge one.
            if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("busyTimeout must be 0.." + Integer.MAX_VALUE + " ms");
            }
            if (readPoolSize < 1) {
                throw new IllegalArgumentException("readPoolSize must be >= 1, was " + readPoolSize);
            }
        }

        /** NORMAL synchronous, 5 s busy timeout, 4 read connections. */
        public static Options defaults() {
            return new Options(Synchronous.NORMAL, Duration.ofSeconds(5), 4);
        }

        public Options withSynchronous(Synchronous v) {
            return new Options(v, busyTimeout, readPoolSize);
        }

        public Options withBusyTimeout(Duration v) {
            return new Options(synchronous, v, readPoolSize);
        }

        public Options withReadPoolSize(int v) {
            return new Options(synchronous, busyTimeout, v);
        }
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row {@code sql} returns, read by {@code row}. */
    private <T> List<T> rows(String what, String sql, Binder bind, Row<T> row) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                    return List.copyOf(out);
                }
            }
        });
    }

    /** The number in the first column of the first row {@code sql} returns; 0 for none (or NULL). */
    private long number(String what, String sql, Binder bind) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Least time between background checkpoints while commits keep coming. */
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(250);

    private final Path file;
    private final Options options;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final BatchWriter batchWriter;
    private final BlockingQueue<Connection> idleReaders;
    private final Checkpointer checkpointer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteChatStore(Path file, Options options, Connection writer, BatchWriter batchWriter,
                            List<Connection> readers, Checkpointer checkpointer) {
        this.file = file;
        this.checkpointer = checkpointer;
        this.options = options;
        this.writer = writer;
        this.batchWriter = batchWriter;
        this.idleReaders = new ArrayBlockingQueue<>(readers.size(), false, readers);
    }

    /** Opens (creating if needed, with parent directories) the store in {@code dbFile} with default options. */
    public static SqliteChatStore open(Path dbFile) {
        return open(dbFile, Options.defaults());
    }

    /**
     * Opens (creating if needed, with parent directories) the store in {@code dbFile} and migrates its
     * schema to the current version.
     *
     * @throws StoreException if the file cannot be opened, is not a SQLite database, cannot be migrated,
     *     or has a schema newer than this code
     */
    public static SqliteChatStore open(Path dbFile, Options options) {
        Objects.requireNonNull(options, "options");
        Path file = dbFile.toAbsolutePath();
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file;
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = writerConfig(options).createConnection(url);
            opened.add(writer);
            // Refuse a file we cannot read before changing it: switching to WAL rewrites its header.
            Migrations.supportedVersion(writer, Migrations.STEPS);
            String mode = queryString(writer, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("SQLite refused WAL journal mode (got " + mode + ")", null);
            }
            Migrations.migrate(writer, Migrations.STEPS);
            probe(writer);
            // The checkpointer below copies the WAL into the file; the writer's own checkpoint is a backstop.
            queryString(writer, "PRAGMA wal_autocheckpoint = " + Checkpointer.BACKSTOP_PAGES);
            BatchWriter batchWriter = new BatchWriter(writer);
            List<Connection> readers = new ArrayList<>();
            for (int i = 0; i < options.readPoolSize(); i++) {
                Connection reader = readerConfig(options).createConnection(url);
                opened.add(reader);
                readers.add(reader);
            }
            Connection checkpoints = writerConfig(options).createConnection(url);
            opened.add(checkpoints);
            Checkpointer checkpointer = new Checkpointer(checkpoints, CHECKPOINT_INTERVAL,
                    "webtalk-sqlite-checkpoint-" + file.getFileName());
            return new SqliteChatStore(file, options, writer, batchWriter, readers, checkpointer);
        } catch (SQLException | RuntimeException e) {
            for (Connection c : opened) {
                closeQuietly(c, e);
            }
            throw new StoreException("cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteConfig writerConfig(Options options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(options.synchronous() == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.enforceForeignKeys(true);
        return config;
    }

    private static SQLiteConfig readerConfig(Options options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        return config;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The options the store was opened with. */
    public Options options() {
        return options;
    }

    @Override
    public void apply(List<StoreWrite> batch) {
        Objects.requireNonNull(batch, "batch");
        ensureOpen();
        if (batch.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            ensureOpen();
            try {
                Sql.exec(writer, "BEGIN IMMEDIATE");
            } catch (SQLException e) {
                throw new StoreException("cannot start a write transaction: " + e.getMessage(), e);
            }
            try {
                for (StoreWrite write : batch) {
                    batchWriter.write(write);
                }
                batchWriter.flush();
                Sql.exec(writer, "COMMIT");
                checkpointer.committed();
            } catch (SQLException | RuntimeException e) {
                batchWriter.discard(e);
                Sql.rollbackQuietly(writer, e);
                throw new StoreException("batch of " + batch.size() + " writes rolled back: " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Room> room(RoomId id) {
        Objects.requireNonNull(id, "id");
        return read("room", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ROOM)) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.room(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Room> rooms() {
        return read("rooms", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ROOMS); ResultSet rs = ps.executeQuery()) {
                List<Room> rooms = new ArrayList<>();
                while (rs.next()) {
                    rooms.add(Sql.room(rs));
                }
                return List.copyOf(rooms);
            }
        });
    }

    @Override
    public List<Member> members(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read("members", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MEMBERS)) {
                ps.setString(1, roomId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Member> members = new ArrayList<>();
                    while (rs.next()) {
                        members.add(Sql.member(rs));
                    }
                    return List.copyOf(members);
                }
            }
        });
    }

    @Override
    public Optional<Member> member(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return read("member", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MEMBER)) {
                ps.setString(1, roomId.value());
                ps.setString(2, userId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.member(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<RoomId, Integer> memberCounts() {
        return read("member counts", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MEMBER_COUNTS); ResultSet rs = ps.executeQuery()) {
                Map<RoomId, Integer> counts = new HashMap<>();
                while (rs.next()) {
                    counts.put(RoomId.of(rs.getString(1)), rs.getInt(2));
                }
                return Map.copyOf(counts);
            }
        });
    }

    @Override
    public Map<RoomId, String> ownerNames() {
        return read("owner names", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.OWNER_NAMES); ResultSet rs = ps.executeQuery()) {
                Map<RoomId, String> names = new HashMap<>();
                while (rs.next()) {
                    names.put(RoomId.of(rs.getString(1)), rs.getString(2));
                }
                return Map.copyOf(names);
            }
        });
    }

    @Override
    public long lastSeq(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return number("last seq", Sql.LAST_SEQ, ps -> ps.setString(1, roomId.value())); // max() of no rows: NULL, 0
    }

    @Override
    public long lastPos(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return number("last position", Sql.LAST_POS, ps -> ps.setString(1, roomId.value()));
    }

    @Override
    public List<RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return rows("events after", Sql.EVENTS_AFTER, ps -> {
            ps.setString(1, roomId.value());
            ps.setLong(2, afterPos);
            ps.setInt(3, limit);
        }, Sql::event);
    }

    @Override
    public Map<Long, List<Reaction>> reactions(RoomId roomId, Collection<Long> seqs, UserId reader) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(reader, "reader");
        if (seqs.isEmpty()) {
            return Map.of();
        }
        List<Long> all = List.copyOf(seqs);
        Map<Long, List<Reaction>> out = new HashMap<>();
        // SQLite binds at most 32,766 parameters; pages of messages are far smaller, but stay safe.
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            record Counted(long seq, Reaction reaction) {
            }
            List<Counted> rows = rows("reactions", Sql.reactions(chunk.size()), ps -> {
                ps.setString(1, reader.value());
                ps.setString(2, roomId.value());
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(3 + i, chunk.get(i));
                }
            }, rs -> new Counted(rs.getLong(1), new Reaction(rs.getString(2), rs.getInt(3), rs.getInt(4) != 0)));
            rows.forEach(r -> out.computeIfAbsent(r.seq(), k -> new ArrayList<>()).add(r.reaction()));
        }
        Map<Long, List<Reaction>> frozen = new HashMap<>();
        out.forEach((seq, list) -> frozen.put(seq, List.copyOf(list)));
        return Map.copyOf(frozen);
    }

    @Override
    public List<Pin> pins(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("pins", Sql.PINS, ps -> ps.setString(1, roomId.value()), Sql::pin);
    }

    @Override
    public List<RoomId> roomsOf(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return rows("rooms of a user", Sql.ROOMS_OF, ps -> ps.setString(1, userId.value()),
                rs -> RoomId.of(rs.getString(1)));
    }

    @Override
    public long readSeq(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return number("read marker", Sql.READ_SEQ, ps -> {
            ps.setString(1, roomId.value());
            ps.setString(2, userId.value());
        });
    }

    @Override
    public long mentionsAfter(RoomId roomId, UserId userId, long afterSeq) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return number("mentions", Sql.MENTIONS_AFTER, ps -> {
            ps.setString(1, roomId.value());
            ps.setString(2, userId.value());
            ps.setLong(3, afterSeq);
        });
    }

    @Override
    public List<MessageEdit> edits(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("edits", Sql.EDITS, ps -> {
            ps.setString(1, roomId.value());
            ps.setLong(2, seq);
        }, Sql::edit);
    }

    @Override
    public List<Message> history(RoomId roomId, long beforeSeq, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        List<Message> newestFirst = messages("history", Sql.HISTORY, roomId, beforeSeq, limit);
        List<Message> ascending = new ArrayList<>(newestFirst);
        Collections.reverse(ascending);
        return Collections.unmodifiableList(ascending);
    }

    @Override
    public List<Message> messagesAfter(RoomId roomId, long afterSeq, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return messages("messages after", Sql.MESSAGES_AFTER, roomId, afterSeq, limit);
    }

    private List<Message> messages(String what, String sql, RoomId roomId, long seq, int limit) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, roomId.value());
                ps.setLong(2, seq);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Message> messages = new ArrayList<>();
                    while (rs.next()) {
                        messages.add(Sql.message(rs));
                    }
                    return List.copyOf(messages);
                }
            }
        });
    }

    @Override
    public Optional<Message> message(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return read("message", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MESSAGE)) {
                ps.setString(1, roomId.value());
                ps.setLong(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.message(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Message> messageByClientId(RoomId roomId, UserId authorId, String clientMsgId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return read("message by client id", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MESSAGE_BY_CLIENT_ID)) {
                ps.setString(1, roomId.value());
                ps.setString(2, authorId.value());
                ps.setString(3, clientMsgId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.message(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Message> messageByAttachment(RoomId roomId, String attachmentId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(attachmentId, "attachmentId");
        return read("message by attachment", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MESSAGE_BY_FILE)) {
                ps.setString(1, attachmentId);
                ps.setString(2, roomId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.message(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean isAttachmentReferenced(String attachmentId) {
        Objects.requireNonNull(attachmentId, "attachmentId");
        return read("attachment reference", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.FILE_REFERENCED)) {
                ps.setString(1, attachmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Map<RoomId, Instant> archivedRooms() {
        return read("archived rooms", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ARCHIVED_ROOMS); ResultSet rs = ps.executeQuery()) {
                Map<RoomId, Instant> archived = new HashMap<>();
                while (rs.next()) {
                    archived.put(RoomId.of(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)));
                }
                return Map.copyOf(archived);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads each room's newest message through the primary key, so the cost grows with the number of
     * rooms, not of messages. The count is that message's seq: the engine numbers a room's messages
     * densely from 1 and never removes one (deletion is soft; deleting the room removes them all), so
     * the highest seq is the number stored. (When an append fails, the engine fails the room's appends
     * queued behind it rather than leave its seq unused; a store handed a gap anyway counts it as a
     * message.) The time is the newest message's, the latest one unless the clock stepped back.
     */
    @Override
    public Map<RoomId, RoomActivity> roomActivity() {
        return read("room activity", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ROOM_ACTIVITY); ResultSet rs = ps.executeQuery()) {
                Map<RoomId, RoomActivity> activity = new HashMap<>();
                while (rs.next()) {
                    activity.put(RoomId.of(rs.getString(1)),
                            new RoomActivity(rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return Map.copyOf(activity);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binary-searches each room's messages by seq for the first one created at or after {@code since}
     * and counts from there to the newest, with primary-key seeks only: the cost grows with the number
     * of rooms and the logarithm of their sizes, never with the messages themselves. This assumes that
     * within a room {@code created_at} does not decrease with seq, which holds because the engine takes
     * both from its clock on the room's single lane. If the clock stepped back, the count is
     * approximate: messages on the wrong side of the step may be counted or missed. Like
     * {@link #roomActivity()}, it counts by seq, so a seq left unused by a failed append counts as a
     * message when the message after it does.
     */
    @Override
    public long messageCountSince(Instant since) {
        Objects.requireNonNull(since, "since");
        return read("message count", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MESSAGES_SINCE)) {
                ps.setLong(1, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<dev.webtalk.ActivityBucket> messageActivity(Instant from, Duration bucket) {
        Objects.requireNonNull(from, "from");
        long step = bucketMillis(bucket);
        return read("message activity", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.MESSAGE_ACTIVITY)) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, step);
                List<dev.webtalk.ActivityBucket> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new dev.webtalk.ActivityBucket(Instant.ofEpochMilli(from.toEpochMilli() + rs.getLong(1) * step),
                                rs.getLong(2), rs.getLong(3)));
                    }
                }
                return List.copyOf(result);
            }
        });
    }

    private static long bucketMillis(Duration bucket) {
        if (bucket == null || bucket.toMillis() <= 0) {
            throw new IllegalArgumentException("bucket must be at least 1 ms: " + bucket);
        }
        return bucket.toMillis();
    }

    @Override
    public dev.webtalk.RoomSettings roomSettings(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read("room settings", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ROOM_SETTINGS)) {
                ps.setString(1, roomId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new dev.webtalk.RoomSettings(Duration.ofMillis(rs.getLong(1)), rs.getInt(2) != 0,
                            rs.getString(3)) : dev.webtalk.RoomSettings.DEFAULTS;
                }
            }
        });
    }

    @Override
    public void ping() {
        read("a ping", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.PING); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public Map<String, String> settings() {
        return read("settings", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.SETTINGS); ResultSet rs = ps.executeQuery()) {
                Map<String, String> settings = new HashMap<>();
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                }
                return Map.copyOf(settings);
            }
        });
    }

    @Override
    public void putHostSession(dev.webtalk.spi.HostSession session) {
        Objects.requireNonNull(session, "session");
        writeAlone("a host session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO host_sessions (key, csrf_token, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, session.key());
                ps.setString(2, session.csrfToken());
                ps.setLong(3, session.expires().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<dev.webtalk.spi.HostSession> hostSession(String key) {
        Objects.requireNonNull(key, "key");
        return read("a host session", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT csrf_token, expires_at FROM host_sessions WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new dev.webtalk.spi.HostSession(key, rs.getString(1),
                            Instant.ofEpochMilli(rs.getLong(2)))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean deleteHostSession(String key) {
        Objects.requireNonNull(key, "key");
        return writeAlone("a host session", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM host_sessions WHERE key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        }) > 0;
    }

    @Override
    public int deleteHostSessionsExpiredBy(Instant now) {
        Objects.requireNonNull(now, "now");
        return writeAlone("expired host sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM host_sessions WHERE expires_at <= ?")) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** One statement on the write connection, between the writer's batches; it commits on its own. */
    private int writeAlone(String what, Query<Integer> statement) {
        ensureOpen();
        writeLock.lock();
        try {
            ensureOpen();
            return statement.run(writer);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("writing " + what + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Restriction> restriction(RoomId roomId, UserId userId, Restriction.Kind kind) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        return read("restriction", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.RESTRICTION)) {
                ps.setString(1, roomId.value());
                ps.setString(2, userId.value());
                ps.setString(3, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.restriction(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Restriction> restrictions(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read("restrictions", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.RESTRICTIONS)) {
                ps.setString(1, roomId.value());
                List<Restriction> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(Sql.restriction(rs));
                    }
                }
                return Collections.unmodifiableList(result);
            }
        });
    }

    @Override
    public List<AuditEntry> audit(RoomId roomId, long beforeId, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return read("audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.AUDIT)) {
                ps.setString(1, roomId.value());
                ps.setLong(2, beforeId);
                ps.setInt(3, limit);
                List<AuditEntry> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(Sql.auditEntry(rs));
                    }
                }
                return Collections.unmodifiableList(result);
            }
        });
    }

    /** Closes every connection; connections busy with a read close when that read ends. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeIdleReaders();
        checkpointer.close();
        writeLock.lock(); // lets a running batch finish rather than cutting it off
        try {
            try {
                batchWriter.close();
            } catch (SQLException e) {
                LOG.warn("Closing SQLite statements of {} failed", file, e);
            }
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.warn("Closing SQLite store {} failed", file, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs a query on the write connection, for tests that check per-connection settings. */
    String writerPragma(String pragma) {
        writeLock.lock();
        try {
            ensureOpen();
            return queryString(writer, "PRAGMA " + pragma);
        } catch (SQLException e) {
            throw new StoreException("PRAGMA " + pragma + " failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T read(String what, Query<T> query) {
        Connection c = borrowReader();
        try {
            return query.run(c);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("reading " + what + " failed: " + e.getMessage(), e);
        } finally {
            returnReader(c);
        }
    }

    private Connection borrowReader() {
        ensureOpen();
        Connection c;
        try {
            c = idleReaders.poll(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
        if (c == null) {
            ensureOpen();
            throw new StoreException("no read connection became free within " + options.busyTimeout().toMillis()
                    + " ms", null);
        }
        return c;
    }

    private void returnReader(Connection c) {
        idleReaders.offer(c);
        // close() may have drained the queue between our read and the offer above.
        if (closed.get()) {
            closeIdleReaders();
        }
    }

    private void closeIdleReaders() {
        Connection c;
        while ((c = idleReaders.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("Closing a SQLite read connection of {} failed", file, e);
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StoreException("SQLite store " + file + " is closed", null);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
    }

    /**
     * Refuses at open a file the store could not use, rather than failing every request later: it must
     * take a write (a header write in a transaction that is rolled back), and the schema and the pages on
     * the way to the first and last row of every table (by its key) must read. Not a full integrity
     * check, which would read every page; {@code SqliteMaintenance} and {@code admin check} have that.
     *
     * @throws StoreException naming the cause: read-only (permission denied), or damaged
     */
    static void probe(Connection c) {
        try {
            Sql.exec(c, "BEGIN IMMEDIATE");
            try {
                Sql.exec(c, "PRAGMA user_version = " + Migrations.currentVersion(c));
            } finally {
                Sql.exec(c, "ROLLBACK");
            }
        } catch (SQLException e) {
            String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (text.contains("readonly") || text.contains("read-only") || text.contains("permission")) {
                throw new StoreException("the database file is read-only (permission denied?); WebTalk needs to "
                        + "write it: " + e.getMessage(), e);
            }
            throw new StoreException("the database cannot be written: " + e.getMessage(), e);
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            for (String table : tables) {
                // Names come from the schema itself, quoted: not input.
                String quoted = '"' + table.replace("\"", "\"\"") + '"';
                for (String order : new String[] {"", " ORDER BY 1 DESC"}) {
                    try (PreparedStatement row = c.prepareStatement("SELECT * FROM " + quoted + order + " LIMIT 1");
                         ResultSet r = row.executeQuery()) {
                        r.next();
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("the database file is damaged (" + e.getMessage() + "); restore it from a "
                    + "backup, or check it with 'admin check'", e);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(Connection c, Throwable failure) {
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
