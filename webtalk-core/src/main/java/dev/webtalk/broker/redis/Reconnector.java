package dev.webtalk.broker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps one Lettuce connection open: opens it, and whenever it is lost, or cannot be opened, opens a new
 * one after a growing, jittered delay (50 ms doubling to 5 s), until closed.
 *
 * <p>Lettuce's own reconnect is off for the broker's connections: it does not retry a first connection
 * that failed (Redis down when the node starts), and it resubscribes a pub/sub connection without a
 * sign of when that took effect. Here every connection, first or not, goes through {@link Listener#opened}
 * and {@link Listener#lost}, so the broker can resubscribe and then signal the gap, in that order.
 */
final class Reconnector<C extends StatefulConnection<byte[], byte[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
    private static final long MIN_DELAY_MILLIS = 50;
    private static final long MAX_DELAY_MILLIS = 5_000;

    /** Told about each connection; called on Lettuce's threads, must not block. */
    interface Listener<C> {
        /**
         * A connection is open and current.
         *
         * @param first whether it is the first connection, opened by the first attempt
         */
        default void opened(C connection, boolean first) {
        }

        /** A connection opened earlier stopped being current: it was lost or given up. */
        default void lost(C connection) {
        }
    }

    private final String name;
    private final Supplier<CompletionStage<C>> opener;
    private final Listener<C> listener;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<C> current = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean everAttempted;
    private volatile boolean closed;

    Reconnector(String name, Supplier<CompletionStage<C>> opener, Listener<C> listener,
                ScheduledExecutorService scheduler) {
        this.name = name;
        this.opener = opener;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    void start() {
        open();
    }

    /** The open connection, or {@code null} while there is none. */
    C current() {
        return current.get();
    }

    /** Gives up {@code connection} if it is still current (a command on it failed) and opens another. */
    void reopen(C connection) {
        lost(connection, "gave it up");
    }

    /** Stops reopening and forgets the current connection; shutting the client down closes it. */
    void close() {
        closed = true;
        C connection = current.getAndSet(null);
        if (connection != null) {
            listener.lost(connection);
        }
    }

    private void open() {
        if (closed) {
            return;
        }
        boolean first = !everAttempted;
        everAttempted = true;
        CompletionStage<C> attempt;
        try {
            attempt = opener.get();
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        attempt.whenComplete((connection, error) -> {
            if (error != null) {
                failed(error);
            } else {
                established(connection, first);
            }
        });
    }

    private void established(C connection, boolean first) {
        if (closed) {
            connection.closeAsync();
            return;
        }
        int failed = failures.getAndSet(0);
        if (!first) {
            LOG.info("Redis {} is open, after {} failed attempt(s)", name, failed);
        }
        current.set(connection);
        if (closed) { // closed meanwhile: close() may have missed it
            current.compareAndSet(connection, null);
            connection.closeAsync();
            return;
        }
        listener.opened(connection, first);
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                lost(connection, "disconnected");
            }
        });
        // It may have dropped before the listener was added.
        if (!connection.isOpen()) {
            lost(connection, "disconnected");
        }
    }

    private void lost(C connection, String how) {
        if (!current.compareAndSet(connection, null)) {
            return;
        }
        if (!closed) {
            LOG.warn("Redis {} {}; reconnecting", name, how);
        }
        listener.lost(connection);
        connection.closeAsync();
        scheduleOpen(0);
    }

    private void failed(Throwable error) {
        int failed = failures.incrementAndGet();
        if (closed) {
            return;
        }
        if (failed == 1) {
            LOG.warn("Redis {} cannot be opened ({}); retrying until it can", name, error.toString());
        } else {
            LOG.debug("Redis {}: attempt {} failed", name, failed, error);
        }
        scheduleOpen(failed);
    }

    private void scheduleOpen(int failed) {
        if (closed) {
            return;
        }
        long ceiling = Math.min(MAX_DELAY_MILLIS, MIN_DELAY_MILLIS << Math.min(failed, 10));
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        try {
            scheduler.schedule(this::open, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            if (!closed) {
                LOG.error("Redis {} cannot be reopened: {}", name, rejected.toString());
            }
        }
    }
}
