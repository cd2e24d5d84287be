package dev.webtalk.demo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The demo host's settings, from the command line and the environment (flags win over environment).
 *
 * @param port    TCP port to serve on; 0 picks a free one
 * @param dataDir folder for the SQLite database and the guest-token secret; created if missing
 */
public record DemoConfig(int port, Path dataDir) {
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public static final String USAGE = """
            Usage: java -jar webtalk-demo.jar [--port N] [--data-dir DIR] [--help]
                   java -jar webtalk-demo.jar admin check|backup FILE|wipe [--data-dir DIR]
                   java -jar webtalk-demo.jar bench --embedded | --url ws://HOST:PORT/ws [options]  (--help)

              --port N        port to serve on (default 8080; env WEBTALK_PORT; 0 picks a free port)
              --data-dir DIR  where the SQLite database, shared files and secrets live (default ./data;
                              env WEBTALK_DATA_DIR)
              --help          show this help and exit
            """;

    public DemoConfig {
        if (port < 0 || port > 65_535) {
            throw new UsageException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
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
                default -> throw new UsageException("unknown option: " + args[i]);
            }
        }
        return new Command.Run(new DemoConfig(parsePort(port), blankToDefault(dataDir)));
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
