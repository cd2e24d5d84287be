package dev.webtalk.demo;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.filter.WordFilter;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.jetty.WebTalkJetty;
import dev.webtalk.broker.redis.RedisBroker;
import dev.webtalk.metrics.micrometer.WebTalkMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The demo host: WebTalk on a SQLite file in the data directory, the web UI from the classpath, guest
 * sign-in, all on one Jetty server, with {@code /health} and {@code /ready} probes and, when a metrics
 * token is configured, {@code /metrics}. {@link #start} returns once it serves; {@link #close} stops it.
 */
public final class DemoServer implements AutoCloseable {
    /**
     * File descriptors kept free of connections: the JVM and its jar, SQLite's connections and journal,
     * shared files being uploaded or downloaded.
     */
    static final int RESERVED_FILES = 256;

    /** The database file name inside the data directory. */
    public static final String DATABASE_FILE = "webtalk.db";
    /** The folder for shared files inside the data directory (never served as static content). */
    public static final String ATTACHMENTS_DIR = "attachments";
    /**
     * Words the demo masks in messages, one per line ({@code #} starts a comment), in the data directory;
     * without the file nothing is masked.
     */
    public static final String BLOCKED_WORDS_FILE = "blocked-words.txt";

    private final Server server;
    private final WebTalk chat;
    private final DemoStorage storage;
    private final URI uri;
    private final String generatedAdminPassword;
    private final AdminLogin adminLogin;
    /** The engine's and the JVM's meters, or {@code null} without {@code /metrics}. */
    private final Metrics metrics;

    /** What {@code /metrics} serves: a Prometheus registry and the engine's meters bound to it. */
    private record Metrics(PrometheusMeterRegistry registry, WebTalkMetrics engine) implements AutoCloseable {
        static Metrics of(WebTalk chat) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            WebTalkMetrics engine = new WebTalkMetrics(chat);
            engine.bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            return new Metrics(registry, engine);
        }

        @Override
        public void close() {
            engine.close();
            registry.close();
        }
    }

    private DemoServer(Server server, WebTalk chat, DemoStorage storage, URI uri, String generatedAdminPassword,
                       AdminLogin adminLogin, Metrics metrics) {
        this.metrics = metrics;
        this.server = server;
        this.chat = chat;
        this.storage = storage;
        this.uri = uri;
        this.generatedAdminPassword = generatedAdminPassword;
        this.adminLogin = adminLogin;
    }

    /** Starts serving {@code config}; fails (and releases everything) if the port or data dir is unusable. */
    public static DemoServer start(DemoConfig config) throws Exception {
        return start(config, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Like {@link #start(DemoConfig)}, with the engine's builder adjusted by {@code engine} and the Jetty
     * adapter's options by {@code adapter}: for tools that need other limits, e.g. the load tool, whose
     * simulated users all connect from one loopback address and send faster than a person would.
     */
    public static DemoServer start(DemoConfig config, UnaryOperator<WebTalk.Builder> engine,
                                   UnaryOperator<JettyOptions.Builder> adapter) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        DemoStorage storage = DemoStorage.open(config, dataDir);
        WebTalk chat;
        try {
            WebTalk.Builder builder = WebTalk.builder().store(storage.chat()).attachments(storage.files())
                    .messageFilter(WordFilter.masking(blockedWords(dataDir.resolve(BLOCKED_WORDS_FILE))));
            if (config.broker() != null) {
                builder.broker(RedisBroker.create(config.broker()));
            }
            chat = engine.apply(builder).build();
        } catch (RuntimeException e) {
            storage.chat().close();
            storage.files().close();
            storage.release();
            throw e;
        }
        Server server = new Server();
        // Only when scraped: the engine then tells the meters of every frame it sends.
        Metrics metrics = config.metricsToken() == null ? null : Metrics.of(chat);
        try {
            GuestTokens tokens = GuestTokens.inDataDir(dataDir, Clock.systemUTC());
            String generated = config.adminPassword() == null ? AdminLogin.generatePassword() : null;
            AdminLogin admin = AdminLogin.withPassword(generated != null ? generated : config.adminPassword(), storage.chat(),
                    Clock.systemUTC());
            ServerConnector connector = new ServerConnector(server);
            connector.setPort(config.port());
            server.addConnector(connector);
            // Past this many sockets Jetty stops accepting (new clients wait in the backlog) instead of
            // failing every accept, and SQLite and shared files keep the descriptors they need.
            server.addBean(new NetworkConnectionLimit(connectionLimit(maxOpenFiles()), connector));
            server.setHandler(context(chat, tokens, admin, adapter, metrics, config.metricsToken()));
            server.setStopAtShutdown(false);
            server.setStopTimeout(5_000);
            server.start();
            return new DemoServer(server, chat, storage, URI.create("http://localhost:" + connector.getLocalPort() + "/"),
                    generated, admin, metrics);
        } catch (Exception e) {
            try {
                server.stop();
                if (metrics != null) {
                    metrics.close();
                }
                chat.close();
            } finally {
                storage.release();
            }
            throw e;
        }
    }

    /** The most connections Jetty holds open at once (see {@link #connectionLimit(long)}). */
    int maxConnections() {
        return server.getBean(NetworkConnectionLimit.class).getMaxNetworkConnectionCount();
    }

    /**
     * Open connections the server accepts when the process may hold {@code maxOpenFiles} files:
     * all but {@link #RESERVED_FILES}, at least 64; unlimited when the limit is unknown ({@code < 0}).
     */
    static int connectionLimit(long maxOpenFiles) {
        if (maxOpenFiles < 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64, maxOpenFiles - RESERVED_FILES));
    }

    /** This process's open-file limit, or -1 where the JVM cannot tell. */
    private static long maxOpenFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** The words in {@code file}, one per line, without blank lines and {@code #} comments; none if it is missing. */
    static List<String> blockedWords(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(word -> !word.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ServletContextHandler context(WebTalk chat, GuestTokens tokens, AdminLogin admin,
                                                 UnaryOperator<JettyOptions.Builder> adapter, Metrics metrics,
                                                 String metricsToken) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        URL web = DemoServer.class.getResource("/web/index.html");
        if (web == null) {
            throw new IllegalStateException("the web UI is missing from the classpath (web/)");
        }
        // The folder holding index.html, as one resource (a class-loader search would combine copies).
        // (String surgery, not URI.resolve: a jar: URI is opaque and would resolve to the working directory.)
        String folder = web.toString().substring(0, web.toString().length() - "index.html".length());
        context.setBaseResource(ResourceFactory.of(context).newResource(URI.create(folder)));
        context.addFilter(new FilterHolder(new SecurityHeadersFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        // A guest pass wins; the admin session cookie only counts for /api/admin/… (see AdminLogin).
        // The admin page needs the admin API, which the adapter serves only when asked to.
        WebTalkJetty.install(context, chat, adapter.apply(JettyOptions.builder(request -> {
            Optional<Principal> guest = request.bearerToken().flatMap(tokens::verify);
            return guest.isPresent() ? guest : admin.authenticate(request);
        }).adminApi(true)).build());
        context.addServlet(new ServletHolder("guest", new GuestServlet(tokens)), "/api/guest");
        ServletHolder login = new ServletHolder("admin-login", new AdminLoginServlet(admin));
        context.getServletHandler().addServletWithMapping(login, "/api/admin/login");
        context.getServletHandler().addServletWithMapping(login, "/api/admin/logout");
        context.addServlet(new ServletHolder("admin-page", new AdminPageServlet()), "/admin");
        ServletHolder health = new ServletHolder("health", new HealthServlet(chat));
        context.getServletHandler().addServletWithMapping(health, "/health");
        context.getServletHandler().addServletWithMapping(health, "/ready");
        if (metrics != null) {
            context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics.registry(), metricsToken)), "/metrics");
        }
        ServletHolder files = new ServletHolder("default", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        files.setInitParameter("etags", "true");
        context.addServlet(files, "/");
        return context;
    }

    /** Where the UI is served, e.g. {@code http://localhost:8080/}. */
    public URI uri() {
        return uri;
    }

    /** The admin password generated at start-up because none was configured, to print once. */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    /** The admin sign-in, for tests. */
    AdminLogin adminLogin() {
        return adminLogin;
    }

    /** The engine, for tests and maintenance. */
    public WebTalk chat() {
        return chat;
    }

    /** Stops accepting connections, closes every socket, then commits and closes the database. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            try {
                if (metrics != null) {
                    metrics.close();
                }
                chat.close();
            } finally {
                storage.release();
            }
        }
    }
}
