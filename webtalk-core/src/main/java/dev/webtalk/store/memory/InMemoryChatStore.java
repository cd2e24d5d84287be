package dev.webtalk.store.memory;

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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A {@link ChatStore} that keeps everything in memory and loses it on close: for tests, demos and
 * hosts that do not need history across restarts.
 *
 * <p>It enforces the same rules as the durable stores (duplicate room ids and seqs, one client message
 * id per author and room, members and messages only in existing rooms) so code tested against it
 * behaves the same on SQLite. For the same reason it keeps instants to the millisecond, as
 * {@link ChatStore} specifies.
 *
 * <p>Threading: a read-write lock; reads run concurrently with each other and wait only while a batch
 * is being applied, so they never see part of a batch. A failing batch is undone write by write
 * before the lock is released, so it leaves nothing behind. After {@link #close()} every method except
 * {@code close} throws {@link StoreException}.
 */
public final class InMemoryChatStore implements ChatStore {
    private static final Comparator<Room> OLDEST_FIRST =
            Comparator.comparing(Room::createdAt).thenComparing(r -> r.id().value());

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<RoomId, RoomState> rooms = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, dev.webtalk.spi.HostSession> hostSessions = new HashMap<>();
    private volatile boolean closed;
    /** Audit ids are unique across rooms, like a database sequence. Guarded by the write lock. */
    private long auditIds;

    /** An empty, open store. */
    public InMemoryChatStore() {
    }

    /**
     * Applies the batch in order. If any write fails, the writes before it are undone and a
     * {@link StoreException} is thrown.
     */
    @Override
    public void apply(List<StoreWrite> batch) {
        Objects.requireNonNull(batch, "batch");
        lock.writeLock().lock();
        try {
            ensureOpen();
            Deque<Runnable> undo = new ArrayDeque<>();
            try {
                for (StoreWrite write : batch) {
                    applyOne(write, undo);
                }
            } catch (RuntimeException e) {
                while (!undo.isEmpty()) {
                    undo.pop().run();
                }
                throw new StoreException("batch of " + batch.size() + " writes rolled back: " + e.getMessage(), e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyOne(StoreWrite write, Deque<Runnable> undo) {
        if (write instanceof StoreWrite.CreateRoom w) {
            RoomId id = w.room().id();
            if (rooms.containsKey(id)) {
                throw new IllegalStateException("room " + id + " already exists");
            }
            rooms.put(id, new RoomState(toMillis(w.room())));
            undo.push(() -> rooms.remove(id));
        } else if (write instanceof StoreWrite.DeleteRoom w) {
            RoomState old = rooms.remove(w.roomId());
            if (old != null) {
                undo.push(() -> rooms.put(w.roomId(), old));
            }
        } else if (write instanceof StoreWrite.PutMember w) {
            existing(w.member().roomId()).putMember(toMillis(w.member()), undo);
        } else if (write instanceof StoreWrite.RemoveMember w) {
            RoomState room = rooms.get(w.roomId());
            if (room != null) {
                room.removeMember(w.userId(), undo);
            }
        } else if (write instanceof StoreWrite.AppendMessage w) {
            Message m = w.message();
            if (m.attachment() != null && rooms.values().stream()
                    .anyMatch(r -> r.seqByAttachment.containsKey(m.attachment().id()))) {
                throw new IllegalStateException("attachment " + m.attachment().id() + " is already in a message");
            }
            existing(m.roomId()).append(toMillis(m), undo);
        } else if (write instanceof StoreWrite.DeleteMessage w) {
            RoomState room = rooms.get(w.roomId());
            if (room != null) {
                room.softDelete(w.seq(), toMillis(w.deletedAt()), undo);
            }
        } else if (write instanceof StoreWrite.EditMessage w) {
            RoomState room = rooms.get(w.roomId());
            if (room != null) {
                room.edit(w, toMillis(w.editedAt()), undo);
            }
        } else if (write instanceof StoreWrite.PutReaction w) {
            RoomState room = rooms.get(w.roomId());
            Message m = room == null ? null : room.messages.get(w.seq());
            if (m != null && !m.isDeleted()) {
                Map<String, Map<UserId, Instant>> byEmoji = room.reactions.computeIfAbsent(w.seq(), k -> new LinkedHashMap<>());
                Map<UserId, Instant> users = byEmoji.computeIfAbsent(w.emoji(), k -> new LinkedHashMap<>());
                if (!users.containsKey(w.userId())) {
                    users.put(w.userId(), toMillis(w.at()));
                    undo.push(() -> {
                        users.remove(w.userId());
                        if (users.isEmpty()) {
                            byEmoji.remove(w.emoji());
                        }
                        if (byEmoji.isEmpty()) {
                            room.reactions.remove(w.seq());
                        }
                    });
                }
            }
        } else if (write instanceof StoreWrite.RemoveReaction w) {
            RoomState room = rooms.get(w.roomId());
            Map<String, Map<UserId, Instant>> byEmoji = room == null ? null : room.reactions.get(w.seq());
            Map<UserId, Instant> users = byEmoji == null ? null : byEmoji.get(w.emoji());
            if (users != null && users.containsKey(w.userId())) {
                Map<String, Map<UserId, Instant>> before = copyReactions(byEmoji);
                users.remove(w.userId());
                if (users.isEmpty()) {
                    byEmoji.remove(w.emoji());
                }
                if (byEmoji.isEmpty()) {
                    room.reactions.remove(w.seq());
                }
                undo.push(() -> room.reactions.put(w.seq(), before));
            }
        } else if (write instanceof StoreWrite.PutPin w) {
            Pin pin = new Pin(w.pin().roomId(), w.pin().seq(), w.pin().pinnedBy(), toMillis(w.pin().pinnedAt()));
            RoomState room = rooms.get(pin.roomId());
            Message m = room == null ? null : room.messages.get(pin.seq());
            if (m != null && !m.isDeleted() && !room.pins.containsKey(pin.seq())) {
                room.pins.put(pin.seq(), pin);
                undo.push(() -> room.pins.remove(pin.seq()));
            }
        } else if (write instanceof StoreWrite.RemovePin w) {
            RoomState room = rooms.get(w.roomId());
            Pin old = room == null ? null : room.pins.remove(w.seq());
            if (old != null) {
                undo.push(() -> room.pins.put(w.seq(), old));
            }
        } else if (write instanceof StoreWrite.PutReadMarker w) {
            RoomState room = existing(w.roomId());
            Long old = room.readMarkers.get(w.userId());
            if (old == null || old < w.seq()) {
                room.readMarkers.put(w.userId(), w.seq());
                undo.push(() -> {
                    if (old == null) {
                        room.readMarkers.remove(w.userId());
                    } else {
                        room.readMarkers.put(w.userId(), old);
                    }
                });
            }
        } else if (write instanceof StoreWrite.AppendEvent w) {
            RoomEvent e = w.event();
            RoomState room = existing(e.roomId());
            if (room.events.containsKey(e.pos())) {
                throw new IllegalStateException("room " + e.roomId() + " already has event " + e.pos());
            }
            room.events.put(e.pos(), new RoomEvent(e.roomId(), e.pos(), e.kind(), toMillis(e.at()), e.seq(), e.userId()));
            undo.push(() -> room.events.remove(e.pos()));
        } else if (write instanceof StoreWrite.SetRoomArchived w) {
            RoomState room = rooms.get(w.roomId());
            if (room != null) {
                Instant old = room.archivedAt;
                if (w.archivedAt() == null || old == null) {
                    room.archivedAt = w.archivedAt() == null ? null : toMillis(w.archivedAt());
                    undo.push(() -> room.archivedAt = old);
                }
            }
        } else if (write instanceof StoreWrite.PutSetting w) {
            String old = w.value() == null ? settings.remove(w.key()) : settings.put(w.key(), w.value());
            undo.push(() -> {
                if (old == null) {
                    settings.remove(w.key());
                } else {
                    settings.put(w.key(), old);
                }
            });
        } else if (write instanceof StoreWrite.SetOwner w) {
            RoomState room = rooms.get(w.roomId());
            if (room != null) {
                Room old = room.room;
                room.room = new Room(old.id(), old.name(), w.ownerId(), old.passwordHash(), old.createdAt());
                undo.push(() -> room.room = old);
            }
        } else if (write instanceof StoreWrite.PutRestriction w) {
            Restriction r = toMillis(w.restriction());
            RoomState room = existing(r.roomId());
            RestrictionKey key = new RestrictionKey(r.userId(), r.kind());
            Restriction old = room.restrictions.put(key, r);
            undo.push(() -> {
                if (old == null) {
                    room.restrictions.remove(key);
                } else {
                    room.restrictions.put(key, old);
                }
            });
        } else if (write instanceof StoreWrite.RemoveRestriction w) {
            RoomState room = rooms.get(w.roomId());
            RestrictionKey key = new RestrictionKey(w.userId(), w.kind());
            Restriction old = room == null ? null : room.restrictions.remove(key);
            if (old != null) {
                undo.push(() -> room.restrictions.put(key, old));
            }
        } else if (write instanceof StoreWrite.PutRoomSettings w) {
            RoomState room = existing(w.roomId());
            dev.webtalk.RoomSettings old = room.settings;
            room.settings = w.settings();
            undo.push(() -> room.settings = old);
        } else if (write instanceof StoreWrite.AppendAudit w) {
            RoomState room = existing(w.entry().roomId());
            long id = ++auditIds;
            room.audit.put(id, toMillis(w.entry()).withId(id));
            w.stored(id);
            undo.push(() -> {
                room.audit.remove(id);
                auditIds--;
            });
        } else {
            throw new IllegalArgumentException("unknown store write: " + write);
        }
    }

    private RoomState existing(RoomId id) {
        RoomState room = rooms.get(id);
        if (room == null) {
            throw new IllegalStateException("room " + id + " does not exist");
        }
        return room;
    }

    @Override
    public Optional<Room> room(RoomId id) {
        Objects.requireNonNull(id, "id");
        return read(() -> Optional.ofNullable(rooms.get(id)).map(r -> r.room));
    }

    @Override
    public List<Room> rooms() {
        return read(() -> rooms.values().stream().map(r -> r.room).sorted(OLDEST_FIRST).toList());
    }

    @Override
    public List<Member> members(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? List.of() : List.copyOf(room.membersByJoin.values());
        });
    }

    @Override
    public Optional<Member> member(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            Long joinSeq = room == null ? null : room.joinSeqOf.get(userId);
            return joinSeq == null ? Optional.empty() : Optional.of(room.membersByJoin.get(joinSeq));
        });
    }

    @Override
    public Map<RoomId, Integer> memberCounts() {
        return read(() -> {
            Map<RoomId, Integer> counts = new HashMap<>();
            rooms.forEach((id, room) -> {
                if (!room.membersByJoin.isEmpty()) {
                    counts.put(id, room.membersByJoin.size());
                }
            });
            return Map.copyOf(counts);
        });
    }

    @Override
    public Map<RoomId, String> ownerNames() {
        return read(() -> {
            Map<RoomId, String> names = new HashMap<>();
            rooms.forEach((id, room) -> {
                Long at = room.joinSeqOf.get(room.room.ownerId());
                if (at != null) {
                    names.put(id, room.membersByJoin.get(at).displayName());
                }
            });
            return Map.copyOf(names);
        });
    }

    @Override
    public long lastSeq(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null || room.messages.isEmpty() ? 0L : room.messages.lastKey();
        });
    }

    @Override
    public long lastPos(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null || room.events.isEmpty() ? 0L : room.events.lastKey();
        });
    }

    @Override
    public List<RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return read(() -> {
            RoomState room = rooms.get(roomId);
            if (room == null) {
                return List.of();
            }
            return after(room.events, afterPos, limit);
        });
    }

    @Override
    public Map<Long, List<Reaction>> reactions(RoomId roomId, Collection<Long> seqs, UserId reader) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(reader, "reader");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            if (room == null) {
                return Map.of();
            }
            Map<Long, List<Reaction>> out = new HashMap<>();
            for (Long seq : seqs) {
                Map<String, Map<UserId, Instant>> byEmoji = room.reactions.get(seq);
                if (byEmoji == null) {
                    continue;
                }
                // Emoji in the order each was first put there (its first user's time: the map keeps
                // insertion order and an emoji goes when its last user does); ties by emoji, as SQLite sorts.
                List<Reaction> list = byEmoji.entrySet().stream()
                        .sorted(Comparator.<Map.Entry<String, Map<UserId, Instant>>, Instant>comparing(
                                e -> e.getValue().values().iterator().next()).thenComparing(Map.Entry::getKey))
                        .map(e -> new Reaction(e.getKey(), e.getValue().size(), e.getValue().containsKey(reader)))
                        .toList();
                out.put(seq, list);
            }
            return Map.copyOf(out);
        });
    }

    @Override
    public List<Pin> pins(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? List.of() : room.pins.values().stream()
                    .sorted(Comparator.comparing(Pin::pinnedAt).thenComparingLong(Pin::seq)).toList();
        });
    }

    @Override
    public List<RoomId> roomsOf(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return read(() -> rooms.entrySet().stream().filter(e -> e.getValue().joinSeqOf.containsKey(userId))
                .map(Map.Entry::getKey).toList());
    }

    @Override
    public long readSeq(RoomId roomId, UserId userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? 0L : room.readMarkers.getOrDefault(userId, 0L);
        });
    }

    @Override
    public long mentionsAfter(RoomId roomId, UserId userId, long afterSeq) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            if (room == null) {
                return 0L;
            }
            return room.messages.tailMap(afterSeq, false).values().stream()
                    .filter(m -> m.mentions().contains(userId) || (m.mentionsRoom() && !m.authorId().equals(userId)))
                    .count();
        });
    }

    @Override
    public List<MessageEdit> edits(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            List<MessageEdit> edits = room == null ? null : room.edits.get(seq);
            return edits == null ? List.of() : List.copyOf(edits);
        });
    }

    @Override
    public List<Message> history(RoomId roomId, long beforeSeq, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return read(() -> {
            RoomState room = rooms.get(roomId);
            if (room == null) {
                return List.of();
            }
            List<Message> page = new ArrayList<>(Math.min(limit, room.messages.size()));
            for (Message m : room.messages.headMap(beforeSeq, false).descendingMap().values()) {
                if (page.size() == limit) {
                    break;
                }
                page.add(m);
            }
            Collections.reverse(page);
            return Collections.unmodifiableList(page);
        });
    }

    @Override
    public List<Message> messagesAfter(RoomId roomId, long afterSeq, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return read(() -> {
            RoomState room = rooms.get(roomId);
            if (room == null) {
                return List.of();
            }
            return after(room.messages, afterSeq, limit);
        });
    }

    @Override
    public Optional<Message> message(RoomId roomId, long seq) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? Optional.empty() : Optional.ofNullable(room.messages.get(seq));
        });
    }

    @Override
    public Optional<Message> messageByClientId(RoomId roomId, UserId authorId, String clientMsgId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            Long seq = room == null ? null : room.seqByClientId.get(new ClientKey(authorId, clientMsgId));
            return seq == null ? Optional.empty() : Optional.of(room.messages.get(seq));
        });
    }

    @Override
    public Optional<Message> messageByAttachment(RoomId roomId, String attachmentId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(attachmentId, "attachmentId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            Long seq = room == null ? null : room.seqByAttachment.get(attachmentId);
            return seq == null ? Optional.empty() : Optional.of(room.messages.get(seq));
        });
    }

    @Override
    public boolean isAttachmentReferenced(String attachmentId) {
        Objects.requireNonNull(attachmentId, "attachmentId");
        return read(() -> rooms.values().stream().anyMatch(r -> r.seqByAttachment.containsKey(attachmentId)));
    }

    @Override
    public Map<RoomId, Instant> archivedRooms() {
        return read(() -> {
            Map<RoomId, Instant> archived = new HashMap<>();
            rooms.forEach((id, room) -> {
                if (room.archivedAt != null) {
                    archived.put(id, room.archivedAt);
                }
            });
            return Map.copyOf(archived);
        });
    }

    @Override
    public dev.webtalk.RoomSettings roomSettings(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? dev.webtalk.RoomSettings.DEFAULTS : room.settings;
        });
    }

    @Override
    public Map<RoomId, RoomActivity> roomActivity() {
        return read(() -> {
            Map<RoomId, RoomActivity> activity = new HashMap<>();
            rooms.forEach((id, room) -> {
                if (!room.messages.isEmpty()) {
                    Instant newest = room.messages.values().stream().map(Message::createdAt)
                            .max(Comparator.naturalOrder()).orElseThrow();
                    activity.put(id, new RoomActivity(room.messages.size(), newest));
                }
            });
            return Map.copyOf(activity);
        });
    }

    @Override
    public Optional<Restriction> restriction(RoomId roomId, UserId userId, Restriction.Kind kind) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? Optional.empty()
                    : Optional.ofNullable(room.restrictions.get(new RestrictionKey(userId, kind)));
        });
    }

    @Override
    public long messageCountSince(Instant since) {
        Instant from = toMillis(Objects.requireNonNull(since, "since"));
        return read(() -> rooms.values().stream()
                .flatMap(r -> r.messages.values().stream())
                .filter(m -> !m.createdAt().isBefore(from))
                .count());
    }

    /** Answers while the store is open. */
    @Override
    public void ping() {
        read(() -> null);
    }

    @Override
    public List<dev.webtalk.ActivityBucket> messageActivity(Instant since, java.time.Duration bucket) {
        Instant from = toMillis(Objects.requireNonNull(since, "since"));
        if (bucket == null || bucket.toMillis() <= 0) {
            throw new IllegalArgumentException("bucket must be at least 1 ms: " + bucket);
        }
        long step = bucket.toMillis();
        record Tally(long[] messages, java.util.Set<UserId> authors) {
        }
        java.util.TreeMap<Long, Tally> buckets = new java.util.TreeMap<>();
        read(() -> {
            rooms.values().forEach(r -> r.messages.values().forEach(m -> {
                if (m.kind() != dev.webtalk.MessageKind.SYSTEM && !m.createdAt().isBefore(from)) {
                    Tally t = buckets.computeIfAbsent((m.createdAt().toEpochMilli() - from.toEpochMilli()) / step,
                            k -> new Tally(new long[1], new java.util.HashSet<>()));
                    t.messages()[0]++;
                    t.authors().add(m.authorId());
                }
            }));
            return null;
        });
        return buckets.entrySet().stream().map(e -> new dev.webtalk.ActivityBucket(
                from.plusMillis(e.getKey() * step), e.getValue().messages()[0], e.getValue().authors().size())).toList();
    }

    @Override
    public Map<String, String> settings() {
        return read(() -> Map.copyOf(settings));
    }

    @Override
    public List<Restriction> restrictions(RoomId roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? List.of() : room.restrictions.values().stream()
                    .sorted(Comparator.comparing(Restriction::createdAt)
                            .thenComparing(r -> r.userId().value())
                            .thenComparing(Restriction::kind))
                    .toList();
        });
    }

    @Override
    public List<AuditEntry> audit(RoomId roomId, long beforeId, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        checkLimit(limit);
        return read(() -> {
            RoomState room = rooms.get(roomId);
            return room == null ? List.of()
                    : room.audit.headMap(beforeId, false).descendingMap().values().stream().limit(limit).toList();
        });
    }

    @Override
    public void putHostSession(dev.webtalk.spi.HostSession session) {
        Objects.requireNonNull(session, "session");
        write(() -> hostSessions.put(session.key(), new dev.webtalk.spi.HostSession(session.key(),
                session.csrfToken(), toMillis(session.expires()))));
    }

    @Override
    public Optional<dev.webtalk.spi.HostSession> hostSession(String key) {
        Objects.requireNonNull(key, "key");
        return read(() -> Optional.ofNullable(hostSessions.get(key)));
    }

    @Override
    public boolean deleteHostSession(String key) {
        Objects.requireNonNull(key, "key");
        return write(() -> hostSessions.remove(key) != null);
    }

    @Override
    public int deleteHostSessionsExpiredBy(Instant now) {
        Objects.requireNonNull(now, "now");
        return write(() -> {
            int before = hostSessions.size();
            hostSessions.values().removeIf(s -> !s.expires().isAfter(now));
            return before - hostSessions.size();
        });
    }

    private <T> T write(Supplier<T> change) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            return change.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops everything. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            rooms.clear();
            settings.clear();
            hostSessions.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("in-memory store is closed", null);
        }
    }

    private static Room toMillis(Room r) {
        return new Room(r.id(), r.name(), r.ownerId(), r.passwordHash(), toMillis(r.createdAt()));
    }

    private static Member toMillis(Member m) {
        return new Member(m.roomId(), m.userId(), m.displayName(), m.role(), toMillis(m.joinedAt()));
    }

    private static Message toMillis(Message m) {
        return new Message(m.roomId(), m.seq(), m.authorId(), m.authorName(), m.kind(), m.text(), m.clientMsgId(),
                toMillis(m.createdAt()), toMillis(m.deletedAt()), m.attachment(), toMillis(m.editedAt()), m.replyTo(),
                m.mentions(), m.mentionsRoom());
    }

    /** Up to {@code limit} values with keys above {@code after}, in key order. */
    private static <T> List<T> after(NavigableMap<Long, T> map, long after, int limit) {
        return map.tailMap(after, false).values().stream().limit(limit).toList();
    }

    private static Map<String, Map<UserId, Instant>> copyReactions(Map<String, Map<UserId, Instant>> byEmoji) {
        Map<String, Map<UserId, Instant>> copy = new LinkedHashMap<>();
        byEmoji.forEach((emoji, users) -> copy.put(emoji, new LinkedHashMap<>(users)));
        return copy;
    }

    private static Instant toMillis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Restriction toMillis(Restriction r) {
        return new Restriction(r.roomId(), r.userId(), r.userName(), r.kind(), r.reason(), toMillis(r.until()),
                r.actorId(), toMillis(r.createdAt()));
    }

    private static AuditEntry toMillis(AuditEntry e) {
        return new AuditEntry(e.id(), e.roomId(), toMillis(e.at()), e.actorId(), e.actorName(), e.action(),
                e.targetId(), e.targetName(), e.reason(), toMillis(e.until()), e.seq(), e.role(), e.settings());
    }

    private record RestrictionKey(UserId userId, Restriction.Kind kind) {
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
    }

    private record ClientKey(UserId authorId, String clientMsgId) {
    }

    /**
     * One room with its members and messages, so deleting the room drops them together and undoing
     * the delete puts them back together. Guarded by the store's lock.
     */
    private static final class RoomState {
        Room room;
        Instant archivedAt;
        dev.webtalk.RoomSettings settings = dev.webtalk.RoomSettings.DEFAULTS;
        final Map<RestrictionKey, Restriction> restrictions = new HashMap<>();
        final NavigableMap<Long, AuditEntry> audit = new TreeMap<>();
        /** Join position to member; a replaced member keeps its position, a re-joined one goes last. */
        final NavigableMap<Long, Member> membersByJoin = new TreeMap<>();
        final Map<UserId, Long> joinSeqOf = new HashMap<>();
        final NavigableMap<Long, Message> messages = new TreeMap<>();
        final NavigableMap<Long, RoomEvent> events = new TreeMap<>();
        /** Per message seq, the texts it had before each edit, oldest first. */
        final Map<Long, List<MessageEdit>> edits = new HashMap<>();
        /** Per message seq, per emoji (first put there first), who reacted and when. */
        final Map<Long, Map<String, Map<UserId, Instant>>> reactions = new HashMap<>();
        final Map<Long, Pin> pins = new HashMap<>();
        final Map<UserId, Long> readMarkers = new HashMap<>();
        final Map<ClientKey, Long> seqByClientId = new HashMap<>();
        /** Attachment id to the seq of the live message carrying it. */
        final Map<String, Long> seqByAttachment = new HashMap<>();
        long nextJoinSeq = 1;

        RoomState(Room room) {
            this.room = room;
        }

        void putMember(Member member, Deque<Runnable> undo) {
            UserId user = member.userId();
            Long existing = joinSeqOf.get(user);
            if (existing != null) {
                Member old = membersByJoin.put(existing, member);
                undo.push(() -> membersByJoin.put(existing, old));
            } else {
                long joinSeq = nextJoinSeq++;
                membersByJoin.put(joinSeq, member);
                joinSeqOf.put(user, joinSeq);
                undo.push(() -> {
                    membersByJoin.remove(joinSeq);
                    joinSeqOf.remove(user);
                });
            }
        }

        void removeMember(UserId user, Deque<Runnable> undo) {
            Long joinSeq = joinSeqOf.remove(user);
            if (joinSeq != null) {
                Member old = membersByJoin.remove(joinSeq);
                undo.push(() -> {
                    membersByJoin.put(joinSeq, old);
                    joinSeqOf.put(user, joinSeq);
                });
            }
        }

        void append(Message message, Deque<Runnable> undo) {
            long seq = message.seq();
            if (messages.containsKey(seq)) {
                throw new IllegalStateException("room " + room.id() + " already has message " + seq);
            }
            ClientKey key = message.clientMsgId() == null ? null
                    : new ClientKey(message.authorId(), message.clientMsgId());
            if (key != null && seqByClientId.containsKey(key)) {
                throw new IllegalStateException("room " + room.id() + " already has client message id "
                        + message.clientMsgId() + " from " + message.authorId());
            }
            String file = message.attachment() == null ? null : message.attachment().id();
            messages.put(seq, message);
            if (key != null) {
                seqByClientId.put(key, seq);
            }
            if (file != null) {
                seqByAttachment.put(file, seq);
            }
            undo.push(() -> {
                messages.remove(seq);
                if (key != null) {
                    seqByClientId.remove(key);
                }
                if (file != null) {
                    seqByAttachment.remove(file);
                }
            });
        }

        void edit(StoreWrite.EditMessage w, Instant editedAt, Deque<Runnable> undo) {
            long seq = w.seq();
            String text = w.text();
            Message old = messages.get(seq);
            if (old == null || old.isDeleted()) {
                return;
            }
            messages.put(seq, old.edited(text, editedAt, w.mentions(), w.mentionsRoom()));
            List<MessageEdit> before = edits.computeIfAbsent(seq, s -> new ArrayList<>());
            before.add(new MessageEdit(room.id(), seq, old.text(), editedAt));
            undo.push(() -> {
                messages.put(seq, old);
                before.remove(before.size() - 1);
                if (before.isEmpty()) {
                    edits.remove(seq);
                }
            });
        }

        void softDelete(long seq, Instant deletedAt, Deque<Runnable> undo) {
            Message old = messages.get(seq);
            if (old != null && !old.isDeleted()) {
                messages.put(seq, old.deleted(deletedAt));
                List<MessageEdit> erased = edits.remove(seq);
                Map<String, Map<UserId, Instant>> unreacted = reactions.remove(seq);
                Pin unpinned = pins.remove(seq);
                undo.push(() -> {
                    if (erased != null) {
                        edits.put(seq, erased);
                    }
                    if (unreacted != null) {
                        reactions.put(seq, unreacted);
                    }
                    if (unpinned != null) {
                        pins.put(seq, unpinned);
                    }
                });
                String file = old.attachment() == null ? null : old.attachment().id();
                if (file != null) {
                    seqByAttachment.remove(file);
                }
                undo.push(() -> {
                    messages.put(seq, old);
                    if (file != null) {
                        seqByAttachment.put(file, seq);
                    }
                });
            }
        }
    }
}
