package dev.webtalk.spi;

import dev.webtalk.protocol.ErrorCode;

import java.util.Locale;

/**
 * Hears what the engine does, for metrics: a dependency-free hook that a bridge to a metrics library
 * implements (WebTalk ships one for Micrometer, {@code dev.webtalk.metrics.micrometer.WebTalkMetrics}).
 * Attach one with {@link dev.webtalk.WebTalk#addObserver}. Every method has an empty default, so an
 * observer overrides only what it counts, and a method added later breaks no implementation.
 *
 * <p>Threading: the engine calls these from its room, writer and request threads and the transport's
 * threads, concurrently and on hot paths (one call per frame sent). Implementations must be thread-safe,
 * must not block and should only count (a {@code LongAdder}, a Micrometer counter). An exception thrown
 * here is logged and otherwise ignored.
 */
public interface EngineObserver {
    /** An observer that counts nothing. */
    EngineObserver NONE = new EngineObserver() {
    };

    /** A limit whose refusal {@link #rateLimited} reports; each is refused with {@code rate_limited}. */
    enum Limit {
        /** Requests per connection ({@code Limits.requestRate}). */
        REQUESTS,
        /** Messages per user ({@code Limits.messageRate}): sends, edits, uploads. */
        MESSAGES,
        /** Reactions per user ({@code Limits.reactionRate}). */
        REACTIONS,
        /** Joins per user ({@code Limits.joinRate}). */
        JOINS,
        /** Wrong room passwords per user and room ({@code Limits.passwordFailures}), and the lockout after them. */
        PASSWORDS,
        /** A room's slow mode. */
        SLOW_MODE,
        /** Requests of one connection waiting behind a join or leave of the same room ({@code Limits.maxQueuedRequests}). */
        QUEUED_REQUESTS;

        /** The name in lower case, e.g. {@code slow_mode}: a metric tag value. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The engine accepted a connection and sent it {@code welcome}. */
    default void connectionOpened() {
    }

    /**
     * The transport gave up on a client that does not read what it is sent (see
     * {@link dev.webtalk.Session#onDropped}), with this close code, e.g.
     * {@link dev.webtalk.protocol.CloseCodes#SLOW_CONSUMER}.
     */
    default void connectionDropped(int closeCode) {
    }

    /** A user's message (a {@code send}, or a shared file) was accepted: stored, or a retry of a stored one. */
    default void messageReceived() {
    }

    /**
     * A frame was handed to a connection's transport.
     *
     * @param reply whether it answers a request ({@code result} or {@code error}); otherwise it is a push
     *              (a room event, typing, presence, {@code welcome}), one fan-out delivery
     */
    default void frameSent(boolean reply) {
    }

    /**
     * One push was handed to {@code count} connections at once (a room's broadcast): the same as
     * {@code count} calls of {@code frameSent(false)}, which is what the default does.
     */
    default void pushesSent(int count) {
        for (int i = 0; i < count; i++) {
            frameSent(false);
        }
    }

    /**
     * The store writer committed one batch (group commit).
     *
     * @param groups the write groups committed together (each a request's writes)
     * @param writes the single writes in them
     * @param nanos  how long the store took to commit the batch
     */
    default void storeBatchCommitted(int groups, int writes, long nanos) {
    }

    /** A request was refused {@code rate_limited} by {@code limit}. */
    default void rateLimited(Limit limit) {
    }

    /** An {@code error} frame with this code was sent to a client. */
    default void errorSent(ErrorCode code) {
    }
}
