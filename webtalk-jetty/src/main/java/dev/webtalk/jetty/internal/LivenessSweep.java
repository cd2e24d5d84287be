package dev.webtalk.jetty.internal;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Read liveness for one installation: a timer walks the open WebSockets and lets each ping its client
 * or drop it ({@link JettyConnection#checkLiveness}). A client that stops reading while its TCP
 * connection stays open would otherwise stay "online" for as long as its queue has room, forever in a
 * quiet room. One walk costs a few field reads per connection, so it runs often enough that a deadline
 * is kept to a tenth of the shorter setting (at most a second late).
 */
public final class LivenessSweep extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(LivenessSweep.class);

    private final OpenConnections connections;
    private final long intervalNanos;
    private final long timeoutNanos;
    private ScheduledExecutorService timer;

    public LivenessSweep(OpenConnections connections, Duration pingInterval, Duration pongTimeout) {
        this.connections = connections;
        this.intervalNanos = pingInterval.toNanos();
        this.timeoutNanos = pongTimeout.toNanos();
    }

    @Override
    protected void doStart() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), Math.min(intervalNanos, timeoutNanos) / 10));
        timer = Executors.newSingleThreadScheduledExecutor(run -> {
            Thread thread = new Thread(run, "webtalk-liveness");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        long now = System.nanoTime();
        connections.forEach(connection -> {
            try {
                connection.checkLiveness(now, intervalNanos, timeoutNanos);
            } catch (RuntimeException e) {
                // One broken socket must not stop the timer for all the others.
                LOG.warn("Liveness check of {} failed", connection, e);
            }
        });
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }
}
