package dev.webtalk.jetty.support;

import dev.webtalk.Limits;
import dev.webtalk.RateLimit;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.Authenticator;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.jetty.WebTalkJetty;
import dev.webtalk.spi.ChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real Jetty server on a random loopback port running WebTalk over the given store. Users
 * authenticate with a test token {@code userId:Display Name} (as {@code ?token=} or a bearer header);
 * a token starting with {@code admin-} gives the admin role.
 */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final WebTalk chat;
    private final int port;

    private TestServer(Server server, WebTalk chat, int port) {
        this.server = server;
        this.chat = chat;
        this.port = port;
    }

    public static TestServer start(ChatStore store) throws Exception {
        return start(store, UnaryOperator.identity());
    }

    public static TestServer start(ChatStore store, UnaryOperator<JettyOptions.Builder> options) throws Exception {
        return start(store, UnaryOperator.identity(), options);
    }

    /** A server whose engine is configured further by {@code engine} (e.g. an attachment store). */
    public static TestServer start(ChatStore store, UnaryOperator<WebTalk.Builder> engine,
                                   UnaryOperator<JettyOptions.Builder> options) throws Exception {
        return start(store, engine, options, connector -> { });
    }

    /** A server with these engine limits and adapter options; {@code connector} may tune the socket side. */
    public static TestServer start(ChatStore store, Limits limits, UnaryOperator<JettyOptions.Builder> options,
                                   Consumer<ServerConnector> connectorSetup) throws Exception {
        return start(store, builder -> builder.limits(unthrottled(limits)), options, connectorSetup);
    }

    /**
     * {@code limits} with the default per-user rates lifted: these tests send bursts on purpose (slow
     * consumers, restarts) and rate limits have tests of their own. Rates a test sets itself are kept.
     */
    public static Limits unthrottled(Limits limits) {
        Limits defaults = Limits.defaults();
        RateLimit none = new RateLimit(1_000_000, Duration.ofNanos(1));
        if (limits.messageRate().equals(defaults.messageRate())) {
            limits = limits.toBuilder().messageRate(none).build();
        }
        if (limits.joinRate().equals(defaults.joinRate())) {
            limits = limits.toBuilder().joinRate(none).build();
        }
        if (limits.requestRate().equals(defaults.requestRate())) {
            limits = limits.toBuilder().requestRate(none).build();
        }
        return limits;
    }

    /** A server with every part adjustable: the engine, the adapter options and the socket side. */
    public static TestServer start(ChatStore store, UnaryOperator<WebTalk.Builder> engine,
                                   UnaryOperator<JettyOptions.Builder> options,
                                   Consumer<ServerConnector> connectorSetup) throws Exception {
        WebTalk chat = engine.apply(WebTalk.builder().store(store).passwordIterations(1_000)
                .limits(unthrottled(Limits.defaults()))).build();
        Server server = new Server();
        server.setStopTimeout(5_000); // graceful: WebSockets are closed with 1001 on stop
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connectorSetup.accept(connector);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        WebTalkJetty.install(context, chat, options.apply(JettyOptions.builder(TestServer::authenticate)).build());
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            chat.close();
            throw e;
        }
        return new TestServer(server, chat, connector.getLocalPort());
    }

    /** The test authenticator: the token is {@code id:name}. */
    public static Optional<Principal> authenticate(dev.webtalk.jetty.AuthRequest request) {
        return request.bearerToken().flatMap(token -> {
            int colon = token.indexOf(':');
            if (colon < 1 || colon == token.length() - 1) {
                return Optional.empty();
            }
            String id = token.substring(0, colon);
            String name = token.substring(colon + 1);
            return Optional.of(id.startsWith("admin-") ? Principal.admin(id, name) : Principal.user(id, name));
        });
    }

    public static Authenticator authenticator() {
        return TestServer::authenticate;
    }

    public WebTalk chat() {
        return chat;
    }

    public int port() {
        return port;
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI ws(String token) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?token="
                + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops Jetty, then closes the engine (which closes the store). */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            chat.close();
        }
    }
}
