package dev.webtalk.jetty.internal;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * What the adapter changes on the server its context runs in, as the context starts: no {@code Server}
 * header and no "Powered by Jetty" line naming the version on any response, and Jetty's own error answers
 * in the {@link JsonErrorHandler} form with its safe headers — for the requests Jetty refuses before any
 * context sees them too (an ambiguous path, a malformed request), unless the host set an error handler
 * of its own on the server.
 */
public final class ServerHardening extends AbstractLifeCycle {
    private final ServletContextHandler context;
    private final JsonErrorHandler errors;

    public ServerHardening(ServletContextHandler context, JsonErrorHandler errors) {
        this.context = context;
        this.errors = errors;
    }

    @Override
    protected void doStart() {
        Server server = context.getServer();
        if (server == null) {
            return;
        }
        for (Connector connector : server.getConnectors()) {
            for (ConnectionFactory factory : connector.getConnectionFactories()) {
                if (factory instanceof HttpConfiguration.ConnectionFactory http) {
                    http.getHttpConfiguration().setSendServerVersion(false);
                    http.getHttpConfiguration().setSendXPoweredBy(false);
                }
            }
        }
        if (isJettysDefault(server.getErrorHandler())) {
            server.setErrorHandler(errors);
        }
    }

    /** Jetty's own error page (the server's default, or a plain {@link ErrorHandler}), not one the host chose. */
    private static boolean isJettysDefault(Request.Handler handler) {
        return handler == null || handler.getClass() == ErrorHandler.class
                || handler.getClass().getName().equals("org.eclipse.jetty.server.Server$DynamicErrorHandler");
    }
}
