package dev.webtalk;

import dev.webtalk.internal.Engine;
import dev.webtalk.internal.PasswordHasher;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.Connection;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Main entry point: the chat engine. Transports hand it connections ({@link #connect}); the host
 * application uses the rest of this class to drive chat from its own code. Build one with
 * {@link #builder()}, share it across threads, and close it on shutdown.
 *
 * <pre>{@code
 * try (WebTalk chat = WebTalk.builder().store(SqliteChatStore.open(Path.of("chat.db"))).build()) {
 *     Room room = chat.createRoom(Principal.user("u1", "Ana"), "General", null);
 * }
 * }</pre>
 */
public final class WebTalk implements AutoCloseable {
    private final Engine engine;

    private WebTalk(Engine engine) {
        this.engine = engine;
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Attaches a new client connection for an authenticated user and sends it the {@code welcome}
     * frame. The transport then feeds the returned session every inbound frame. When the user already
     * has {@link Limits#maxConnectionsPerUser()} open connections, the new one is closed at once with
     * {@link dev.webtalk.protocol.CloseCodes#TOO_MANY_CONNECTIONS} and the session ignores its frames.
     */
    public Session connect(Principal principal, Connection connection) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(connection, "connection");
        return engine.connect(principal, connection);
    }

    /**
     * Creates a room owned by {@code owner}, waiting until it is stored.
     *
     * @param password the room password, or {@code null} (or empty) for an open room
     * @throws InvalidRequestException for a bad name or password
     * @throws LimitReachedException when the server holds its maximum number of rooms
     */
    public Room createRoom(Principal owner, String name, String password) {
        Objects.requireNonNull(owner, "owner");
        return await(engine.createRoom(owner, name, password));
    }

    /** Every room with its member and online counts, oldest first. */
    public List<RoomSummary> rooms() {
        return engine.rooms();
    }

    /** One room with its counts. */
    public Optional<RoomSummary> room(RoomId id) {
        return engine.room(id);
    }

    /**
     * Checks whether {@code principal} may enter the room with {@code password}: passes for open rooms,
     * existing members, the owner and admins.
     *
     * @throws WrongPasswordException when the password is missing or wrong
     * @throws RoomNotFoundException when there is no such room
     */
    public void checkPassword(Principal principal, RoomId room, String password) {
        engine.checkPassword(principal, room, password);
    }

    /**
     * A page of a room's history, for a member of the room or an admin.
     *
     * @param before only messages with a smaller seq, or {@code null} for the newest page
     * @param limit page size (clamped to {@link Limits#historyPageMax()}), or {@code null} for 50
     */
    public HistoryPage history(Principal principal, RoomId room, Long before, Integer limit) {
        return engine.history(principal, room, before, limit);
    }

    /**
     * Soft-deletes a message (its author, the room owner or an admin) and tells everyone present.
     *
     * @throws ForbiddenException when {@code actor} may not delete it
     */
    public void deleteMessage(Principal actor, RoomId room, long seq) {
        await(engine.deleteMessage(actor, room, seq));
    }

    /**
     * Deletes a room with its members and messages; everyone present is told with {@code room_deleted}.
     *
     * @throws ForbiddenException unless {@code actor} owns the room or is an admin
     */
    public void deleteRoom(Principal actor, RoomId room) {
        await(engine.deleteRoom(actor, room));
    }

    /** Open connections now. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** The limits in force. */
    public Limits limits() {
        return engine.limits();
    }

    /** The wire codec, for transports that answer in the protocol's JSON shapes (e.g. REST). */
    public ProtocolCodec codec() {
        return engine.codec();
    }

    /**
     * Closes every connection with 1001, commits every accepted write, stops the engine's threads
     * and closes the store. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(cause);
        }
    }

    /**
     * Configures a {@link WebTalk}. Every setter validates its argument at once; {@link #build()} may
     * be called once.
     */
    public static final class Builder {
        private ChatStore store;
        private Clock clock = Clock.systemUTC();
        private Limits limits = Limits.defaults();
        private int roomThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int passwordIterations = PasswordHasher.DEFAULT_ITERATIONS;
        private boolean built;

        private Builder() {
        }

        /** Where rooms and messages live (required). The engine takes ownership and closes it. */
        public Builder store(ChatStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The time source for timestamps and throttles (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Size and rate bounds (default: {@link Limits#defaults()}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Threads that run room work; rooms are multiplexed over them (default: max(2, CPU cores)). */
        public Builder roomThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("roomThreads must be >= 1, was " + threads);
            }
            this.roomThreads = threads;
            return this;
        }

        /**
         * PBKDF2 iterations for new room password hashes (default 120,000). Lower it only in tests;
         * existing hashes keep the count they were made with.
         */
        public Builder passwordIterations(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("passwordIterations must be >= 1, was " + iterations);
            }
            this.passwordIterations = iterations;
            return this;
        }

        /** Starts the engine. */
        public WebTalk build() {
            if (built) {
                throw new IllegalStateException("build() was already called on this builder");
            }
            if (store == null) {
                throw new IllegalStateException("store(...) is required, e.g. SqliteChatStore.open(path)");
            }
            built = true;
            return new WebTalk(new Engine(store, clock, limits, roomThreads, passwordIterations));
        }
    }
}
