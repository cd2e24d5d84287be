package dev.webtalk.jetty.internal;

import dev.webtalk.protocol.CloseCodes;
import org.eclipse.jetty.util.component.Graceful;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The WebSockets this adapter has open, so a graceful server stop can say goodbye: Jetty calls
 * {@link #shutdown} (when the server has a stop timeout) before it closes the connectors, and every
 * client gets a {@code 1001 going away} close frame instead of a dropped connection.
 */
public final class OpenConnections implements Graceful {
    private final Set<JettyConnection> open = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean shuttingDown;

    /** Tracks a new connection; during shutdown it is closed at once and not tracked. */
    void opened(JettyConnection connection) {
        open.add(connection);
        if (shuttingDown) {
            connection.close(CloseCodes.GOING_AWAY, "Server shutting down");
        }
    }

    /** Runs {@code action} for every connection open now. */
    void forEach(Consumer<JettyConnection> action) {
        open.forEach(action);
    }

    void closed(JettyConnection connection) {
        open.remove(connection);
        if (shuttingDown && open.isEmpty()) {
            drained.complete(null);
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        shuttingDown = true;
        for (JettyConnection connection : open) {
            connection.close(CloseCodes.GOING_AWAY, "Server shutting down");
        }
        if (open.isEmpty()) {
            drained.complete(null);
        }
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return shuttingDown;
    }
}
