package dev.webtalk.store.postgres;

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
import dev.webtalk.RoomSettings;
import dev.webtalk.StoreConflictException;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ChatStore} in PostgreSQL that several engines, on several nodes, can share: every node sees
 * every room, and a room's seqs and stream positions stay dense and unique whichever node appends.
 *
 * <p>Each {@link #apply} batch is one transaction on a pooled connection (the group-commit point,
 * committed with {@code synchronous_commit} on). It first locks the rows of the rooms it names, in id
 * order, and checks that its appends continue each room's stored numbers; when another node numbered a
 * room first it throws {@link StoreConflictException} and stores nothing, and the engine's writer reads
 * the numbers again and retries. Any other failure is a plain {@link StoreException}. Appends are sent
 * as a few multi-row INSERTs per batch. Reads run on the same pool, one statement each, and see
 * committed batches only. Instants are kept to the millisecond.
 *
 * <p>Open it with {@link #open(String)} (it then owns its connection pool), or take it from a {@link
 * PostgresDatabase} to share one pool with a {@link PostgresAttachmentStore}.
 *
 * <p>Thread-safe. After {@link #close()}, every method except {@code close} throws {@link StoreException}.
 */
public final class PostgresChatStore implements ChatStore {

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

    private final PostgresDatabase db;
    private final boolean ownsDatabase;
    private final AtomicBoolean closed = new AtomicBoolean();

    PostgresChatStore(PostgresDatabase db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /** Opens the store at {@code jdbcUrl} with default options, on a pool of its own. */
    public static PostgresChatStore open(String jdbcUrl) {
        return open(PostgresDatabase.Options.of(jdbcUrl));
    }

    /**
     * Opens the store on a pool of its own, which {@link #close()} closes: connects, migrates the schema
     * and checks that the user can write (see {@link PostgresDatabase#open(PostgresDatabase.Options)}).
     *
     * @throws StoreException if the database cannot be reached, migrated or written
     */
    public static PostgresChatStore open(PostgresDatabase.Options options) {
        return new PostgresChatStore(PostgresDatabase.open(options), true);
    }

    /** The database the store keeps its data in. */
    public PostgresDatabase database() {
        return db;
    }

    @Override
    public void apply(List<StoreWrite> batch) {
        Objects.requireNonNull(batch, "batch");
        ensureOpen();
        if (batch.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            Numbering numbering = Numbering.lock(c, batch);
            try (BatchWriter writer = new BatchWriter(c)) {
                for (StoreWrite write : batch) {
                    numbering.check(write);
                    writer.write(write);
                }
                writer.flush();
            }
            numbering.store(c);
            return null;
        }, e -> Failures.batchFailed(batch.size(), e));
    }

    @Override
    public Optional<Room> room(RoomId id) {
        Objects.requireNonNull(id, "id");
        return one("room", Sql.ROOM, ps -> Sql.setText(ps, 1, id.value()), Sql::room);
    }

    @Override
    public List<Room> rooms() {
        return rows("rooms", Sql.ROOMS, ps -> { }, Sql::room);
    }

    @Override
    public List<Member> members(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("members", Sql.MEMBERS, ps -> Sql.setText(ps, 1, roomId.value()), Sql::member);
    }

    @Override
    public Optional<Member> member(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return one("member", Sql.MEMBER, ps -> {
            Sql.setText(ps, 1, roomId.value());
            Sql.setText(ps, 2, userId.value());
        }, Sql::member);
    }

    @Override
    public Map<RoomId, Integer> memberCounts() {
        record Count(RoomId room, int members) {
        }
        Map<RoomId, Integer> counts = new HashMap<>();
        rows("member counts", Sql.MEMBER_COUNTS, ps -> { }, rs -> new Count(RoomId.of(Sql.text(rs, 1)), rs.getInt(2)))
                .forEach(c -> counts.put(c.room(), c.members()));
        return Map.copyOf(counts);
    }

    @Override
    public Map<RoomId, String> ownerNames() {
        record Owner(RoomId room, String name) {
        }
        Map<RoomId, String> names = new HashMap<>();
        rows("owner names", Sql.OWNER_NAMES, ps -> { }, rs -> new Owner(RoomId.of(Sql.text(rs, 1)), Sql.text(rs, 2)))
                .forEach(o -> names.put(o.room(), o.name()));
        return Map.copyOf(names);
    }

    /** {@inheritDoc} Reads the room's numbering row, which every append batch updates. */
    @Override
    public long lastSeq(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return number("last seq", Sql.LAST_SEQ, ps -> Sql.setText(ps, 1, roomId.value()));
    }

    /** {@inheritDoc} Reads the room's numbering row, which every append batch updates. */
    @Override
    public long lastPos(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return number("last position", Sql.LAST_POS, ps -> Sql.setText(ps, 1, roomId.value()));
    }

    @Override
    public List<RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return page("events after", Sql.EVENTS_AFTER, roomId, afterPos, limit, Sql::event);
    }

    @Override
    public List<MessageEdit> edits(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("edits", Sql.EDITS, ps -> {
            Sql.setText(ps, 1, roomId.value());
            ps.setLong(2, seq);
        }, Sql::edit);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement for all the seqs, reading the per-emoji counts kept with every reaction and one
     * primary-key probe per emoji for the reader: the cost grows with the emoji, not the reactors.
     */
    @Override
    public Map<Long, List<Reaction>> reactions(RoomId roomId, Collection<Long> seqs, UserId reader) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(reader, "reader");
        if (seqs.isEmpty()) {
            return Map.of();
        }
        record Counted(long seq, Reaction reaction) {
        }
        List<Counted> rows = read("reactions", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.REACTIONS)) {
                Sql.setText(ps, 1, reader.value());
                Sql.setText(ps, 2, roomId.value());
                ps.setArray(3, c.createArrayOf("bigint", seqs.toArray(new Long[0])));
                return collect(ps, rs -> new Counted(rs.getLong(1),
                        new Reaction(Sql.text(rs, 2), rs.getInt(3), rs.getBoolean(4))));
            }
        });
        Map<Long, List<Reaction>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.computeIfAbsent(r.seq(), k -> new ArrayList<>()).add(r.reaction()));
        Map<Long, List<Reaction>> frozen = new HashMap<>();
        out.forEach((seq, list) -> frozen.put(seq, List.copyOf(list)));
        return Map.copyOf(frozen);
    }

    @Override
    public List<Pin> pins(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("pins", Sql.PINS, ps -> Sql.setText(ps, 1, roomId.value()), Sql::pin);
    }

    @Override
    public List<RoomId> roomsOf(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return rows("rooms of a user", Sql.ROOMS_OF, ps -> Sql.setText(ps, 1, userId.value()),
                rs -> RoomId.of(Sql.text(rs, 1)));
    }

    @Override
    public long readSeq(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return number("read marker", Sql.READ_SEQ, ps -> {
            Sql.setText(ps, 1, roomId.value());
            Sql.setText(ps, 2, userId.value());
        });
    }

    @Override
    public long mentionsAfter(RoomId roomId, UserId userId, long afterSeq) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return number("mentions", Sql.MENTIONS_AFTER, ps -> {
            Sql.setText(ps, 1, roomId.value());
            Sql.setText(ps, 2, userId.value());
            ps.setLong(3, afterSeq);
            Sql.setText(ps, 4, roomId.value());
            ps.setLong(5, afterSeq);
            Sql.setText(ps, 6, userId.value());
        });
    }

    @Override
    public List<Message> history(RoomId roomId, long beforeSeq, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        List<Message> ascending = new ArrayList<>(messages("history", Sql.HISTORY, roomId, beforeSeq, limit));
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
        return page(what, sql, roomId, seq, limit, Sql::message);
    }

    /** A page of a room's rows: {@code sql} takes the room, a seq or position to start from, and the limit. */
    private <T> List<T> page(String what, String sql, RoomId roomId, long from, int limit, Row<T> row) {
        return rows(what, sql, ps -> {
            Sql.setText(ps, 1, roomId.value());
            ps.setLong(2, from);
            ps.setInt(3, limit);
        }, row);
    }

    @Override
    public Optional<Message> message(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return one("message", Sql.MESSAGE, ps -> {
            Sql.setText(ps, 1, roomId.value());
            ps.setLong(2, seq);
        }, Sql::message);
    }

    @Override
    public Optional<Message> messageByClientId(RoomId roomId, UserId authorId, String clientMsgId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return one("message by client id", Sql.MESSAGE_BY_CLIENT_ID, ps -> {
            Sql.setText(ps, 1, roomId.value());
            Sql.setText(ps, 2, authorId.value());
            Sql.setText(ps, 3, clientMsgId);
        }, Sql::message);
    }

    @Override
    public Optional<Message> messageByAttachment(RoomId roomId, String attachmentId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(attachmentId, "attachmentId");
        return one("message by attachment", Sql.MESSAGE_BY_FILE, ps -> {
            Sql.setText(ps, 1, attachmentId);
            Sql.setText(ps, 2, roomId.value());
        }, Sql::message);
    }

    @Override
    public boolean isAttachmentReferenced(String attachmentId) {
        Objects.requireNonNull(attachmentId, "attachmentId");
        return one("attachment reference", Sql.FILE_REFERENCED, ps -> Sql.setText(ps, 1, attachmentId),
                rs -> Boolean.TRUE).isPresent();
    }

    @Override
    public Map<RoomId, Instant> archivedRooms() {
        record Archived(RoomId room, Instant at) {
        }
        Map<RoomId, Instant> archived = new HashMap<>();
        rows("archived rooms", Sql.ARCHIVED_ROOMS, ps -> { }, rs -> new Archived(RoomId.of(Sql.text(rs, 1)),
                Sql.instant(rs, 2))).forEach(a -> archived.put(a.room(), a.at()));
        return Map.copyOf(archived);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads each room's numbering row and its newest message through the primary key: the cost grows
     * with the number of rooms, not of messages. The count is the room's last seq, exact here because
     * this store refuses any append that would leave a gap.
     */
    @Override
    public Map<RoomId, RoomActivity> roomActivity() {
        record Activity(RoomId room, RoomActivity activity) {
        }
        Map<RoomId, RoomActivity> activity = new HashMap<>();
        rows("room activity", Sql.ROOM_ACTIVITY, ps -> { }, rs -> new Activity(RoomId.of(Sql.text(rs, 1)),
                new RoomActivity(rs.getLong(2), Sql.instant(rs, 3)))).forEach(a -> activity.put(a.room(), a.activity()));
        return Map.copyOf(activity);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binary-searches each room's messages by seq for the first one created at or after {@code since}
     * and counts from there to the newest, with primary-key probes only: the cost grows with the number of
     * rooms and the logarithm of their sizes. This assumes that within a room {@code created_at} does not
     * decrease with seq, which holds while the engines' clocks agree: one room's messages may be appended
     * by several nodes. If a clock stepped back (or two nodes' clocks disagree), the count is approximate.
     */
    @Override
    public long messageCountSince(Instant since) {
        Objects.requireNonNull(since, "since");
        return number("message count", Sql.MESSAGES_SINCE, ps -> {
            Sql.setInstant(ps, 1, since);
            Sql.setInstant(ps, 2, since);
            Sql.setInstant(ps, 3, since);
        });
    }

    @Override
    public void ping() {
        number("a ping", Sql.PING, ps -> { });
    }

    @Override
    public List<dev.webtalk.ActivityBucket> messageActivity(Instant from, java.time.Duration bucket) {
        Objects.requireNonNull(from, "from");
        if (bucket == null || bucket.toMillis() <= 0) {
            throw new IllegalArgumentException("bucket must be at least 1 ms: " + bucket);
        }
        long step = bucket.toMillis();
        long start = from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toEpochMilli();
        return rows("message activity", Sql.MESSAGE_ACTIVITY, ps -> {
            for (int i = 1; i <= 4; i++) {
                Sql.setInstant(ps, i, from);
            }
            ps.setLong(5, step);
        }, rs -> new dev.webtalk.ActivityBucket(Instant.ofEpochMilli(start + rs.getLong(1) * step), rs.getLong(2),
                rs.getLong(3)));
    }

    @Override
    public Map<String, String> settings() {
        record Setting(String key, String value) {
        }
        Map<String, String> settings = new HashMap<>();
        rows("settings", Sql.SETTINGS, ps -> { }, rs -> new Setting(Sql.text(rs, 1), Sql.text(rs, 2)))
                .forEach(s -> settings.put(s.key(), s.value()));
        return Map.copyOf(settings);
    }

    @Override
    public void putHostSession(dev.webtalk.spi.HostSession session) {
        Objects.requireNonNull(session, "session");
        update("a host session", """
                INSERT INTO host_sessions (key, csrf_token, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET csrf_token = EXCLUDED.csrf_token, expires_at = EXCLUDED.expires_at""", ps -> {
            Sql.setText(ps, 1, session.key());
            Sql.setText(ps, 2, session.csrfToken());
            Sql.setInstant(ps, 3, session.expires());
        });
    }

    @Override
    public Optional<dev.webtalk.spi.HostSession> hostSession(String key) {
        Objects.requireNonNull(key, "key");
        return one("a host session", "SELECT csrf_token, expires_at FROM host_sessions WHERE key = ?",
                ps -> Sql.setText(ps, 1, key), rs -> new dev.webtalk.spi.HostSession(key, Sql.text(rs, 1), Sql.instant(rs, 2)));
    }

    @Override
    public boolean deleteHostSession(String key) {
        Objects.requireNonNull(key, "key");
        return update("a host session", "DELETE FROM host_sessions WHERE key = ?", ps -> Sql.setText(ps, 1, key)) > 0;
    }

    @Override
    public int deleteHostSessionsExpiredBy(Instant now) {
        Objects.requireNonNull(now, "now");
        return update("expired host sessions", "DELETE FROM host_sessions WHERE expires_at <= ?",
                ps -> Sql.setInstant(ps, 1, now));
    }

    /** One statement in a transaction of its own, outside the writer's batches. */
    private int update(String what, String sql, Binder bind) {
        ensureOpen();
        return db.write(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public RoomSettings roomSettings(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return one("room settings", Sql.ROOM_SETTINGS, ps -> Sql.setText(ps, 1, roomId.value()), Sql::roomSettings)
                .orElse(RoomSettings.DEFAULTS);
    }

    @Override
    public Optional<Restriction> restriction(RoomId roomId, UserId userId, Restriction.Kind kind) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        return one("restriction", Sql.RESTRICTION, ps -> {
            Sql.setText(ps, 1, roomId.value());
            Sql.setText(ps, 2, userId.value());
            ps.setString(3, kind.name());
        }, Sql::restriction);
    }

    @Override
    public List<Restriction> restrictions(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return rows("restrictions", Sql.RESTRICTIONS, ps -> Sql.setText(ps, 1, roomId.value()), Sql::restriction);
    }

    @Override
    public List<AuditEntry> audit(RoomId roomId, long beforeId, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return rows("audit log", Sql.AUDIT, ps -> {
            Sql.setText(ps, 1, roomId.value());
            ps.setLong(2, beforeId);
            ps.setInt(3, limit);
        }, Sql::auditEntry);
    }

    /**
     * Closes the store; a store opened with {@link #open} also closes its pool, after letting a running
     * batch commit. A store taken from a {@link PostgresDatabase} leaves the database open. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsDatabase) {
            db.close();
        }
    }

    /** The value of a server setting as the pool's connections have it, for tests. */
    String sessionSetting(String name) {
        return read("setting " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private <T> T read(String what, PostgresDatabase.Work<T> work) {
        ensureOpen();
        return db.read(what, work);
    }

    private <T> List<T> rows(String what, String sql, Binder bind, Row<T> row) {
        return read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind.bind(ps);
                return collect(ps, row);
            }
        });
    }

    private static <T> List<T> collect(PreparedStatement ps, Row<T> row) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.read(rs));
            }
            return List.copyOf(out);
        }
    }

    private <T> Optional<T> one(String what, String sql, Binder bind, Row<T> row) {
        List<T> found = rows(what, sql, bind, row);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The number in the first column of the first row; 0 for none (or NULL). */
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

    private void ensureOpen() {
        if (closed.get()) {
            throw new StoreException("PostgreSQL store " + db.describe() + " is closed", null);
        }
        db.ensureOpen();
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
    }
}
