package dev.webtalk.internal;

import dev.webtalk.HistoryPage;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.LimitReachedException;
import dev.webtalk.Limits;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.NotMemberException;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.RoomNotFoundException;
import dev.webtalk.RoomSummary;
import dev.webtalk.Session;
import dev.webtalk.TooLargeException;
import dev.webtalk.UserId;
import dev.webtalk.WrongPasswordException;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.StoreWrite;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The engine behind {@link dev.webtalk.WebTalk}: validates requests, routes room work to each room's
 * {@link RoomActor}, and owns the writer, the room pool and the sessions. Reads (lists, history) run on
 * the caller's thread against the store; every change goes through a room actor and the writer.
 */
public final class Engine implements AutoCloseable {
    private final ChatStore store;
    private final Clock clock;
    private final Limits limits;
    private final ProtocolCodec codec;
    private final PasswordHasher hasher;
    private final RoomIds roomIds = new RoomIds();
    private final ExecutorService pool;
    private final StoreWriter writer;
    private final ConcurrentMap<RoomId, RoomActor> actors = new ConcurrentHashMap<>();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<UserId, Integer> connectionsPerUser = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Engine(ChatStore store, Clock clock, Limits limits, int roomThreads, int passwordIterations) {
        this.store = store;
        this.clock = clock;
        this.limits = limits;
        this.codec = new ProtocolCodec(limits);
        this.hasher = new PasswordHasher(passwordIterations);
        this.pool = Executors.newFixedThreadPool(roomThreads, daemonThreads("webtalk-room-"));
        this.writer = new StoreWriter(store, limits.maxPendingWrites(), limits.writeBatchMax());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- accessors for actors and sessions ----

    ChatStore store() {
        return store;
    }

    StoreWriter writer() {
        return writer;
    }

    ExecutorService pool() {
        return pool;
    }

    public Limits limits() {
        return limits;
    }

    public ProtocolCodec codec() {
        return codec;
    }

    Instant now() {
        return clock.instant();
    }

    // ---- connections ----

    public Session connect(Principal principal, Connection connection) {
        ClientSession session = new ClientSession(this, principal, connection);
        if (!takeUserSlot(principal.id())) {
            session.refuse(CloseCodes.TOO_MANY_CONNECTIONS,
                    "At most " + limits.maxConnectionsPerUser() + " connections per user");
            return session;
        }
        sessions.add(session);
        // Checked after the add: either close() sees this session, or this sees close().
        if (closed) {
            session.close(CloseCodes.ENGINE_CLOSED, "Server closed");
            return session;
        }
        session.send(codec.welcome(principal, limits));
        return session;
    }

    /** Counts a connection of {@code user}; false, counting nothing, when the user is at the limit. */
    private boolean takeUserSlot(UserId user) {
        boolean[] taken = {false};
        connectionsPerUser.compute(user, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.maxConnectionsPerUser()) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Called once per counted session, when it closes. */
    void disconnected(ClientSession session) {
        connectionsPerUser.computeIfPresent(session.principal().id(), (k, n) -> n <= 1 ? null : n - 1);
        sessions.remove(session);
        for (RoomId id : List.copyOf(session.rooms())) {
            RoomActor actor = actors.get(id);
            if (actor != null) {
                actor.executor.execute(() -> actor.disconnected(session));
            }
        }
    }

    /** Open connections now. */
    public int connectionCount() {
        return sessions.size();
    }

    // ---- rooms ----

    RoomId roomId(String raw) {
        try {
            return RoomId.of(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'room' is not a room id");
        }
    }

    /** The live actor for a room, created on first use; fails when the room does not exist. */
    private RoomActor actor(RoomId id) {
        RoomActor actor = actors.get(id);
        if (actor != null) {
            return actor;
        }
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        return actors.computeIfAbsent(id, k -> new RoomActor(this, room));
    }

    void forget(RoomActor actor) {
        actors.remove(actor.id, actor);
    }

    /** Runs {@code work} on the room's thread and completes with its outcome. */
    private <T> CompletableFuture<T> inRoom(RoomId id, Function<RoomActor, CompletableFuture<T>> work) {
        RoomActor actor = actor(id);
        CompletableFuture<T> result = new CompletableFuture<>();
        actor.executor.execute(() -> {
            try {
                actor.ensureLoaded();
                work.apply(actor).whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(ClientSession.unwrap(failure));
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    RoomSummary summary(Room room, int online) {
        return new RoomSummary(room, store.members(room.id()).size(), online);
    }

    public List<RoomSummary> rooms() {
        Map<RoomId, Integer> counts = store.memberCounts();
        List<RoomSummary> result = new ArrayList<>();
        for (Room room : store.rooms()) {
            RoomActor actor = actors.get(room.id());
            result.add(new RoomSummary(room, counts.getOrDefault(room.id(), 0), actor == null ? 0 : actor.onlineCount()));
        }
        return result;
    }

    public Optional<RoomSummary> room(RoomId id) {
        return store.room(id).map(room -> {
            RoomActor actor = actors.get(id);
            return summary(room, actor == null ? 0 : actor.onlineCount());
        });
    }

    public CompletableFuture<Room> createRoom(Principal owner, String rawName, String rawPassword) {
        String name = validName(rawName);
        String password = validPassword(rawPassword);
        if (store.rooms().size() >= limits.maxRooms()) {
            throw new LimitReachedException("The server holds its maximum of " + limits.maxRooms() + " rooms");
        }
        RoomId id;
        do {
            id = roomIds.next();
        } while (store.room(id).isPresent());
        Instant now = now();
        Room room = new Room(id, name, owner.id(), password == null ? null : hasher.hash(password), now);
        Member member = new Member(id, owner.id(), owner.displayName(), MemberRole.OWNER, now);
        return writer.submit(List.of(new StoreWrite.CreateRoom(room), new StoreWrite.PutMember(member)))
                .thenApply(v -> room);
    }

    private String validName(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new InvalidRequestException("A room needs a name");
        }
        if (name.codePointCount(0, name.length()) > limits.maxRoomNameChars()) {
            throw new InvalidRequestException("A room name has at most " + limits.maxRoomNameChars() + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("A room name cannot contain control characters");
        }
        return Text.requireWellFormed(name, "The room name");
    }

    private String validPassword(String password) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        if (password.length() > limits.maxPasswordChars()) {
            throw new InvalidRequestException("A room password has at most " + limits.maxPasswordChars() + " characters");
        }
        return Text.requireWellFormed(password, "The password");
    }

    /** Throws {@link WrongPasswordException} unless {@code principal} may enter the room with {@code password}. */
    public void checkPassword(Principal principal, RoomId id, String password) {
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        if (!needsPassword(principal, room)) {
            return;
        }
        if (password == null || password.length() > limits.maxPasswordChars()
                || !hasher.verify(password, room.passwordHash())) {
            throw new WrongPasswordException("Wrong password for room " + id);
        }
    }

    private boolean needsPassword(Principal principal, Room room) {
        return room.hasPassword() && !principal.isAdmin() && !room.ownerId().equals(principal.id())
                && store.member(room.id(), principal.id()).isEmpty();
    }

    public CompletableFuture<Void> deleteRoom(Principal actor, RoomId id) {
        return inRoom(id, room -> room.delete(actor));
    }

    // ---- membership and messages ----

    CompletableFuture<JoinResult> join(ClientSession session, RoomId id, String password, Long since) {
        if (since != null && since < 0) {
            throw new InvalidRequestException("'since' must be >= 0");
        }
        // The slow hash runs here, on the caller's thread, so it never holds up the room.
        checkPassword(session.principal(), id, password);
        return inRoom(id, room -> room.join(session, since));
    }

    CompletableFuture<Void> leave(ClientSession session, RoomId id) {
        return inRoom(id, room -> room.leave(session));
    }

    CompletableFuture<Message> send(ClientSession session, RoomId id, String text, String clientMsgId) {
        if (text.isBlank()) {
            throw new InvalidRequestException("A message needs some text");
        }
        Text.requireWellFormed(text, "The message");
        if (text.codePointCount(0, text.length()) > limits.maxMessageChars()) {
            throw new TooLargeException("A message has at most " + limits.maxMessageChars() + " characters");
        }
        if (clientMsgId != null && (clientMsgId.isEmpty() || clientMsgId.length() > ProtocolCodec.MAX_ID_CHARS)) {
            throw new InvalidRequestException("'clientMsgId' must be 1.." + ProtocolCodec.MAX_ID_CHARS + " characters");
        }
        return inRoom(id, room -> room.send(session, text, clientMsgId));
    }

    public CompletableFuture<Void> deleteMessage(Principal actor, RoomId id, long seq) {
        if (seq < 1) {
            throw new InvalidRequestException("'seq' must be >= 1");
        }
        return inRoom(id, room -> room.deleteMessage(actor, seq));
    }

    CompletableFuture<Void> typing(ClientSession session, RoomId id) {
        return inRoom(id, room -> {
            room.typing(session);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** A page of history for a member (or an admin). */
    public HistoryPage history(Principal principal, RoomId id, Long before, Integer limit) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        if (!principal.isAdmin() && store.member(id, principal.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to read its history");
        }
        int pageSize = limit == null ? Math.min(50, limits.historyPageMax()) : limit;
        if (pageSize < 1) {
            throw new InvalidRequestException("'limit' must be >= 1");
        }
        if (before != null && before < 1) {
            throw new InvalidRequestException("'before' must be >= 1");
        }
        return historyPage(id, before == null ? Long.MAX_VALUE : before, Math.min(pageSize, limits.historyPageMax()));
    }

    HistoryPage historyPage(RoomId id, long before, int limit) {
        if (limit == 0) {
            return new HistoryPage(List.of(), store.lastSeq(id) > 0);
        }
        List<Message> page = store.history(id, before, limit + 1);
        boolean hasMore = page.size() > limit;
        return new HistoryPage(hasMore ? page.subList(1, page.size()) : page, hasMore);
    }

    // ---- shutdown ----

    /** Closes every connection (1001), commits pending writes, stops the threads and closes the store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ClientSession session : List.copyOf(sessions)) {
            session.close(CloseCodes.GOING_AWAY, "Server shutting down");
        }
        writer.close(); // commits what was accepted; its completions still need the pool
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
