package dev.webtalk.internal;

import dev.webtalk.ActivityBucket;
import dev.webtalk.ActivityEvent;
import dev.webtalk.Attachment;
import dev.webtalk.AttachmentNotFoundException;
import dev.webtalk.AuditEntry;
import dev.webtalk.AuditPage;
import dev.webtalk.FileDownload;
import dev.webtalk.FileType;
import dev.webtalk.ForbiddenException;
import dev.webtalk.HistoryPage;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.LimitReachedException;
import dev.webtalk.Limits;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.ModerationAction;
import dev.webtalk.RateLimitedException;
import dev.webtalk.RejectedException;
import dev.webtalk.Restriction;
import dev.webtalk.NotMemberException;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.RoomArchivedException;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.RoomNotFoundException;
import dev.webtalk.RoomOverview;
import dev.webtalk.RoomSummary;
import dev.webtalk.ServerSettings;
import dev.webtalk.ServerStats;
import dev.webtalk.Session;
import dev.webtalk.TooLargeException;
import dev.webtalk.UnsupportedTypeException;
import dev.webtalk.UserId;
import dev.webtalk.WrongPasswordException;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.Broker;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.ChatListener;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.EngineObserver;
import dev.webtalk.spi.MessageFilter;
import dev.webtalk.spi.OutboundFrame;
import dev.webtalk.spi.StoreWrite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
import java.util.concurrent.ScheduledExecutorService;
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
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private final ChatStore store;
    private final Clock clock;
    private final Limits limits;
    private final ProtocolCodec codec;
    private final PasswordHasher hasher;
    private final RoomIds roomIds = new RoomIds();
    private final RoomQuota roomQuota;
    private final ExecutorService pool;
    private final FanOut fanOut;
    private final HostCalls hostCalls;
    private final StoreWriter writer;
    private final ConcurrentMap<RoomId, RoomActor> actors = new ConcurrentHashMap<>();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final AttachmentStore attachments;
    private final long maxFileBytes;
    private final ConcurrentMap<UserId, Integer> connectionsPerUser = new ConcurrentHashMap<>();
    /** Archived rooms; written on the room's lane after the store confirmed, read anywhere. */
    private final ConcurrentMap<RoomId, Instant> archived = new ConcurrentHashMap<>();
    private final ClusterRelay relay;
    private final ActivityLog activity = new ActivityLog(ACTIVITY_CAPACITY);
    private final Instant startedAt;
    private final ScheduledExecutorService expiry;
    /** Runs the short delays of coalescing (reaction pushes, read-marker writes), handing each to a room's lane. */
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("webtalk-timer-"));
    private volatile ServerSettings settings;
    private final List<MessageFilter> filters;
    private final Events events;
    private final TokenBuckets<UserId> messageBuckets;
    private final TokenBuckets<UserId> reactionBuckets;
    private final TokenBuckets<UserId> joinBuckets;
    private final TokenBuckets<ClientSession> requestBuckets;
    private final TokenBuckets<List<Object>> passwordBuckets;
    private final ConcurrentMap<List<Object>, Instant> passwordLockouts = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Object closeLock = new Object();
    /** Who hears what the engine does (metrics); replaced whole when one is added or removed. */
    private volatile Observers observers = Observers.NONE;

    /** How many recent activity events {@link #stats()} reports. */
    public static final int ACTIVITY_CAPACITY = 50;
    /**
     * Who {@linkplain #purgeInactiveRooms() expiry} deletes rooms as: equal to {@link Principal#system()} but
     * another instance, so the activity feed tells an expiry ({@code actor == SYSTEM}) from a host's delete.
     */
    static final Principal SYSTEM = new Principal(Principal.system().id(), Principal.system().displayName(),
            Principal.system().roles());
    private static final String MAX_ROOMS = "maxRooms";
    private static final String INACTIVITY_TIMEOUT = "roomInactivityTimeoutSeconds";
    private static final String MAX_FILE_BYTES = "maxFileBytes";

    /**
     * @param attachments           where shared files go, or {@code null} for no file sharing
     * @param roomInactivityTimeout rooms idle this long are deleted (unless the store holds another
     *                              setting); {@link Duration#ZERO}: never
     * @param expiryCheckInterval   how often to look for them; {@link Duration#ZERO}: only on demand
     * @param filters               the host's message filters, run in order
     * @param listeners             the host's event listeners
     * @param broker                relays committed changes to the other nodes sharing the store
     * @param catchUpInterval       how often rooms with someone present are checked against the store
     *                              for changes of other nodes that did not arrive; {@link Duration#ZERO}: never
     * @param nodeTimeout           how long another node may stay silent before it is taken for dead
     * @param fanOutThreads         threads that write pushes to connections ({@link FanOut})
     */
    // Public only because WebTalk.Builder, in dev.webtalk, builds it: without a module-info a package has no
    // way to open a constructor to one other package. Not API; hosts build engines with WebTalk.builder().
    public Engine(ChatStore store, Clock clock, Limits limits, int roomThreads, int passwordIterations,
                  AttachmentStore attachments, long maxFileBytes, Duration roomInactivityTimeout,
                  Duration expiryCheckInterval, List<MessageFilter> filters, List<ChatListener> listeners,
                  Broker broker, Duration catchUpInterval, Duration nodeTimeout, int fanOutThreads) {
        this.filters = List.copyOf(filters);
        this.events = new Events(listeners, limits.maxPendingEvents());
        this.messageBuckets = new TokenBuckets<>(limits.messageRate());
        this.reactionBuckets = new TokenBuckets<>(limits.reactionRate());
        this.joinBuckets = new TokenBuckets<>(limits.joinRate());
        this.requestBuckets = new TokenBuckets<>(limits.requestRate());
        this.passwordBuckets = new TokenBuckets<>(limits.passwordFailures());
        this.attachments = attachments;
        this.maxFileBytes = maxFileBytes;
        this.store = store;
        this.clock = clock;
        this.limits = limits;
        this.roomQuota = new RoomQuota(limits.maxRoomsPerUser());
        this.codec = new ProtocolCodec(limits);
        this.hasher = new PasswordHasher(passwordIterations);
        this.pool = Executors.newFixedThreadPool(roomThreads, daemonThreads("webtalk-room-"));
        this.fanOut = new FanOut(fanOutThreads);
        this.hostCalls = new HostCalls(roomThreads);
        this.writer = new StoreWriter(store, limits.maxPendingWrites(), limits.writeBatchMax(), this::observer);
        this.startedAt = clock.instant();
        this.settings = storedSettings(store.settings(),
                new ServerSettings(limits.maxRooms(), roomInactivityTimeout, maxFileBytes));
        this.archived.putAll(store.archivedRooms());
        this.relay = new ClusterRelay(this, broker);
        relay.start(timer, catchUpInterval, nodeTimeout);
        if (expiryCheckInterval.isZero()) {
            this.expiry = null;
        } else {
            this.expiry = Executors.newSingleThreadScheduledExecutor(daemonThreads("webtalk-expiry-"));
            long every = expiryCheckInterval.toMillis();
            expiry.scheduleWithFixedDelay(this::purgeInactiveRoomsQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The settings kept in the store over {@code defaults}; a value that no longer parses is ignored. */
    private ServerSettings storedSettings(Map<String, String> stored, ServerSettings defaults) {
        ServerSettings result = defaults;
        try {
            if (stored.containsKey(MAX_ROOMS)) {
                result = result.withMaxRooms(Integer.parseInt(stored.get(MAX_ROOMS)));
            }
            if (stored.containsKey(INACTIVITY_TIMEOUT)) {
                result = result.withRoomInactivityTimeout(Duration.ofSeconds(Long.parseLong(stored.get(INACTIVITY_TIMEOUT))));
            }
            if (stored.containsKey(MAX_FILE_BYTES)) {
                result = result.withMaxFileBytes(Math.min(maxFileBytes, Long.parseLong(stored.get(MAX_FILE_BYTES))));
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignoring unreadable stored settings {}: {}", stored, e.getMessage());
            return defaults;
        }
        return result;
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

    /** Write groups waiting for the store writer now. */
    public int pendingWrites() {
        return writer.pending();
    }

    StoreWriter writer() {
        return writer;
    }

    ExecutorService pool() {
        return pool;
    }

    FanOut fanOut() {
        return fanOut;
    }

    /** The threads that run the host's asynchronous calls and complete their futures. */
    public HostCalls hostCalls() {
        return hostCalls;
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

    Events events() {
        return events;
    }

    // ---- observers (metrics) ----

    /** Starts telling {@code observer} what the engine does. */
    public synchronized void addObserver(EngineObserver observer) {
        observers = observers.with(observer);
    }

    /** Stops telling {@code observer}; nothing if it was not added. */
    public synchronized void removeObserver(EngineObserver observer) {
        observers = observers.without(observer);
    }

    /** Every observer as one; cheap to call on hot paths. */
    EngineObserver observer() {
        return observers;
    }

    /** One cheap round trip to the store; throws when it does not answer. */
    public void pingStore() {
        store.ping();
    }

    /** Rooms whose live state is in memory now (someone used them since they were last idle). */
    public int roomsLoaded() {
        return actors.size();
    }

    /** Loaded rooms with at least one user present (on this node, or in a cluster on another). */
    public int roomsActive() {
        int active = 0;
        for (RoomActor actor : actors.values()) {
            if (actor.onlineCount() > 0) {
                active++;
            }
        }
        return active;
    }

    /** Tasks waiting on the rooms' lanes now, summed over the loaded rooms. */
    public int queuedRoomTasks() {
        int queued = 0;
        for (RoomActor actor : actors.values()) {
            queued += actor.executor.queued();
        }
        return queued;
    }

    /**
     * Frames on their way out and not written yet: waiting on the fan-out lanes, and held by the
     * transports, summed over the connections.
     */
    public long queuedOutboundFrames() {
        long queued = fanOut.queued();
        for (ClientSession session : sessions) {
            queued += session.queuedFrames();
        }
        return queued;
    }

    // ---- policy: rate limits, bans, mutes, filters ----

    /** Counts one request of {@code session} against its connection's rate; fails {@code rate_limited} past it. */
    void takeRequestToken(ClientSession session) {
        takeToken(requestBuckets, session, "requests on this connection", EngineObserver.Limit.REQUESTS);
    }

    private <K> void takeToken(TokenBuckets<K> buckets, K key, String what, EngineObserver.Limit limit) {
        Duration wait = buckets.take(key, now());
        if (!wait.isZero()) {
            observers.rateLimited(limit);
            throw new RateLimitedException("Too many " + what + "; retry in " + Math.max(1, wait.toMillis()) + " ms", wait);
        }
    }

    /** The user's ban or mute in the room, if one holds now. */
    Optional<Restriction> activeRestriction(RoomId room, UserId user, Restriction.Kind kind) {
        Instant now = now();
        return store.restriction(room, user, kind).filter(r -> r.activeAt(now));
    }

    /** Throws {@code banned} when the user is banned from the room now; admins never are. */
    void requireNotBanned(Principal principal, RoomId room) {
        if (principal.isAdmin()) {
            return;
        }
        Optional<Restriction> ban = activeRestriction(room, principal.id(), Restriction.Kind.BAN);
        if (ban.isPresent()) {
            throw Permissions.banned(ban.get());
        }
    }

    /** The principal's rank in the room and the ban that holds them now, if any (never an admin). */
    Permissions.Standing standing(Principal principal, Room room) {
        Permissions.Rank rank = Permissions.rank(principal, room, store.member(room.id(), principal.id()));
        return new Permissions.Standing(rank, rank == Permissions.Rank.ADMIN ? null
                : activeRestriction(room.id(), principal.id(), Restriction.Kind.BAN).orElse(null));
    }

    /** Runs the host's filters over a message text; returns the text to store, or throws {@code rejected}. */
    String filter(Principal author, RoomId room, String text) {
        String current = text;
        for (MessageFilter filter : filters) {
            MessageFilter.Verdict verdict = filter.check(author, room, current);
            if (verdict instanceof MessageFilter.Reject r) {
                throw new RejectedException(r.reason());
            } else if (verdict instanceof MessageFilter.Rewrite r) {
                current = r.text();
            } else if (verdict == null) {
                throw new IllegalStateException("Message filter " + filter + " returned null");
            }
        }
        if (current != text) {
            if (current.isBlank()) {
                throw new RejectedException("The message was filtered out");
            }
            if (current.codePointCount(0, current.length()) > limits.maxMessageChars()) {
                throw new TooLargeException("A message has at most " + limits.maxMessageChars() + " characters");
            }
        }
        return current;
    }

    // ---- connections ----

    public Session connect(Principal principal, Connection connection) {
        ClientSession session = new ClientSession(this, principal, connection, fanOut.assign());
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
        observers.connectionOpened();
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
        requestBuckets.reset(session);
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
        List<Member> members = store.members(room.id());
        String owner = members.stream().filter(m -> m.userId().equals(room.ownerId())).map(Member::displayName)
                .findFirst().orElse(null);
        return new RoomSummary(room, members.size(), online, owner);
    }

    /** Users present in the room, on this node and the others (one on two nodes counts once). */
    private int online(RoomId room, RoomActor actor) {
        return actor != null ? actor.onlineCount() : relay.presence().usersElsewhere(room).size();
    }

    /** Every room that is not archived. */
    public List<RoomSummary> rooms() {
        Map<RoomId, Integer> counts = store.memberCounts();
        Map<RoomId, String> owners = store.ownerNames();
        List<RoomSummary> result = new ArrayList<>();
        for (Room room : store.rooms()) {
            if (archived.containsKey(room.id())) {
                continue;
            }
            RoomActor actor = actors.get(room.id());
            result.add(new RoomSummary(room, counts.getOrDefault(room.id(), 0), online(room.id(), actor),
                    owners.get(room.id())));
        }
        return result;
    }

    public Optional<RoomSummary> room(RoomId id) {
        return store.room(id).map(room -> {
            RoomActor actor = actors.get(id);
            return summary(room, online(id, actor));
        });
    }

    /**
     * Creates a room owned by {@code owner}: within the server's {@code maxRooms} and, unless the owner is
     * an admin, their {@link Limits#maxRoomsPerUser()} (both {@code conflict}).
     */
    public CompletableFuture<Room> createRoom(Principal owner, String rawName, String rawPassword) {
        String name = validName(rawName);
        String password = validPassword(rawPassword);
        int maxRooms = settings.maxRooms();
        if (store.rooms().size() >= maxRooms) {
            throw new LimitReachedException("The server holds its maximum of " + maxRooms + " rooms");
        }
        if (owner.isAdmin()) {
            return storeRoom(owner, name, password);
        }
        roomQuota.reserve(owner.id(), () -> roomsOwnedBy(owner.id()));
        CompletableFuture<Room> created;
        try {
            created = storeRoom(owner, name, password);
        } catch (RuntimeException e) {
            roomQuota.release(owner.id());
            throw e;
        }
        return created.whenComplete((room, failure) -> roomQuota.release(owner.id()));
    }

    private int roomsOwnedBy(UserId user) {
        return (int) store.rooms().stream().filter(r -> r.ownerId().equals(user)).count();
    }

    private CompletableFuture<Room> storeRoom(Principal owner, String name, String password) {
        RoomId id;
        do {
            id = roomIds.next();
        } while (store.room(id).isPresent());
        Instant now = now();
        Room room = new Room(id, name, owner.id(), password == null ? null : hasher.hash(password), now);
        Member member = new Member(id, owner.id(), owner.displayName(), MemberRole.OWNER, now);
        RoomId roomId = id;
        // The server owns a room it creates without being in it: no member, no join in the stream.
        StoreWriter.RoomChange create = owner.isSystem()
                ? (seq, pos) -> List.of(new StoreWrite.CreateRoom(room))
                : (seq, pos) -> List.of(new StoreWrite.CreateRoom(room), new StoreWrite.PutMember(member),
                        new StoreWrite.AppendEvent(RoomEvent.aboutMember(roomId, pos, RoomEvent.Kind.MEMBER_JOINED, now, owner.id())));
        return writer.submit(id, create)
                .thenApply(v -> {
                    record(ActivityEvent.Type.ROOM_CREATED, room, owner);
                    events.roomCreated(room);
                    return room;
                });
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

    /**
     * The password to hash, or {@code null} for an open room. Only a missing (or null) password opens the
     * room: an empty one is refused, so a client that lost what its user typed fails instead of quietly
     * creating an open room.
     */
    private String validPassword(String password) {
        if (password == null) {
            return null;
        }
        if (password.isEmpty() || password.length() > limits.maxPasswordChars()) {
            throw new InvalidRequestException("A room password has 1 to " + limits.maxPasswordChars()
                    + " characters; leave it out (or null) for a room without one");
        }
        return Text.requireWellFormed(password, "The password");
    }

    /** Throws {@link WrongPasswordException} unless {@code principal} may enter the room with {@code password}. */
    public void checkPassword(Principal principal, RoomId id, String password) {
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        requireNotBanned(principal, id);
        if (!needsPassword(principal, room)) {
            return;
        }
        List<Object> key = List.of(principal.id(), id);
        Instant now = now();
        if (passwordLockouts.size() > 10_000) { // forget lockouts that ended, so guessers cost no memory for long
            passwordLockouts.values().removeIf(until -> !now.isBefore(until));
        }
        Instant lockedUntil = passwordLockouts.get(key);
        if (lockedUntil != null) {
            if (now.isBefore(lockedUntil)) {
                observers.rateLimited(EngineObserver.Limit.PASSWORDS);
                throw new RateLimitedException("Too many wrong passwords for room " + id + "; try again later",
                        Duration.between(now, lockedUntil));
            }
            passwordLockouts.remove(key, lockedUntil);
        }
        if (password == null || password.length() > limits.maxPasswordChars()
                || !hasher.verify(password, room.passwordHash())) {
            if (!passwordBuckets.take(key, now).isZero()) {
                Instant until = now.plus(limits.passwordLockout());
                passwordLockouts.put(key, until);
                observers.rateLimited(EngineObserver.Limit.PASSWORDS);
                throw new RateLimitedException("Too many wrong passwords for room " + id + "; try again later",
                        limits.passwordLockout());
            }
            throw new WrongPasswordException("Wrong password for room " + id);
        }
        passwordBuckets.reset(key);
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
        takeToken(joinBuckets, session.principal().id(), "joins", EngineObserver.Limit.JOINS);
        // The slow hash runs here, on the caller's thread, so it never holds up the room.
        checkPassword(session.principal(), id, password);
        return inRoom(id, room -> room.join(session, since));
    }

    CompletableFuture<Void> leave(ClientSession session, RoomId id) {
        return inRoom(id, room -> room.leave(session));
    }

    CompletableFuture<Message> send(ClientSession session, RoomId id, String text, String clientMsgId, Long replyTo) {
        requireMessageText(text);
        if (replyTo != null && replyTo < 1) {
            throw new InvalidRequestException("'replyTo' must be >= 1");
        }
        if (clientMsgId != null && (clientMsgId.isEmpty() || clientMsgId.length() > ProtocolCodec.MAX_ID_CHARS)) {
            throw new InvalidRequestException("'clientMsgId' must be 1.." + ProtocolCodec.MAX_ID_CHARS + " characters");
        }
        takeToken(messageBuckets, session.principal().id(), "messages", EngineObserver.Limit.MESSAGES);
        return inRoom(id, room -> room.send(session, text, clientMsgId, replyTo)).thenApply(message -> {
            observers.messageReceived();
            return message;
        });
    }

    /**
     * Posts a SYSTEM message from the server into the room (see {@link RoomActor#postSystem}). The text is
     * checked like a user's (not blank, well-formed, at most {@code maxMessageChars}); nothing else is.
     */
    public CompletableFuture<Message> postSystemMessage(RoomId id, String text) {
        requireMessageText(text);
        return inRoom(id, room -> room.postSystem(text));
    }

    /** The users present in the room now, read on the room's lane. */
    public CompletableFuture<List<Member>> onlineUsers(RoomId id) {
        return inRoom(id, room -> CompletableFuture.completedFuture(room.presentMembers()));
    }

    /**
     * Replaces the text of {@code author}'s own message {@code seq}: the new text is checked like a send's
     * (not blank, well-formed, at most {@code maxMessageChars}, the user's message rate, the filters).
     */
    public CompletableFuture<Message> editMessage(Principal author, RoomId id, long seq, String text) {
        if (seq < 1) {
            throw new InvalidRequestException("'seq' must be >= 1");
        }
        requireMessageText(text);
        takeToken(messageBuckets, author.id(), "messages", EngineObserver.Limit.MESSAGES);
        return inRoom(id, room -> room.editMessage(author, seq, text));
    }

    /** Puts ({@code add}) or takes off the user's {@code emoji} on message {@code seq}; see {@link RoomActor#react}. */
    public CompletableFuture<List<dev.webtalk.Reaction>> react(Principal user, RoomId id, long seq, String emoji, boolean add) {
        if (seq < 1) {
            throw new InvalidRequestException("'seq' must be >= 1");
        }
        if (!Emoji.isSingleEmoji(emoji)) {
            throw new InvalidRequestException("'emoji' must be one emoji");
        }
        takeToken(reactionBuckets, user.id(), "reactions", EngineObserver.Limit.REACTIONS);
        return inRoom(id, room -> room.react(user, seq, emoji, add));
    }

    /** Pins ({@code pin}) or unpins message {@code seq}; see {@link RoomActor#pin}. */
    public CompletableFuture<Void> pin(Principal actor, RoomId id, long seq, boolean pin) {
        if (seq < 1) {
            throw new InvalidRequestException("'seq' must be >= 1");
        }
        return inRoom(id, room -> room.pin(actor, seq, pin));
    }

    /** The room's pinned messages with their pins, oldest pin first. */
    public List<dev.webtalk.Pin> pins(RoomId id) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        return store.pins(id);
    }

    /** Moves the user's read marker in the room forward to {@code seq}; see {@link RoomActor#markRead}. */
    public CompletableFuture<dev.webtalk.ReadState> markRead(Principal user, RoomId id, long seq) {
        if (seq < 0) {
            throw new InvalidRequestException("'seq' must be >= 0");
        }
        return inRoom(id, room -> CompletableFuture.completedFuture(room.markRead(user, seq)));
    }

    /**
     * A page of the room's member list, online first, after {@code cursor} (a {@code next} of an earlier
     * page, or {@code null}); on the room's lane, where presence is known.
     */
    CompletableFuture<MemberPages.Page> members(Principal reader, RoomId id, String cursor, Integer limit) {
        int size = limit == null ? MemberPages.FIRST_PAGE : limit;
        if (size < 1 || size > MemberPages.MAX_PAGE) {
            throw new InvalidRequestException("'limit' must be 1.." + MemberPages.MAX_PAGE);
        }
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        requireNotBanned(reader, id);
        return inRoom(id, room -> CompletableFuture.completedFuture(room.members(reader, cursor, size)));
    }

    /** How far the user has read the room, on its lane (so a marker not stored yet counts). */
    public CompletableFuture<dev.webtalk.ReadState> readState(Principal user, RoomId id) {
        return inRoom(id, room -> {
            if (store.member(id, user.id()).isEmpty()) {
                throw new NotMemberException("Not a member of room " + id);
            }
            return CompletableFuture.completedFuture(room.readState(user.id()));
        });
    }

    /**
     * The read state of every room the user is a member of, for room lists. Read from the store, plus the
     * markers rooms hold in memory for a moment before they are written.
     */
    public Map<RoomId, dev.webtalk.ReadState> readStates(UserId user) {
        Map<RoomId, dev.webtalk.ReadState> states = new java.util.HashMap<>();
        for (RoomId room : store.roomsOf(user)) {
            RoomActor actor = actors.get(room);
            long read = Math.max(store.readSeq(room, user), actor == null ? 0 : actor.pendingReadSeq(user));
            states.put(room, RoomActor.readState(store, room, user, read));
        }
        return states;
    }

    /** What {@code reader} sees around these messages (see {@link dev.webtalk.protocol.MessageContext}). */
    public java.util.function.Function<Message, dev.webtalk.protocol.MessageContext> messageContexts(
            UserId reader, RoomId room, List<Message> messages) {
        return Views.forReader(store, room, messages, reader);
    }

    /** Runs {@code task} on {@code lane} after {@code delay}; dropped once the engine is closing. */
    void later(Duration delay, java.util.concurrent.Executor lane, Runnable task) {
        try {
            timer.schedule(() -> {
                try {
                    lane.execute(task);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the engine is closing: nothing left to push to
                }
            }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the engine is closing
        }
    }

    private void requireMessageText(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("A message needs some text");
        }
        Text.requireWellFormed(text, "The message");
        if (text.codePointCount(0, text.length()) > limits.maxMessageChars()) {
            throw new TooLargeException("A message has at most " + limits.maxMessageChars() + " characters");
        }
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
        requireNotBanned(principal, id);
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

    // ---- moderation ----

    /** Longest moderation reason, in characters. */
    public static final int MAX_REASON_CHARS = 500;
    /** Longest ban or mute that is not forever. */
    static final Duration MAX_RESTRICTION = Duration.ofDays(3650);

    /**
     * Runs a moderation action on {@code target} in the room; {@code duration} (bans and mutes) is
     * {@code null} for forever, {@code role} is for {@link ModerationAction#SET_ROLE}. Completes with the
     * audit entry, or {@code null} when there was nothing to change.
     */
    public CompletableFuture<AuditEntry> moderate(Principal actor, RoomId id, ModerationAction action, UserId target,
                                                 String reason, Duration duration, dev.webtalk.MemberRole role) {
        if (action == ModerationAction.DELETE_MESSAGE || action == ModerationAction.SET_ROOM) {
            throw new IllegalArgumentException("use deleteMessage or updateRoomSettings for " + action);
        }
        String cleanReason = reason == null || reason.isBlank() ? null : reason.strip();
        if (cleanReason != null) {
            Text.requireWellFormed(cleanReason, "The reason");
            if (cleanReason.codePointCount(0, cleanReason.length()) > MAX_REASON_CHARS) {
                throw new InvalidRequestException("A reason has at most " + MAX_REASON_CHARS + " characters");
            }
        }
        Instant until = null;
        if (duration != null) {
            if (action != ModerationAction.BAN && action != ModerationAction.MUTE) {
                throw new InvalidRequestException("Only bans and mutes take a duration");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_RESTRICTION) > 0) {
                throw new InvalidRequestException("A duration must be 1 second to " + MAX_RESTRICTION.toDays() + " days");
            }
            until = now().plus(duration);
        }
        if (action == ModerationAction.SET_ROLE) {
            if (role != dev.webtalk.MemberRole.MODERATOR && role != dev.webtalk.MemberRole.MEMBER) {
                throw new InvalidRequestException("'role' must be 'moderator' or 'member'");
            }
        } else if (role != null) {
            throw new InvalidRequestException("Only set_role takes a role");
        }
        Instant expiry = until;
        return inRoom(id, room -> room.moderate(actor, action, target, cleanReason, expiry, role));
    }

    /**
     * Changes the room's settings; {@code null} arguments keep the current value, an empty topic clears it.
     * Completes with the audit entry, or {@code null} when nothing changed.
     */
    public CompletableFuture<AuditEntry> updateRoomSettings(Principal actor, RoomId id, Duration slowMode,
                                                           Boolean locked, String topic) {
        if (slowMode != null && (slowMode.isNegative() || slowMode.compareTo(dev.webtalk.RoomSettings.MAX_SLOW_MODE) > 0)) {
            throw new InvalidRequestException("Slow mode must be 0 to " + dev.webtalk.RoomSettings.MAX_SLOW_MODE.toSeconds()
                    + " seconds");
        }
        String cleanTopic = topic == null ? null : topic.strip();
        if (cleanTopic != null) {
            Text.requireWellFormed(cleanTopic, "The topic");
            if (cleanTopic.codePointCount(0, cleanTopic.length()) > dev.webtalk.RoomSettings.MAX_TOPIC_CHARS) {
                throw new InvalidRequestException("A topic has at most " + dev.webtalk.RoomSettings.MAX_TOPIC_CHARS
                        + " characters");
            }
            if (cleanTopic.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidRequestException("A topic cannot contain control characters");
            }
        }
        return inRoom(id, room -> room.updateSettings(actor, current -> new dev.webtalk.RoomSettings(
                slowMode == null ? current.slowMode() : slowMode,
                locked == null ? current.locked() : locked,
                cleanTopic == null ? current.topic() : (cleanTopic.isEmpty() ? null : cleanTopic))));
    }

    /** The room's settings. */
    public dev.webtalk.RoomSettings roomSettings(RoomId id) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        return store.roomSettings(id);
    }

    /** A page of the room's audit log, for its moderators, owner and admins. */
    public AuditPage audit(Principal principal, RoomId id, Long before, Integer limit) {
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        Permissions.check(standing(principal, room), Permissions.Action.READ_AUDIT, null, false);
        return auditPage(id, before, limit);
    }

    /**
     * The texts a message had before each edit, oldest first, for those who may read the room's audit
     * log (moderators, the owner, admins); members see only the current text.
     */
    public List<dev.webtalk.MessageEdit> messageEdits(Principal principal, RoomId id, long seq) {
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        Permissions.check(standing(principal, room), Permissions.Action.READ_AUDIT, null, false);
        if (store.message(id, seq).isEmpty()) {
            throw new dev.webtalk.MessageNotFoundException("No message " + seq + " in room " + id);
        }
        return store.edits(id, seq);
    }

    /** A page of the room's audit log, newest first, for the host. */
    public AuditPage auditPage(RoomId id, Long before, Integer limit) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        int pageSize = limit == null ? Math.min(50, limits.historyPageMax()) : limit;
        if (pageSize < 1) {
            throw new InvalidRequestException("'limit' must be >= 1");
        }
        if (before != null && before < 1) {
            throw new InvalidRequestException("'before' must be >= 1");
        }
        pageSize = Math.min(pageSize, limits.historyPageMax());
        List<AuditEntry> page = store.audit(id, before == null ? Long.MAX_VALUE : before, pageSize + 1);
        boolean hasMore = page.size() > pageSize;
        return new AuditPage(hasMore ? page.subList(0, pageSize) : page, hasMore);
    }

    /** The bans and mutes that hold now in the room, for its moderators, owner and admins. */
    public List<Restriction> restrictions(Principal principal, RoomId id) {
        Room room = store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        Permissions.check(standing(principal, room), Permissions.Action.READ_AUDIT, null, false);
        return activeRestrictions(id);
    }

    /** The bans and mutes that hold now in the room. */
    public List<Restriction> activeRestrictions(RoomId id) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        Instant now = now();
        return store.restrictions(id).stream().filter(r -> r.activeAt(now)).toList();
    }

    // ---- shared files ----

    /** The largest file that may be shared now, in bytes (a {@linkplain #settings() setting}). */
    public long maxFileBytes() {
        return settings.maxFileBytes();
    }

    /** The most {@link #maxFileBytes()} may be set to: the builder's value. */
    public long fileSizeCeiling() {
        return maxFileBytes;
    }

    /** Whether an attachment store was configured. */
    public boolean filesEnabled() {
        return attachments != null;
    }

    /** Refuses, before any byte is read, an upload that could not be accepted. */
    public void checkUpload(Principal principal, RoomId id) {
        if (attachments == null) {
            throw new ForbiddenException("File sharing is not enabled on this server");
        }
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        requireNotBanned(principal, id);
        if (store.member(id, principal.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to share files in it");
        }
        requireNotArchived(id);
        Optional<Restriction> mute = activeRestriction(id, principal.id(), Restriction.Kind.MUTE);
        if (mute.isPresent() && !principal.isAdmin()) {
            throw new dev.webtalk.MutedException("You are muted in room " + id, mute.get().until());
        }
    }

    /**
     * Streams an upload into the attachment store on the caller's thread, then posts its FILE message
     * through the room. The type comes from the content's first bytes only. Whatever fails, the bytes
     * are not left behind.
     */
    public CompletableFuture<Message> uploadFile(Principal principal, RoomId id, String rawName, InputStream content) {
        checkUpload(principal, id);
        takeToken(messageBuckets, principal.id(), "messages", EngineObserver.Limit.MESSAGES);
        String name = fileName(rawName);
        byte[] head;
        try {
            head = content.readNBytes(FileType.HEAD_BYTES);
        } catch (IOException e) {
            throw new InvalidRequestException("The upload could not be read: " + e.getMessage());
        }
        if (head.length == 0) {
            throw new InvalidRequestException("The file is empty");
        }
        FileType type = FileType.detect(head).orElseThrow(() -> new UnsupportedTypeException(
                "Only JPEG, PNG, GIF and WebP images and PDF documents can be shared"));
        AttachmentStore.StoredFile stored = attachments.write(
                new SequenceInputStream(new ByteArrayInputStream(head), content), maxFileBytes());
        Attachment attachment = new Attachment(stored.key(), name, type.mediaType(), stored.size());
        CompletableFuture<Message> posted;
        try {
            posted = inRoom(id, room -> room.postFile(principal, attachment));
        } catch (RuntimeException e) {
            discardAttachment(attachment);
            throw e;
        }
        return posted.whenComplete((message, failure) -> {
            if (failure != null) {
                discardAttachment(attachment);
            } else {
                observers.messageReceived();
                store.room(id).ifPresent(room -> record(ActivityEvent.Type.FILE_SHARED, room, principal));
            }
        });
    }

    /** The name to show for an uploaded file: no path, no control characters, 1..255 characters. */
    static String fileName(String raw) {
        String name = raw == null ? "" : raw;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        Text.requireWellFormed(name, "The file name");
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        name = clean.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "file";
        }
        if (name.codePointCount(0, name.length()) > MAX_FILE_NAME_CHARS) {
            throw new InvalidRequestException("A file name has at most " + MAX_FILE_NAME_CHARS + " characters");
        }
        return name;
    }

    /** Longest file name kept with a shared file. */
    public static final int MAX_FILE_NAME_CHARS = 255;

    /** Opens a shared file for a member of its room (or an admin); a deleted message's file is gone. */
    public FileDownload openFile(Principal principal, RoomId id, String fileId) {
        store.room(id).orElseThrow(() -> new RoomNotFoundException("No room " + id));
        if (!principal.isAdmin() && store.member(id, principal.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to see its files");
        }
        AttachmentNotFoundException notFound = new AttachmentNotFoundException("No file " + fileId + " in room " + id);
        if (attachments == null || fileId == null) {
            throw notFound;
        }
        Message message = store.messageByAttachment(id, fileId).orElseThrow(() -> notFound);
        InputStream content = attachments.open(fileId).orElseThrow(() -> notFound);
        return new FileDownload(message.attachment(), content);
    }

    /** Stored files no live message refers to, written before {@code storedBefore}. */
    public List<AttachmentStore.StoredFile> orphanedFiles(Instant storedBefore) {
        if (attachments == null) {
            return List.of();
        }
        return attachments.list().stream()
                .filter(f -> f.storedAt().isBefore(storedBefore))
                .filter(f -> !store.isAttachmentReferenced(f.key()))
                .toList();
    }

    /** Deletes {@link #orphanedFiles}; returns how many were deleted. */
    public int purgeOrphanedFiles(Instant storedBefore) {
        int deleted = 0;
        for (AttachmentStore.StoredFile file : orphanedFiles(storedBefore)) {
            if (attachments.delete(file.key())) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Deletes the bytes of an attachment that lost its message; a failure leaves an orphan for the purge. */
    void discardAttachment(Attachment attachment) {
        if (attachment == null || attachments == null) {
            return;
        }
        try {
            attachments.delete(attachment.id());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete attachment {}; purgeOrphanedFiles will", attachment.id(), e);
        }
    }

    // ---- administration ----

    boolean isArchived(RoomId id) {
        return archived.containsKey(id);
    }

    void requireNotArchived(RoomId id) {
        if (archived.containsKey(id)) {
            throw new RoomArchivedException("Room " + id + " is archived and read-only");
        }
    }

    /** Called on the room's lane once the store confirmed the change. */
    void archivedChanged(Room room, Instant archivedAt, Principal actor) {
        if (archivedAt == null) {
            archived.remove(room.id());
            record(ActivityEvent.Type.ROOM_UNARCHIVED, room, actor);
        } else {
            archived.putIfAbsent(room.id(), archivedAt);
            record(ActivityEvent.Type.ROOM_ARCHIVED, room, actor);
        }
    }

    // ---- the cluster: other nodes on the same store ----

    Broker broker() {
        return relay.broker();
    }

    /** Publishes a change committed here, with its pushes, to the other nodes. */
    void relay(RoomId room, Relayed relayed) {
        relay.publish(room, relayed);
    }

    /** Another node's change arrived: its room's lane applies it in order, if the room is live here. */
    void relayed(Relayed relayed) {
        RoomActor actor = actors.get(relayed.event().roomId());
        if (actor != null) {
            onLane(actor, () -> actor.relayed(relayed));
        }
    }

    /** This node's part in presence across nodes. */
    ClusterRelay cluster() {
        return relay;
    }

    /** Users with a connection to this node. */
    int usersOnlineHere() {
        return connectionsPerUser.size();
    }

    /** Other nodes' users came or went: each room's lane tells its connections here. */
    void presenceChanged(List<ClusterPresence.Change> changes) {
        for (ClusterPresence.Change change : changes) {
            RoomActor actor = actors.get(change.member().roomId());
            if (actor != null) {
                onLane(actor, () -> actor.presenceChangedElsewhere(change));
            }
        }
    }

    /** A user on another node is typing in {@code room}. */
    void typingElsewhere(RoomId room, UserId user, OutboundFrame frame) {
        RoomActor actor = actors.get(room);
        if (actor != null) {
            onLane(actor, () -> actor.typingElsewhere(user, frame));
        }
    }

    /** Checks every live room against the store for other nodes' changes that did not arrive. */
    void catchUpRooms() {
        for (RoomActor actor : actors.values()) {
            onLane(actor, actor::catchUp);
        }
    }

    /** Another node archived ({@code at}) or unarchived ({@code null}) a room. */
    void archivedElsewhere(RoomId room, Instant at) {
        if (at == null) {
            archived.remove(room);
        } else {
            archived.putIfAbsent(room, at);
        }
    }

    /** This node deleted a room: the other nodes hear of it. */
    void roomDeletedHere(RoomId room) {
        relay.roomDeleted(room);
    }

    /** Another node deleted a room: connections here leave it. */
    void roomDeletedElsewhere(RoomId room) {
        archived.remove(room);
        RoomActor actor = actors.get(room);
        if (actor != null) {
            onLane(actor, actor::deletedElsewhere);
        }
    }

    private static void onLane(RoomActor actor, Runnable task) {
        try {
            actor.executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the engine is closing
        }
    }

    /** Called on the room's lane once the store confirmed the deletion. */
    void roomDeleted(Room room, Principal actor) {
        archived.remove(room.id());
        record(actor == SYSTEM ? ActivityEvent.Type.ROOM_EXPIRED : ActivityEvent.Type.ROOM_DELETED, room,
                actor == SYSTEM ? null : actor);
    }

    void record(ActivityEvent.Type type, Room room, Principal actor) {
        ActivityEvent event = new ActivityEvent(now(), type, room == null ? null : room.id(),
                room == null ? null : room.name(), actor == null ? null : actor.displayName());
        activity.record(event);
        relay.activity(event);
    }

    /** Another node's activity event, for this node's feed: the feed is the cluster's. */
    void recordElsewhere(ActivityEvent event) {
        activity.record(event);
    }

    public CompletableFuture<Void> setArchived(Principal actor, RoomId id, boolean archive) {
        if (!actor.isAdmin()) {
            throw new dev.webtalk.ForbiddenException("Only an admin may archive or unarchive a room");
        }
        return inRoom(id, room -> room.setArchived(actor, archive));
    }

    public ServerSettings settings() {
        return settings;
    }

    /** Stores and applies new settings; serialized, so concurrent updates cannot interleave. */
    public synchronized ServerSettings updateSettings(ServerSettings next) {
        if (next.maxFileBytes() > maxFileBytes) {
            throw new InvalidRequestException("maxFileBytes may be at most " + maxFileBytes + " on this server");
        }
        writer.submit(List.of(
                new StoreWrite.PutSetting(MAX_ROOMS, Integer.toString(next.maxRooms())),
                new StoreWrite.PutSetting(INACTIVITY_TIMEOUT, Long.toString(next.roomInactivityTimeout().toSeconds())),
                new StoreWrite.PutSetting(MAX_FILE_BYTES, Long.toString(next.maxFileBytes())))).join();
        // Kept to the second, as stored, so what is read back equals what is in force.
        settings = next.withRoomInactivityTimeout(Duration.ofSeconds(next.roomInactivityTimeout().toSeconds()));
        record(ActivityEvent.Type.SETTINGS_CHANGED, null, null);
        relay.settingsChanged();
        return settings;
    }

    /** Another node stored new server settings: they hold here too. */
    synchronized void reloadSettings() {
        settings = storedSettings(store.settings(), settings);
    }

    /** Every room, archived ones included, with what an operator wants to know about it. */
    public List<RoomOverview> roomOverviews() {
        Map<RoomId, Integer> counts = store.memberCounts();
        Map<RoomId, ChatStore.RoomActivity> used = store.roomActivity();
        List<RoomOverview> result = new ArrayList<>();
        for (Room room : store.rooms()) {
            RoomActor actor = actors.get(room.id());
            ChatStore.RoomActivity a = used.get(room.id());
            Instant last = latest(room.createdAt(), a == null ? null : a.lastMessageAt(),
                    actor == null ? null : actor.lastPresenceChange());
            result.add(new RoomOverview(room, counts.getOrDefault(room.id(), 0), online(room.id(), actor),
                    a == null ? 0 : a.messages(), last, archived.get(room.id())));
        }
        return result;
    }

    static Instant latest(Instant a, Instant b, Instant c) {
        Instant max = a;
        if (b != null && b.isAfter(max)) {
            max = b;
        }
        if (c != null && c.isAfter(max)) {
            max = c;
        }
        return max;
    }

    public ServerStats stats() {
        Instant now = now();
        List<Room> all = store.rooms();
        java.util.Set<RoomId> active = new java.util.HashSet<>(relay.presence().roomsElsewhere());
        for (RoomActor actor : actors.values()) {
            if (actor.onlineCount() > 0) {
                active.add(actor.id);
            }
        }
        long total = store.roomActivity().values().stream().mapToLong(ChatStore.RoomActivity::messages).sum();
        Instant midnight = LocalDate.ofInstant(now, clock.getZone()).atStartOfDay(clock.getZone()).toInstant();
        long files = 0;
        long bytes = 0;
        if (attachments != null) {
            for (AttachmentStore.StoredFile f : attachments.list()) {
                files++;
                bytes += f.size();
            }
        }
        // Cluster-wide: the other nodes' counts are those of their last heartbeats.
        return new ServerStats(all.size(), active.size(), archived.size(),
                connectionsPerUser.size() + relay.presence().usersElsewhere(),
                sessions.size() + relay.presence().connectionsElsewhere(),
                store.messageCountSince(midnight), total, files, bytes, startedAt, Duration.between(startedAt, now),
                activity.recent());
    }

    /**
     * Messages and active users (distinct authors) in the last {@code count} buckets of {@code bucket}
     * length, oldest first, empty ones included: buckets start at whole multiples of the length since the
     * epoch (whole hours for an hour), and the newest holds now. One store aggregate per call.
     */
    public List<ActivityBucket> activity(Duration bucket, int count) {
        long step = bucket.toMillis();
        long newest = Math.floorDiv(clock.millis(), step) * step;
        Instant from = Instant.ofEpochMilli(newest - (count - 1) * step);
        Map<Instant, ActivityBucket> found = new java.util.HashMap<>();
        for (ActivityBucket b : store.messageActivity(from, bucket)) {
            found.put(b.start(), b);
        }
        List<ActivityBucket> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant start = from.plusMillis(i * step);
            result.add(found.getOrDefault(start, new ActivityBucket(start, 0, 0)));
        }
        return result;
    }

    /**
     * Deletes every room that is not archived, has nobody present, and saw no activity for the
     * {@linkplain ServerSettings#roomInactivityTimeout() inactivity timeout}; nothing when rooms do not
     * expire. Each room is checked again on its own lane right before it goes. Returns the deleted rooms.
     */
    public List<RoomId> purgeInactiveRooms() {
        ServerSettings current = settings;
        if (!current.expiresRooms() || closed) {
            return List.of();
        }
        Instant cutoff = now().minus(current.roomInactivityTimeout());
        List<RoomId> purged = new ArrayList<>();
        for (RoomOverview room : roomOverviews()) {
            if (room.archived() || room.onlineCount() > 0 || room.lastActivity().isAfter(cutoff)) {
                continue;
            }
            try {
                if (inRoom(room.room().id(), actor -> actor.expire(cutoff)).join()) {
                    purged.add(room.room().id());
                }
            } catch (RuntimeException e) {
                LOG.debug("Room {} was not expired: {}", room.room().id(), e.toString());
            }
        }
        return purged;
    }

    private void purgeInactiveRoomsQuietly() {
        try {
            List<RoomId> purged = purgeInactiveRooms();
            if (!purged.isEmpty()) {
                LOG.info("Deleted {} inactive room(s)", purged.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("Expiring inactive rooms failed", e);
        }
    }

    // ---- shutdown ----

    /** Hands every room's read markers not yet stored to the writer, on each room's lane, and waits. */
    private void flushReadMarks() {
        List<CompletableFuture<Void>> flushed = new ArrayList<>();
        for (RoomActor actor : actors.values()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                actor.executor.execute(() -> {
                    try {
                        actor.flushReadMarks();
                    } finally {
                        done.complete(null);
                    }
                });
                flushed.add(done);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // already stopping
            }
        }
        try {
            CompletableFuture.allOf(flushed.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Read markers not stored before shutdown: {}", e.toString());
        }
    }

    /**
     * Closes every connection (1001), commits pending writes, stops the threads and closes the store. A
     * second caller (say the host's try-with-resources while Jetty's shutdown hook closes the engine) waits
     * for the first to finish, so when {@code close} returns the store is closed.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            shutDown();
        }
    }

    private void shutDown() {
        if (expiry != null) {
            expiry.shutdownNow();
        }
        for (ClientSession session : List.copyOf(sessions)) {
            session.close(CloseCodes.GOING_AWAY, "Server shutting down");
        }
        timer.shutdownNow();
        flushReadMarks();
        writer.close(); // commits what was accepted; its completions still need the pool
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fanOut.close(); // after the 1001 closes and the last pushes: lets them reach the transports
        hostCalls.close(); // after the rooms: their last answers are completed there
        events.close();
        relay.close();
        store.close();
        if (attachments != null) {
            attachments.close();
        }
    }
}
