package dev.webtalk.jetty;

import dev.webtalk.WebTalk;
import dev.webtalk.jetty.internal.LivenessSweep;
import dev.webtalk.jetty.internal.AmbiguousPathFilter;
import dev.webtalk.jetty.internal.ClientScriptServlet;
import dev.webtalk.jetty.internal.JsonErrorHandler;
import dev.webtalk.jetty.internal.OpenConnections;
import dev.webtalk.jetty.internal.OriginPolicy;
import dev.webtalk.jetty.internal.RestApiServlet;
import dev.webtalk.jetty.internal.ServerHardening;
import dev.webtalk.jetty.internal.StopSequence;
import dev.webtalk.jetty.internal.WebSocketUpgradeServlet;
import dev.webtalk.jetty.internal.WsTickets;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;

/**
 * Mounts a {@link WebTalk} engine onto a Jetty 12 (ee10) {@link ServletContextHandler}: the WebSocket
 * endpoint at {@link JettyOptions#webSocketPath()}, the REST API under {@link JettyOptions#apiPath()}, and the
 * JavaScript client at {@link #CLIENT_SCRIPT_PATH}.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();
 * WebTalkJetty.install(context, chat, JettyOptions.builder(myAuthenticator).build());
 * server.setHandler(context);
 * server.start();
 * }</pre>
 *
 * <p>Stopping stops cleanly by itself: {@code server.stop()} — or Jetty's own shutdown hook on SIGTERM, with
 * {@code server.setStopAtShutdown(true)} — first closes every WebSocket with {@code 1001 going away}, so
 * clients know to reconnect elsewhere or later (a server with no stop timeout of its own gets
 * {@link JettyOptions#stopTimeout()}), then, once the context has stopped, closes the engine, which commits
 * every accepted write and closes the store ({@link JettyOptions#closeEngineOnStop()} turns that last step
 * off). Closing the engine again is harmless.
 *
 * <p>The admin REST API is served only with {@link JettyOptions.Builder#adminApi(boolean)}.
 *
 * <p>It also hardens what Jetty answers by itself: the context's error handler (unless the host set one)
 * and, when the context starts, the server's (unless the host set one there) answer Jetty's own errors —
 * a 400 for an ambiguous path, a 404 with no servlet, a 431 — as the API's JSON error with
 * {@code Content-Security-Policy}, {@code X-Content-Type-Options: nosniff} and {@code X-Frame-Options:
 * DENY}; and the server's connectors stop sending the {@code Server} header and the "Powered by Jetty"
 * line that name Jetty's version.
 */
public final class WebTalkJetty {

    /**
     * Where {@link #install} serves the JavaScript client (docs/CLIENT.md) inside the context, unless the
     * host mapped something there before: {@code <script type="module">} pages import it from here.
     */
    public static final String CLIENT_SCRIPT_PATH = "/webtalk/client.js";

    private WebTalkJetty() {
    }

    /**
     * Installs the endpoints. Call before the context starts, once per context.
     *
     * @throws IllegalStateException if the context has already started, or the class path mixes Jetty
     *     jars of different release lines (12.0 and 12.1): import Jetty's BOM to align them
     */
    public static void install(ServletContextHandler context, WebTalk engine, JettyOptions options) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(options, "options");
        if (context.isStarted()) {
            throw new IllegalStateException("install WebTalk before starting the context");
        }
        // First bean, so it stops last: the engine closes after the sockets said goodbye.
        context.addBean(new StopSequence(context, engine, options.stopTimeout(), options.closeEngineOnStop()));
        JettyVersions.requireAligned(WebTalkJetty.class.getClassLoader());
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        OriginPolicy origins = new OriginPolicy(options.allowedOrigins());
        FilterHolder paths = new FilterHolder(AmbiguousPathFilter.create(engine));
        paths.setName("webtalk-ambiguous-paths");
        context.addFilter(paths, options.webSocketPath(), EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(paths, options.apiPath() + "/*", EnumSet.of(DispatcherType.REQUEST));
        // The graceful part of a stop (StopSequence sees to a stop timeout) closes every WebSocket with 1001.
        OpenConnections openConnections = new OpenConnections();
        context.addBean(openConnections);
        // Pings every socket and drops the ones that stop reading; started and stopped with the context.
        context.addBean(new LivenessSweep(openConnections, options.pingInterval(), options.pongTimeout()));
        // Jetty's own error answers in the API's JSON form with safe headers, and no version disclosed.
        JsonErrorHandler errors = new JsonErrorHandler(engine.codec());
        if (context.getErrorHandler() == null) {
            context.setErrorHandler(errors);
        }
        context.addBean(new ServerHardening(context, errors));
        // Tickets let browsers connect without their credential in the WebSocket URL.
        WsTickets tickets = new WsTickets(Clock.systemUTC());
        context.addServlet(new ServletHolder("webtalk-ws",
                WebSocketUpgradeServlet.create(engine, options, origins, openConnections, tickets)), options.webSocketPath());
        ServletHolder api = new ServletHolder("webtalk-api", new RestApiServlet(engine, options, origins, tickets));
        api.getRegistration().setMultipartConfig(RestApiServlet.multipartConfig(engine));
        context.addServlet(api, options.apiPath() + "/*");
        if (context.getServletHandler().getServletMapping(CLIENT_SCRIPT_PATH) == null) {
            context.addServlet(new ServletHolder("webtalk-client", new ClientScriptServlet()), CLIENT_SCRIPT_PATH);
        }
    }
}
