package dev.webtalk.jetty.internal;

import dev.webtalk.WebTalk;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.time.Duration;

/**
 * Makes a plain {@code server.stop()} (or Jetty's shutdown hook on SIGTERM) a clean stop. Jetty closes
 * sockets gracefully only when the server has a stop timeout, and its default is none: so when the context
 * starts, a server without one gets {@code stopTimeout}, and the stop first closes every WebSocket with
 * {@code 1001} ({@link OpenConnections}). When the context stops — after that graceful part and after the
 * server closed its connectors, so nothing can reach the engine any more — the engine is closed, committing
 * every accepted write. A context stopped and started again therefore needs a new engine, unless
 * {@code closeEngine} is off.
 *
 * <p>Added as the context's first bean, so it is the last of the adapter's beans to stop.
 */
public final class StopSequence extends AbstractLifeCycle {
    private final ServletContextHandler context;
    private final WebTalk engine;
    private final Duration stopTimeout;
    private final boolean closeEngine;

    public StopSequence(ServletContextHandler context, WebTalk engine, Duration stopTimeout, boolean closeEngine) {
        this.context = context;
        this.engine = engine;
        this.stopTimeout = stopTimeout;
        this.closeEngine = closeEngine;
    }

    @Override
    protected void doStart() {
        Server server = context.getServer();
        if (server != null && server.getStopTimeout() <= 0) {
            server.setStopTimeout(stopTimeout.toMillis());
        }
    }

    @Override
    protected void doStop() {
        if (closeEngine) {
            engine.close();
        }
    }
}
