package dev.webtalk;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound the engine enforces, in one place, immutable. Start from {@link #builder()} (every option
 * at its default) or from {@link #toBuilder()} of existing limits, and change only what you need:
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxMessageChars(4000).maxRooms(500).build();
 * WebTalk chat = WebTalk.builder().store(store).limits(limits).build();
 * }</pre>
 *
 * Each setter checks its value at once and throws {@link IllegalArgumentException} naming the option,
 * so a bad setting fails at configuration time rather than under load. Every option and its default is
 * listed in docs/CONFIGURATION.md.
 */
public final class Limits {
    private static final Limits DEFAULTS = new Builder().build();

    private final int maxMessageChars;
    private final int maxRoomNameChars;
    private final int maxPasswordChars;
    private final int maxFrameBytes;
    private final int historyPageMax;
    private final int joinHistory;
    private final int maxRoomsPerSession;
    private final int maxRooms;
    private final Duration typingInterval;
    private final int maxConsecutiveErrors;
    private final int maxPendingWrites;
    private final int writeBatchMax;
    private final int maxResumeEvents;
    private final int maxConnectionsPerUser;
    private final int maxQueuedRequests;
    private final RateLimit messageRate;
    private final RateLimit joinRate;
    private final RateLimit passwordFailures;
    private final Duration passwordLockout;
    private final int maxPendingEvents;
    private final RateLimit requestRate;
    private final RateLimit reactionRate;
    private final int maxReactionsPerMessage;
    private final int maxPins;
    private final int maxRoomsPerUser;

    private Limits(Builder builder) {
        this.maxMessageChars = builder.maxMessageChars;
        this.maxRoomNameChars = builder.maxRoomNameChars;
        this.maxPasswordChars = builder.maxPasswordChars;
        this.maxFrameBytes = builder.maxFrameBytes;
        this.historyPageMax = builder.historyPageMax;
        this.joinHistory = builder.joinHistory;
        this.maxRoomsPerSession = builder.maxRoomsPerSession;
        this.maxRooms = builder.maxRooms;
        this.typingInterval = builder.typingInterval;
        this.maxConsecutiveErrors = builder.maxConsecutiveErrors;
        this.maxPendingWrites = builder.maxPendingWrites;
        this.writeBatchMax = builder.writeBatchMax;
        this.maxResumeEvents = builder.maxResumeEvents;
        this.maxConnectionsPerUser = builder.maxConnectionsPerUser;
        this.maxQueuedRequests = builder.maxQueuedRequests;
        this.messageRate = builder.messageRate;
        this.joinRate = builder.joinRate;
        this.passwordFailures = builder.passwordFailures;
        this.passwordLockout = builder.passwordLockout;
        this.maxPendingEvents = builder.maxPendingEvents;
        this.requestRate = builder.requestRate;
        this.reactionRate = builder.reactionRate;
        this.maxReactionsPerMessage = builder.maxReactionsPerMessage;
        this.maxPins = builder.maxPins;
        this.maxRoomsPerUser = builder.maxRoomsPerUser;
    }

    /** Every option at its default. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these limits, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Longest message text, in characters (default 2000). */
    public int maxMessageChars() {
        return maxMessageChars;
    }

    /** Longest room name, in characters (default 50). */
    public int maxRoomNameChars() {
        return maxRoomNameChars;
    }

    /** Longest room password, in characters (default 128). */
    public int maxPasswordChars() {
        return maxPasswordChars;
    }

    /** Largest inbound frame a transport accepts, in bytes (at least 1024) (default 64 KiB). */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Most messages one history request returns (default 100). */
    public int historyPageMax() {
        return historyPageMax;
    }

    /** Messages sent with a join reply; at most {@code historyPageMax} (default 50). */
    public int joinHistory() {
        return joinHistory;
    }

    /** Rooms one connection may be present in at once (default 50). */
    public int maxRoomsPerSession() {
        return maxRoomsPerSession;
    }

    /** Rooms that may exist at once (an admin may change it at run time: {@link ServerSettings#maxRooms()}) (default 10,000). */
    public int maxRooms() {
        return maxRooms;
    }

    /** Shortest gap between two typing notices of one user in one room (default 2 s). */
    public Duration typingInterval() {
        return typingInterval;
    }

    /** Invalid frames in a row after which a connection is closed (default 20). */
    public int maxConsecutiveErrors() {
        return maxConsecutiveErrors;
    }

    /** Store writes that may wait for the writer; past it senders get {@code overloaded} (default 10,000). */
    public int maxPendingWrites() {
        return maxPendingWrites;
    }

    /** Most writes committed in one store transaction (default 512). */
    public int writeBatchMax() {
        return writeBatchMax;
    }

    /** Most stream events a {@code join} with {@code since} may replay; past it the client is told to resync (default 500). */
    public int maxResumeEvents() {
        return maxResumeEvents;
    }

    /** Open connections one user may have; a further one is closed with {@code 4004} (default 10). */
    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    /** Requests of one connection for one room that may wait behind its unfinished {@code join} or {@code leave}; past it the request fails {@code rate_limited} (default 64). */
    public int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    /** Messages (text and files) one user may post, across rooms; past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 20, then 5 per second). */
    public RateLimit messageRate() {
        return messageRate;
    }

    /** Joins one user may make, across rooms and connections (default a burst of 30, then 2 per second). */
    public RateLimit joinRate() {
        return joinRate;
    }

    /** Wrong room passwords one user may try per room; one more locks the user out of that room for {@code passwordLockout} (default 5, one more earned back per minute). */
    public RateLimit passwordFailures() {
        return passwordFailures;
    }

    /** How long a user who guessed too often cannot try that room's password (default 5 minutes). */
    public Duration passwordLockout() {
        return passwordLockout;
    }

    /** Events that may wait for the host's listeners; past it new events are dropped (default 10,000). */
    public int maxPendingEvents() {
        return maxPendingEvents;
    }

    /** Requests of any kind one connection may make ({@code ping} aside); past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 100, then 30 per second). */
    public RateLimit requestRate() {
        return requestRate;
    }

    /** Reactions one user may add or remove, across rooms; past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 30, then 10 per second). */
    public RateLimit reactionRate() {
        return reactionRate;
    }

    /** Distinct emoji one message may carry; one more fails {@code conflict} (default 20). */
    public int maxReactionsPerMessage() {
        return maxReactionsPerMessage;
    }

    /** Messages one room may have pinned; one more fails {@code conflict} (default 50). */
    public int maxPins() {
        return maxPins;
    }

    /** Rooms one non-admin user may own when they create another; one more fails {@code conflict} (default 100). */
    public int maxRoomsPerUser() {
        return maxRoomsPerUser;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Limits o
                && maxMessageChars == o.maxMessageChars
                && maxRoomNameChars == o.maxRoomNameChars
                && maxPasswordChars == o.maxPasswordChars
                && maxFrameBytes == o.maxFrameBytes
                && historyPageMax == o.historyPageMax
                && joinHistory == o.joinHistory
                && maxRoomsPerSession == o.maxRoomsPerSession
                && maxRooms == o.maxRooms
                && typingInterval.equals(o.typingInterval)
                && maxConsecutiveErrors == o.maxConsecutiveErrors
                && maxPendingWrites == o.maxPendingWrites
                && writeBatchMax == o.writeBatchMax
                && maxResumeEvents == o.maxResumeEvents
                && maxConnectionsPerUser == o.maxConnectionsPerUser
                && maxQueuedRequests == o.maxQueuedRequests
                && messageRate.equals(o.messageRate)
                && joinRate.equals(o.joinRate)
                && passwordFailures.equals(o.passwordFailures)
                && passwordLockout.equals(o.passwordLockout)
                && maxPendingEvents == o.maxPendingEvents
                && requestRate.equals(o.requestRate)
                && reactionRate.equals(o.reactionRate)
                && maxReactionsPerMessage == o.maxReactionsPerMessage
                && maxPins == o.maxPins
                && maxRoomsPerUser == o.maxRoomsPerUser;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxMessageChars, maxRoomNameChars, maxPasswordChars, maxFrameBytes, historyPageMax, joinHistory, maxRoomsPerSession, maxRooms, typingInterval, maxConsecutiveErrors, maxPendingWrites, writeBatchMax, maxResumeEvents, maxConnectionsPerUser, maxQueuedRequests, messageRate, joinRate, passwordFailures, passwordLockout, maxPendingEvents, requestRate, reactionRate, maxReactionsPerMessage, maxPins, maxRoomsPerUser);
    }

    @Override
    public String toString() {
        return "Limits[maxMessageChars=" + maxMessageChars
                + ", maxRoomNameChars=" + maxRoomNameChars
                + ", maxPasswordChars=" + maxPasswordChars
                + ", maxFrameBytes=" + maxFrameBytes
                + ", historyPageMax=" + historyPageMax
                + ", joinHistory=" + joinHistory
                + ", maxRoomsPerSession=" + maxRoomsPerSession
                + ", maxRooms=" + maxRooms
                + ", typingInterval=" + typingInterval
                + ", maxConsecutiveErrors=" + maxConsecutiveErrors
                + ", maxPendingWrites=" + maxPendingWrites
                + ", writeBatchMax=" + writeBatchMax
                + ", maxResumeEvents=" + maxResumeEvents
                + ", maxConnectionsPerUser=" + maxConnectionsPerUser
                + ", maxQueuedRequests=" + maxQueuedRequests
                + ", messageRate=" + messageRate
                + ", joinRate=" + joinRate
                + ", passwordFailures=" + passwordFailures
                + ", passwordLockout=" + passwordLockout
                + ", maxPendingEvents=" + maxPendingEvents
                + ", requestRate=" + requestRate
                + ", reactionRate=" + reactionRate
                + ", maxReactionsPerMessage=" + maxReactionsPerMessage
                + ", maxPins=" + maxPins
                + ", maxRoomsPerUser=" + maxRoomsPerUser + "]";
    }

    /**
     * Builds {@link Limits}. Each setter validates its value at once and names the option in the
     * exception; {@link #build()} checks what depends on two options.
     */
    public static final class Builder {
        private int maxMessageChars = 2000;
        private int maxRoomNameChars = 50;
        private int maxPasswordChars = 128;
        private int maxFrameBytes = 64 * 1024;
        private int historyPageMax = 100;
        private int joinHistory = 50;
        private int maxRoomsPerSession = 50;
        private int maxRooms = 10_000;
        private Duration typingInterval = Duration.ofSeconds(2);
        private int maxConsecutiveErrors = 20;
        private int maxPendingWrites = 10_000;
        private int writeBatchMax = 512;
        private int maxResumeEvents = 500;
        private int maxConnectionsPerUser = 10;
        private int maxQueuedRequests = 64;
        private RateLimit messageRate = RateLimit.perSecond(20, 5);
        private RateLimit joinRate = RateLimit.perSecond(30, 2);
        private RateLimit passwordFailures = new RateLimit(5, Duration.ofMinutes(1));
        private Duration passwordLockout = Duration.ofMinutes(5);
        private int maxPendingEvents = 10_000;
        private RateLimit requestRate = RateLimit.perSecond(100, 30);
        private RateLimit reactionRate = RateLimit.perSecond(30, 10);
        private int maxReactionsPerMessage = 20;
        private int maxPins = 50;
        private int maxRoomsPerUser = 100;

        private Builder() {
        }

        private Builder(Limits limits) {
            this.maxMessageChars = limits.maxMessageChars;
            this.maxRoomNameChars = limits.maxRoomNameChars;
            this.maxPasswordChars = limits.maxPasswordChars;
            this.maxFrameBytes = limits.maxFrameBytes;
            this.historyPageMax = limits.historyPageMax;
            this.joinHistory = limits.joinHistory;
            this.maxRoomsPerSession = limits.maxRoomsPerSession;
            this.maxRooms = limits.maxRooms;
            this.typingInterval = limits.typingInterval;
            this.maxConsecutiveErrors = limits.maxConsecutiveErrors;
            this.maxPendingWrites = limits.maxPendingWrites;
            this.writeBatchMax = limits.writeBatchMax;
            this.maxResumeEvents = limits.maxResumeEvents;
            this.maxConnectionsPerUser = limits.maxConnectionsPerUser;
            this.maxQueuedRequests = limits.maxQueuedRequests;
            this.messageRate = limits.messageRate;
            this.joinRate = limits.joinRate;
            this.passwordFailures = limits.passwordFailures;
            this.passwordLockout = limits.passwordLockout;
            this.maxPendingEvents = limits.maxPendingEvents;
            this.requestRate = limits.requestRate;
            this.reactionRate = limits.reactionRate;
            this.maxReactionsPerMessage = limits.maxReactionsPerMessage;
            this.maxPins = limits.maxPins;
            this.maxRoomsPerUser = limits.maxRoomsPerUser;
        }

        /** Longest message text, in characters (default 2000). */
        public Builder maxMessageChars(int value) {
            this.maxMessageChars = atLeast("maxMessageChars", value, 1);
            return this;
        }

        /** Longest room name, in characters (default 50). */
        public Builder maxRoomNameChars(int value) {
            this.maxRoomNameChars = atLeast("maxRoomNameChars", value, 1);
            return this;
        }

        /** Longest room password, in characters (default 128). */
        public Builder maxPasswordChars(int value) {
            this.maxPasswordChars = atLeast("maxPasswordChars", value, 1);
            return this;
        }

        /** Largest inbound frame a transport accepts, in bytes (at least 1024) (default 64 KiB). */
        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = atLeast("maxFrameBytes", value, 1024);
            return this;
        }

        /** Most messages one history request returns (default 100). */
        public Builder historyPageMax(int value) {
            this.historyPageMax = atLeast("historyPageMax", value, 1);
            return this;
        }

        /** Messages sent with a join reply; at most {@code historyPageMax} (default 50). */
        public Builder joinHistory(int value) {
            this.joinHistory = atLeast("joinHistory", value, 0);
            return this;
        }

        /** Rooms one connection may be present in at once (default 50). */
        public Builder maxRoomsPerSession(int value) {
            this.maxRoomsPerSession = atLeast("maxRoomsPerSession", value, 1);
            return this;
        }

        /** Rooms that may exist at once (an admin may change it at run time: {@link ServerSettings#maxRooms()}) (default 10,000). */
        public Builder maxRooms(int value) {
            this.maxRooms = atLeast("maxRooms", value, 1);
            return this;
        }

        /** Shortest gap between two typing notices of one user in one room (default 2 s). */
        public Builder typingInterval(Duration value) {
            this.typingInterval = notNegative("typingInterval", value);
            return this;
        }

        /** Invalid frames in a row after which a connection is closed (default 20). */
        public Builder maxConsecutiveErrors(int value) {
            this.maxConsecutiveErrors = atLeast("maxConsecutiveErrors", value, 1);
            return this;
        }

        /** Store writes that may wait for the writer; past it senders get {@code overloaded} (default 10,000). */
        public Builder maxPendingWrites(int value) {
            this.maxPendingWrites = atLeast("maxPendingWrites", value, 1);
            return this;
        }

        /** Most writes committed in one store transaction (default 512). */
        public Builder writeBatchMax(int value) {
            this.writeBatchMax = atLeast("writeBatchMax", value, 1);
            return this;
        }

        /** Most stream events a {@code join} with {@code since} may replay; past it the client is told to resync (default 500). */
        public Builder maxResumeEvents(int value) {
            this.maxResumeEvents = atLeast("maxResumeEvents", value, 0);
            return this;
        }

        /** Open connections one user may have; a further one is closed with {@code 4004} (default 10). */
        public Builder maxConnectionsPerUser(int value) {
            this.maxConnectionsPerUser = atLeast("maxConnectionsPerUser", value, 1);
            return this;
        }

        /** Requests of one connection for one room that may wait behind its unfinished {@code join} or {@code leave}; past it the request fails {@code rate_limited} (default 64). */
        public Builder maxQueuedRequests(int value) {
            this.maxQueuedRequests = atLeast("maxQueuedRequests", value, 1);
            return this;
        }

        /** Messages (text and files) one user may post, across rooms; past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 20, then 5 per second). */
        public Builder messageRate(RateLimit value) {
            this.messageRate = Objects.requireNonNull(value, "messageRate must not be null");
            return this;
        }

        /** Joins one user may make, across rooms and connections (default a burst of 30, then 2 per second). */
        public Builder joinRate(RateLimit value) {
            this.joinRate = Objects.requireNonNull(value, "joinRate must not be null");
            return this;
        }

        /** Wrong room passwords one user may try per room; one more locks the user out of that room for {@code passwordLockout} (default 5, one more earned back per minute). */
        public Builder passwordFailures(RateLimit value) {
            this.passwordFailures = Objects.requireNonNull(value, "passwordFailures must not be null");
            return this;
        }

        /** How long a user who guessed too often cannot try that room's password (default 5 minutes). */
        public Builder passwordLockout(Duration value) {
            this.passwordLockout = notNegative("passwordLockout", value);
            return this;
        }

        /** Events that may wait for the host's listeners; past it new events are dropped (default 10,000). */
        public Builder maxPendingEvents(int value) {
            this.maxPendingEvents = atLeast("maxPendingEvents", value, 1);
            return this;
        }

        /** Requests of any kind one connection may make ({@code ping} aside); past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 100, then 30 per second). */
        public Builder requestRate(RateLimit value) {
            this.requestRate = Objects.requireNonNull(value, "requestRate must not be null");
            return this;
        }

        /** Reactions one user may add or remove, across rooms; past it {@code rate_limited} with {@code retryAfterMs} (default a burst of 30, then 10 per second). */
        public Builder reactionRate(RateLimit value) {
            this.reactionRate = Objects.requireNonNull(value, "reactionRate must not be null");
            return this;
        }

        /** Distinct emoji one message may carry; one more fails {@code conflict} (default 20). */
        public Builder maxReactionsPerMessage(int value) {
            this.maxReactionsPerMessage = atLeast("maxReactionsPerMessage", value, 1);
            return this;
        }

        /** Messages one room may have pinned; one more fails {@code conflict} (default 50). */
        public Builder maxPins(int value) {
            this.maxPins = atLeast("maxPins", value, 1);
            return this;
        }

        /** Rooms one non-admin user may own when they create another; one more fails {@code conflict} (default 100). */
        public Builder maxRoomsPerUser(int value) {
            this.maxRoomsPerUser = atLeast("maxRoomsPerUser", value, 1);
            return this;
        }

        /**
         * The limits; every option not set keeps its default.
         *
         * @throws IllegalArgumentException when {@code joinHistory} exceeds {@code historyPageMax}
         */
        public Limits build() {
            if (joinHistory > historyPageMax) {
                throw new IllegalArgumentException("joinHistory must be <= historyPageMax (" + historyPageMax
                        + "), was " + joinHistory);
            }
            return new Limits(this);
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
            }
            return value;
        }

        private static Duration notNegative(String name, Duration value) {
            Objects.requireNonNull(value, name + " must not be null");
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must be >= 0, was " + value);
            }
            return value;
        }
    }
}
