package dev.webtalk.demo;

import dev.webtalk.store.sqlite.SqliteChatStore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The demo host's settings, from the command line and the environment (flags win over environment).
 *
 * @param port    TCP port to serve on; 0 picks a free one
 * @param dataDir folder for the SQLite database and the guest-token secret; created if missing
 * @param adminPassword the password of the admin panel, or {@code null} to generate one at start-up
 * @param synchronous how hard each SQLite commit pushes to disk: {@code NORMAL} survives a crash of the
 *                    process, {@code FULL} also a power loss (see docs/ARCHITECTURE.md, Durability)
 * @param store   a {@code jdbc:postgresql://} URL to keep rooms, messages and shared files in PostgreSQL
 *                (so several nodes can share them), or {@code null} for SQLite in the data directory
 * @param broker  a {@code redis://} URI to relay between the nodes sharing the store, or {@code null}
 *                for a single node
 * @param metricsToken the bearer token a scraper must send to read {@code /metrics}, or {@code null} for no
 *                     {@code /metrics} at all (and no metrics kept)
 */
public record DemoConfig(int port, Path dataDir, String adminPassword, SqliteChatStore.Synchronous synchronous,
                         String store, URI broker, String metricsToken) {
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public static final String USAGE = """
            Usage: java -jar webtalk-demo.jar [--port N] [--data-dir DIR] [--admin-password PW]
                                              [--store URL] [--broker URI] [--metrics-token T] [--help]
                   java -jar webtalk-demo.jar admin check|purge-orphans|backup FILE|wipe [--data-dir DIR]
                   java -jar webtalk-demo.jar bench --embedded | --url ws://HOST:PORT/ws [options]  (--help)

              --port N        port to serve on (default 8080; env WEBTALK_PORT; 0 picks a free port)
              --data-dir DIR  where the SQLite database, shared files and secrets live (default ./data;
                              env WEBTALK_DATA_DIR)
              --admin-password PW
                              password of the admin panel at /admin (env WEBTALK_ADMIN_PASSWORD);
                              without one, a random password is printed at start-up
              --sqlite-sync normal|full
                              normal (default) keeps every acknowledged message through a crash of
                              the process; full also through a power loss, at a higher cost per
                              commit (env WEBTALK_SQLITE_SYNC)
              --store URL     sqlite (default: SQLite in the data directory) or a
                              jdbc:postgresql://HOST:PORT/DB?user=U URL: rooms, messages and shared
                              files in PostgreSQL, which several nodes may share (env WEBTALK_STORE)
              --broker URI    local (default: a single node) or redis://HOST:PORT: the nodes sharing
                              a PostgreSQL store relay what they commit through Redis (env
                              WEBTALK_BROKER). Nodes of one cluster share the data directory's
                              guest-token secret (same --data-dir, or a copy of guest-token.secret)
                              and the admin password.
              --metrics-token T
                              serve the engine's metrics in Prometheus text format at /metrics to a
                              scraper that sends "Authorization: Bearer T" (16 to 1024 characters;
                              env WEBTALK_METRICS_TOKEN); without it there is no /metrics. /health
                              and /ready are always served, to anyone.
              --help          show this help and exit
            """;

    public DemoConfig {
        if (port < 0 || port > 65_535) {
            throw new UsageException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (adminPassword != null && adminPassword.isEmpty()) {
            adminPassword = null;
        }
        if (adminPassword != null && (adminPassword.length() < 8 || adminPassword.length() > 1024)) {
            throw new UsageException("the admin password must have 8 to 1024 characters");
        }
        Objects.requireNonNull(synchronous, "synchronous");
        if (store != null && !store.startsWith("jdbc:postgresql://")) {
            throw new UsageException("--store must be sqlite or a jdbc:postgresql:// URL, got '" + store + "'");
        }
        if (broker != null) {
            if (!"redis".equals(broker.getScheme()) && !"rediss".equals(broker.getScheme()) || broker.getHost() == null) {
                throw new UsageException("--broker must be local or a redis://HOST:PORT URI, got '" + broker + "'");
            }
            if (store == null) {
                throw new UsageException("--broker relays between nodes sharing a store: give --store a "
                        + "jdbc:postgresql:// URL too (a SQLite file belongs to one node)");
            }
        }
        if (metricsToken != null && metricsToken.isEmpty()) {
            metricsToken = null;
        }
        if (metricsToken != null && (metricsToken.length() < 16 || metricsToken.length() > 1024
                || !metricsToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new UsageException("the metrics token must have 16 to 1024 printable ASCII characters, no spaces");
        }
    }

    /** Without {@code /metrics}. */
    public DemoConfig(int port, Path dataDir, String adminPassword, SqliteChatStore.Synchronous synchronous,
                      String store, URI broker) {
        this(port, dataDir, adminPassword, synchronous, store, broker, null);
    }

    /** This configuration with {@code /metrics} served to a scraper that sends {@code token}. */
    public DemoConfig withMetricsToken(String token) {
        return new DemoConfig(port, dataDir, adminPassword, synchronous, store, broker, token);
    }

    /** A single node on SQLite with these settings. */
    public DemoConfig(int port, Path dataDir, String adminPassword, SqliteChatStore.Synchronous synchronous) {
        this(port, dataDir, adminPassword, synchronous, null, null);
    }

    /** A configuration with SQLite's default durability ({@code NORMAL}). */
    public DemoConfig(int port, Path dataDir, String adminPassword) {
        this(port, dataDir, adminPassword, SqliteChatStore.Synchronous.NORMAL);
    }

    /** A configuration whose admin password is generated at start-up. */
    public DemoConfig(int port, Path dataDir) {
        this(port, dataDir, null);
    }

    /** Never prints the admin password or the metrics token. */
    @Override
    public String toString() {
        return "DemoConfig[port=" + port + ", dataDir=" + dataDir + ", adminPassword="
                + (adminPassword == null ? "generated" : "set") + ", synchronous=" + synchronous + ", store="
                + (store == null ? "sqlite" : store.replaceAll("(?i)(password=)[^&]*", "$1***")) + ", broker="
                + (broker == null ? "local" : broker.getHost() + ":" + broker.getPort()) + ", metrics="
                + (metricsToken == null ? "off" : "token") + "]";
    }

    /** What the command line asks for: run with a configuration, or print help. */
    public sealed interface Command {
        /** Run the server. */
        record Run(DemoConfig config) implements Command {
        }

        /** Print {@link #USAGE} and exit successfully. */
        record Help() implements Command {
        }
    }

    /**
     * Parses arguments and environment.
     *
     * @throws UsageException for an unknown flag, a missing value or a bad number
     */
    public static Command parse(String[] args, Map<String, String> env) {
        String port = env.get("WEBTALK_PORT");
        String dataDir = env.get("WEBTALK_DATA_DIR");
        String adminPassword = env.get("WEBTALK_ADMIN_PASSWORD");
        String sync = env.get("WEBTALK_SQLITE_SYNC");
        String store = env.get("WEBTALK_STORE");
        String broker = env.get("WEBTALK_BROKER");
        String metricsToken = env.get("WEBTALK_METRICS_TOKEN");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inlineValue = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return new Command.Help();
                }
                case "--port" -> {
                    port = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--data-dir" -> {
                    dataDir = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--admin-password" -> {
                    adminPassword = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--sqlite-sync" -> {
                    sync = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--store" -> {
                    store = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--broker" -> {
                    broker = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                case "--metrics-token" -> {
                    metricsToken = inlineValue != null ? inlineValue : value(args, ++i, arg);
                }
                default -> throw new UsageException("unknown option: " + args[i]);
            }
        }
        return new Command.Run(new DemoConfig(parsePort(port), blankToDefault(dataDir), adminPassword,
                parseSync(sync), parseStore(store), parseBroker(broker), metricsToken));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("port must be a number, got '" + raw + "'");
        }
    }

    private static SqliteChatStore.Synchronous parseSync(String raw) {
        if (raw == null || raw.isBlank()) {
            return SqliteChatStore.Synchronous.NORMAL;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "normal" -> SqliteChatStore.Synchronous.NORMAL;
            case "full" -> SqliteChatStore.Synchronous.FULL;
            default -> throw new UsageException("--sqlite-sync must be normal or full, got '" + raw + "'");
        };
    }

    private static String parseStore(String raw) {
        return raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("sqlite") ? null : raw.strip();
    }

    private static URI parseBroker(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("local")) {
            return null;
        }
        try {
            return URI.create(raw.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--broker must be local or a redis://HOST:PORT URI, got '" + raw + "'");
        }
    }

    private static Path blankToDefault(String raw) {
        return raw == null || raw.isBlank() ? DEFAULT_DATA_DIR : Path.of(raw.trim());
    }

    /** A command line or environment the demo cannot run with; the message says what to fix. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
