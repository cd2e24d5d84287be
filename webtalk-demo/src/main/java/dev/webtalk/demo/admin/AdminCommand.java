package dev.webtalk.demo.admin;

import dev.webtalk.StoreException;
import dev.webtalk.demo.DataDirLock;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import dev.webtalk.store.sqlite.SqliteMaintenance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar webtalk-demo.jar admin <command> [--data-dir DIR] [--yes] [FILE]}: maintenance of a
 * demo data directory. {@code check} and {@code backup} are safe while the server runs; {@code wipe}
 * refuses to run while a server holds the data directory.
 *
 * <p>Exit codes: 0 done, 1 the command found a problem or failed, 2 bad usage.
 */
public final class AdminCommand {
    public static final String USAGE = """
            Usage: java -jar webtalk-demo.jar admin <command> [--data-dir DIR] [options]

            Commands:
              check          check the database (SQLite integrity, schema version)
              backup FILE    write a consistent copy of the database to FILE (safe while the server runs)
              wipe [--yes]   delete every room and message (asks first unless --yes; the server must be stopped)

            --data-dir DIR   the demo's data directory (default ./data; env WEBTALK_DATA_DIR)
            """;

    /** Exit codes. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE_ERROR = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final BufferedReader in;

    public AdminCommand(PrintStream out, PrintStream err, BufferedReader in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /** Runs {@code args} (what follows {@code admin}) and returns the exit code. */
    public int run(String[] args, Map<String, String> env) {
        Parsed parsed;
        try {
            parsed = Parsed.of(args, env);
        } catch (IllegalArgumentException e) {
            err.println("webtalk-demo admin: " + e.getMessage());
            err.print(USAGE);
            return USAGE_ERROR;
        }
        Path db = parsed.dataDir().resolve(DemoServer.DATABASE_FILE);
        try {
            return switch (parsed.command()) {
                case "check" -> check(db, parsed);
                case "backup" -> backup(db, parsed);
                case "wipe" -> wipe(parsed);
                case "help" -> {
                    out.print(USAGE);
                    yield OK;
                }
                default -> {
                    err.println("webtalk-demo admin: unknown command: " + parsed.command());
                    err.print(USAGE);
                    yield USAGE_ERROR;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("webtalk-demo admin " + parsed.command() + ": " + e.getMessage());
            return USAGE_ERROR;
        } catch (StoreException | IllegalStateException | UncheckedIOException e) {
            err.println("webtalk-demo admin " + parsed.command() + ": " + e.getMessage());
            return FAILED;
        }
    }

    private int check(Path db, Parsed parsed) {
        parsed.expectOperands(0);
        List<String> problems = SqliteMaintenance.check(db);
        if (problems.isEmpty()) {
            out.println("database " + db + ": ok");
            return OK;
        }
        err.println("database " + db + ": " + problems.size() + " problem(s)");
        problems.forEach(p -> err.println("  " + p));
        return FAILED;
    }

    private int backup(Path db, Parsed parsed) {
        parsed.expectOperands(1);
        Path target = Path.of(parsed.operands().get(0));
        SqliteMaintenance.backup(db, target);
        try {
            out.println("backed up " + db + " to " + target + " (" + Files.size(target) + " bytes)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OK;
    }

    private int wipe(Parsed parsed) {
        parsed.expectOperands(0);
        Path dir = parsed.dataDir();
        if (!Files.isDirectory(dir)) {
            err.println("webtalk-demo admin wipe: no data directory at " + dir.toAbsolutePath());
            return FAILED;
        }
        try (DataDirLock ignored = DataDirLock.acquire(dir)) {
            if (!parsed.yes() && !confirmed(dir)) {
                out.println("nothing deleted");
                return FAILED;
            }
            List<Path> deleted = new ArrayList<>();
            for (String name : List.of(DemoServer.DATABASE_FILE, DemoServer.DATABASE_FILE + "-wal",
                    DemoServer.DATABASE_FILE + "-shm")) {
                Path file = dir.resolve(name);
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
            out.println(deleted.isEmpty() ? "nothing to wipe in " + dir.toAbsolutePath()
                    : "wiped " + dir.toAbsolutePath() + ": deleted " + deleted.stream()
                    .map(p -> p.getFileName().toString()).toList());
            return OK;
        } catch (IOException e) {
            throw new UncheckedIOException("wipe failed part-way", e);
        }
    }

    private boolean confirmed(Path dir) throws IOException {
        out.print("This deletes every room and message in " + dir.toAbsolutePath() + ". Type 'wipe' to go on: ");
        out.flush();
        String answer = in.readLine();
        return answer != null && answer.strip().equals("wipe");
    }

    /** The command line after {@code admin}. */
    private record Parsed(String command, Path dataDir, boolean yes, List<String> operands) {
        static Parsed of(String[] args, Map<String, String> env) {
            String command = null;
            String dataDir = env.get("WEBTALK_DATA_DIR");
            boolean yes = false;
            List<String> operands = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--data-dir")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data-dir needs a value");
                    }
                    dataDir = args[++i];
                } else if (arg.startsWith("--data-dir=")) {
                    dataDir = arg.substring("--data-dir=".length());
                } else if (arg.equals("--yes") || arg.equals("-y")) {
                    yes = true;
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    command = "help";
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option: " + arg);
                } else if (command == null) {
                    command = arg;
                } else {
                    operands.add(arg);
                }
            }
            if (command == null) {
                throw new IllegalArgumentException("which command? check, backup or wipe");
            }
            Path dir = dataDir == null || dataDir.isBlank() ? DemoConfig.DEFAULT_DATA_DIR : Path.of(dataDir.strip());
            return new Parsed(command, dir, yes, List.copyOf(operands));
        }

        void expectOperands(int count) {
            if (operands.size() != count) {
                throw new IllegalArgumentException(command + " takes " + (count == 0 ? "no arguments" : count + " argument")
                        + ", got " + operands);
            }
        }
    }
}
