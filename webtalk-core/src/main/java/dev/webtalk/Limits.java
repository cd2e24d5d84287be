package dev.webtalk;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every bound the engine enforces, in one place. Defaults come from {@link #defaults()}; change one
 * with the {@code with…} methods. Each value is validated when set, so a bad setting fails at
 * configuration time rather than under load.
 *
 * @param maxMessageChars longest message text, in characters (default 2000)
 * @param maxRoomNameChars longest room name (default 50)
 * @param maxPasswordChars longest room password (default 128)
 * @param maxFrameBytes largest inbound frame a transport accepts, in bytes (default 64 KiB)
 * @param historyPageMax most messages one history request returns (default 100)
 * @param joinHistory messages sent with a join reply (default 50)
 * @param maxRoomsPerSession rooms one connection may be present in at once (default 50)
 * @param maxRooms rooms that may exist at once (default 10,000)
 * @param typingInterval shortest gap between two typing notices of one user in one room (default 2 s)
 * @param maxConsecutiveErrors invalid frames in a row after which a connection is closed (default 20)
 * @param maxPendingWrites store writes that may wait for the writer; past it senders get {@code overloaded}
 *     (default 10,000)
 * @param writeBatchMax most writes committed in one store transaction (default 512)
 * @param maxResumeEvents most stream events a {@code join} with {@code since} may replay; past it the
 *     client is told to resync (default 500)
 * @param maxConnectionsPerUser open connections one user may have; a further one is closed with
 *     {@code 4004} (default 10)
 * @param maxQueuedRequests requests of one connection for one room that may wait behind its unfinished
 *     {@code join} or {@code leave}; past it the request fails {@code rate_limited} (default 64)
 * @param messageRate messages (text and files) one user may post, across rooms; past it {@code rate_limited}
 *     with {@code retryAfterMs} (default: burst of 20, then 5 per second)
 * @param joinRate joins one user may make, across rooms and connections (default: burst of 30, then 2 per second)
 * @param passwordFailures wrong room passwords one user may try per room; one more locks the user out of
 *     that room for {@code passwordLockout} (default: 5, one more earned back per minute)
 * @param passwordLockout how long a user who guessed too often cannot try that room's password
 *     (default 5 minutes)
 * @param maxPendingEvents events that may wait for the host's listeners; past it new events are dropped
 *     (default 10,000)
 * @param requestRate requests of any kind one connection may make ({@code ping} aside), so one client
 *     cannot flood the server with cheap requests; past it {@code rate_limited} with {@code retryAfterMs}
 *     (default: burst of 100, then 30 per second)
 * @param reactionRate reactions one user may add or remove, across rooms; past it {@code rate_limited}
 *     with {@code retryAfterMs} (default: burst of 30, then 10 per second)
 * @param maxReactionsPerMessage distinct emoji one message may carry; one more fails {@code conflict}
 *     (default 20)
 * @param maxPins messages one room may have pinned; one more fails {@code conflict} (default 50)
 * @param maxRoomsPerUser rooms one user may own (created, or handed over to them) when they create another;
 *     one more fails {@code conflict}, so one user cannot take the whole {@code maxRooms}. Admins are not
 *     counted (default 100)
 */
public record Limits(int maxMessageChars, int maxRoomNameChars, int maxPasswordChars, int maxFrameBytes,
                     int historyPageMax, int joinHistory, int maxRoomsPerSession, int maxRooms,
                     Duration typingInterval, int maxConsecutiveErrors, int maxPendingWrites,
                     int writeBatchMax, int maxResumeEvents, int maxConnectionsPerUser,
                     int maxQueuedRequests, RateLimit messageRate, RateLimit joinRate,
                     RateLimit passwordFailures, Duration passwordLockout, int maxPendingEvents,
                     RateLimit requestRate, RateLimit reactionRate, int maxReactionsPerMessage, int maxPins,
                     int maxRoomsPerUser) {

    public Limits {
        positive("maxMessageChars", maxMessageChars);
        positive("maxRoomNameChars", maxRoomNameChars);
        positive("maxPasswordChars", maxPasswordChars);
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + maxFrameBytes);
        }
        positive("historyPageMax", historyPageMax);
        if (joinHistory < 0 || joinHistory > historyPageMax) {
            throw new IllegalArgumentException("joinHistory must be 0..historyPageMax, was " + joinHistory);
        }
        positive("maxRoomsPerSession", maxRoomsPerSession);
        positive("maxRooms", maxRooms);
        if (typingInterval == null || typingInterval.isNegative()) {
            throw new IllegalArgumentException("typingInterval must be >= 0");
        }
        positive("maxConsecutiveErrors", maxConsecutiveErrors);
        positive("maxPendingWrites", maxPendingWrites);
        positive("writeBatchMax", writeBatchMax);
        if (maxResumeEvents < 0) {
            throw new IllegalArgumentException("maxResumeEvents must be >= 0, was " + maxResumeEvents);
        }
        positive("maxConnectionsPerUser", maxConnectionsPerUser);
        positive("maxQueuedRequests", maxQueuedRequests);
        java.util.Objects.requireNonNull(messageRate, "messageRate");
        java.util.Objects.requireNonNull(joinRate, "joinRate");
        java.util.Objects.requireNonNull(passwordFailures, "passwordFailures");
        if (passwordLockout == null || passwordLockout.isNegative()) {
            throw new IllegalArgumentException("passwordLockout must be >= 0");
        }
        positive("maxPendingEvents", maxPendingEvents);
        java.util.Objects.requireNonNull(requestRate, "requestRate");
        java.util.Objects.requireNonNull(reactionRate, "reactionRate");
        positive("maxReactionsPerMessage", maxReactionsPerMessage);
        positive("maxPins", maxPins);
        positive("maxRoomsPerUser", maxRoomsPerUser);
    }

    /** The defaults listed on each component. */
    public static Limits defaults() {
        return new Limits(2000, 50, 128, 64 * 1024, 100, 50, 50, 10_000, Duration.ofSeconds(2), 20, 10_000, 512,
                500, 10, 64, RateLimit.perSecond(20, 5), RateLimit.perSecond(30, 2),
                new RateLimit(5, Duration.ofMinutes(1)), Duration.ofMinutes(5), 10_000, RateLimit.perSecond(100, 30),
                RateLimit.perSecond(30, 10), 20, 50, 100);
    }

    public Limits withMaxMessageChars(int v) {
        return edit(l -> l.maxMessageChars = v);
    }

    public Limits withMaxFrameBytes(int v) {
        return edit(l -> l.maxFrameBytes = v);
    }

    public Limits withJoinHistory(int v) {
        return edit(l -> l.joinHistory = v);
    }

    public Limits withMaxRooms(int v) {
        return edit(l -> l.maxRooms = v);
    }

    public Limits withTypingInterval(Duration v) {
        return edit(l -> l.typingInterval = v);
    }

    public Limits withMaxConsecutiveErrors(int v) {
        return edit(l -> l.maxConsecutiveErrors = v);
    }

    public Limits withMaxPendingWrites(int v) {
        return edit(l -> l.maxPendingWrites = v);
    }

    public Limits withMaxResumeEvents(int v) {
        return edit(l -> l.maxResumeEvents = v);
    }

    public Limits withMaxConnectionsPerUser(int v) {
        return edit(l -> l.maxConnectionsPerUser = v);
    }

    public Limits withMaxQueuedRequests(int v) {
        return edit(l -> l.maxQueuedRequests = v);
    }

    public Limits withMessageRate(RateLimit v) {
        return edit(l -> l.messageRate = v);
    }

    public Limits withJoinRate(RateLimit v) {
        return edit(l -> l.joinRate = v);
    }

    public Limits withPasswordFailures(RateLimit v) {
        return edit(l -> l.passwordFailures = v);
    }

    public Limits withPasswordLockout(Duration v) {
        return edit(l -> l.passwordLockout = v);
    }

    public Limits withMaxPendingEvents(int v) {
        return edit(l -> l.maxPendingEvents = v);
    }

    public Limits withRequestRate(RateLimit v) {
        return edit(l -> l.requestRate = v);
    }

    public Limits withReactionRate(RateLimit v) {
        return edit(l -> l.reactionRate = v);
    }

    public Limits withMaxReactionsPerMessage(int v) {
        return edit(l -> l.maxReactionsPerMessage = v);
    }

    public Limits withMaxPins(int v) {
        return edit(l -> l.maxPins = v);
    }

    public Limits withMaxRoomsPerUser(int v) {
        return edit(l -> l.maxRoomsPerUser = v);
    }

    private Limits edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** A mutable copy, so each {@code with…} method names only the value it changes. */
    private static final class Draft {
        int maxMessageChars;
        int maxRoomNameChars;
        int maxPasswordChars;
        int maxFrameBytes;
        int historyPageMax;
        int joinHistory;
        int maxRoomsPerSession;
        int maxRooms;
        Duration typingInterval;
        int maxConsecutiveErrors;
        int maxPendingWrites;
        int writeBatchMax;
        int maxResumeEvents;
        int maxConnectionsPerUser;
        int maxQueuedRequests;
        RateLimit messageRate;
        RateLimit joinRate;
        RateLimit passwordFailures;
        Duration passwordLockout;
        int maxPendingEvents;
        RateLimit requestRate;
        RateLimit reactionRate;
        int maxReactionsPerMessage;
        int maxPins;
        int maxRoomsPerUser;

        Draft(Limits l) {
            maxMessageChars = l.maxMessageChars;
            maxRoomNameChars = l.maxRoomNameChars;
            maxPasswordChars = l.maxPasswordChars;
            maxFrameBytes = l.maxFrameBytes;
            historyPageMax = l.historyPageMax;
            joinHistory = l.joinHistory;
            maxRoomsPerSession = l.maxRoomsPerSession;
            maxRooms = l.maxRooms;
            typingInterval = l.typingInterval;
            maxConsecutiveErrors = l.maxConsecutiveErrors;
            maxPendingWrites = l.maxPendingWrites;
            writeBatchMax = l.writeBatchMax;
            maxResumeEvents = l.maxResumeEvents;
            maxConnectionsPerUser = l.maxConnectionsPerUser;
            maxQueuedRequests = l.maxQueuedRequests;
            messageRate = l.messageRate;
            joinRate = l.joinRate;
            passwordFailures = l.passwordFailures;
            passwordLockout = l.passwordLockout;
            maxPendingEvents = l.maxPendingEvents;
            requestRate = l.requestRate;
            reactionRate = l.reactionRate;
            maxReactionsPerMessage = l.maxReactionsPerMessage;
            maxPins = l.maxPins;
            maxRoomsPerUser = l.maxRoomsPerUser;
        }

        Limits build() {
            return new Limits(maxMessageChars, maxRoomNameChars, maxPasswordChars, maxFrameBytes, historyPageMax,
                    joinHistory, maxRoomsPerSession, maxRooms, typingInterval, maxConsecutiveErrors, maxPendingWrites,
                    writeBatchMax, maxResumeEvents, maxConnectionsPerUser, maxQueuedRequests, messageRate, joinRate,
                    passwordFailures, passwordLockout, maxPendingEvents, requestRate, reactionRate, maxReactionsPerMessage,
                    maxPins, maxRoomsPerUser);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }
}
