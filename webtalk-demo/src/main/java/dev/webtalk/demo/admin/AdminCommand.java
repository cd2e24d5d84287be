package dev.webtalk.demo.admin;

import dev.webtalk.StoreException;
import dev.webtalk.demo.DataDirLock;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.store.postgres.PostgresAttachmentStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import dev.webtalk.store.postgres.PostgresMaintenance;
import dev.webtalk.store.sqlite.SqliteMaintenance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code java -jar webtalk-demo.jar admin <command> [--data-dir DIR] [--store URL] [--yes] [FILE]}:
 * maintenance of a demo data directory (SQLite and a folder of files), or of a PostgreSQL store that
 * several nodes share. {@code check}, {@code purge-orphans} and {@code backup} are safe while servers
 * run; {@code wipe} refuses to run while a server holds the data directory, and on PostgreSQL, where
 * nodes may run on any machine and nothing can be locked, asks the operator to stop them first.
 *
 * <p>Exit codes: 0 done, 1 the command found a problem or failed, 2 bad usage.
 */
public final class AdminCommand {
    public static final String USAGE = """
            Usage: java -jar webtalk-demo.jar admin <command> [--data-dir DIR | --store URL] [options]

            Commands:
              check          check the database (SQLite integrity, or PostgreSQL room counters and dense
                             positions; schema version) and that every shared file is present with the
                             right size (safe while servers run)
              purge-orphans  delete shared files no message refers to (older than an hour; safe while
                             servers run)
              backup FILE    write a consistent copy of the database to FILE (safe while servers run).
                             PostgreSQL: a pg_dump custom-format export of the store's schema (needs
                             pg_dump on the PATH: Debian package postgresql-client); restore it with
                             pg_restore --dbname=URL FILE
              wipe [--yes]   delete every room, message and file (asks first unless --yes; the server
                             must be stopped). PostgreSQL: stop every node using the store first; nodes
                             may run on other machines, so this cannot check that none does

            --data-dir DIR   the demo's data directory (default ./data; env WEBTALK_DATA_DIR)
            --store URL      sqlite (default: the data directory) or the jdbc:postgresql:// URL the
                             nodes run with, e.g. with &currentSchema=NAME (env WEBTALK_STORE)
            """;

    /** Exit codes. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE_ERROR = 2;

    /** Orphans younger than this are kept: their message may be being stored right now. */
    static final Duration ORPHAN_MIN_AGE = Duration.ofHours(1);

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
            if (parsed.store() != null && !parsed.command().equals("help")) {
                return postgres(parsed, PostgresDatabase.Options.of(parsed.store()).withPoolSize(2));
            }
            return switch (parsed.command()) {
                case "check" -> check(db, parsed);
                case "purge-orphans" -> purgeOrphans(db, parsed);
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
        } catch (IOException e) {
            err.println("webtalk-demo admin " + parsed.command() + ": " + e);
            return FAILED;
        }
    }

    private int postgres(Parsed parsed, PostgresDatabase.Options options) throws IOException {
        return switch (parsed.command()) {
            case "check" -> checkPostgres(parsed, options);
            case "purge-orphans" -> purgeOrphansPostgres(parsed, options);
            case "backup" -> backupPostgres(parsed, options);
            case "wipe" -> wipePostgres(parsed, options);
            default -> {
                err.println("webtalk-demo admin: unknown command: " + parsed.command());
                err.print(USAGE);
                yield USAGE_ERROR;
            }
        };
    }

    private int checkPostgres(Parsed parsed, PostgresDatabase.Options options) {
        parsed.expectOperands(0);
        List<String> problems = PostgresMaintenance.check(options);
        if (problems.isEmpty()) {
            int files = PostgresMaintenance.referencedFiles(options).size();
            out.println("store " + redact(options.jdbcUrl()) + ": ok; " + files + " shared file(s) present");
            return OK;
        }
        err.println(redact(options.jdbcUrl()) + ": " + problems.size() + " problem(s)");
        problems.forEach(p -> err.println("  " + p));
        return FAILED;
    }

    private int purgeOrphansPostgres(Parsed parsed, PostgresDatabase.Options options) {
        parsed.expectOperands(0);
        // References first: a file whose message is stored after this read is younger than the cutoff.
        Set<String> referenced = PostgresMaintenance.referencedFiles(options).keySet();
        Instant cutoff = Instant.now().minus(ORPHAN_MIN_AGE);
        try (PostgresAttachmentStore files = PostgresAttachmentStore.open(options)) {
            return purge(files, referenced, cutoff);
        }
    }

    private int backupPostgres(Parsed parsed, PostgresDatabase.Options options) throws IOException {
        parsed.expectOperands(1);
        Path target = Path.of(parsed.operands().get(0));
        String schema = PostgresMaintenance.backup(options, target);
        out.println("backed up schema " + schema + " of " + redact(options.jdbcUrl()) + " to " + target + " ("
                + Files.size(target) + " bytes, pg_dump custom format); restore with pg_restore --dbname=URL " + target);
        return OK;
    }

    private int wipePostgres(Parsed parsed, PostgresDatabase.Options options) throws IOException {
        parsed.expectOperands(0);
        String where = "the PostgreSQL store at " + redact(options.jdbcUrl());
        if (!parsed.yes()) {
            out.print("This deletes every room, message and shared file in " + where + ". Stop every node using it "
                    + "first: nodes may run on other machines, so this command cannot check that none does. "
                    + "Type 'wipe' to go on: ");
            out.flush();
            String answer = in.readLine();
            if (answer == null || !answer.strip().equals("wipe")) {
                out.println("nothing deleted");
                return FAILED;
            }
        }
        Map<String, Long> tables = PostgresMaintenance.wipe(options);
        long rows = tables.values().stream().mapToLong(Long::longValue).sum();
        out.println("wiped " + where + ": deleted " + rows + " row(s) from " + tables.size()
                + " table(s); the schema and its version are kept");
        return OK;
    }

    /** The URL without the value of a {@code password} parameter. */
    static String redact(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    private int check(Path db, Parsed parsed) {
        parsed.expectOperands(0);
        List<String> problems = new ArrayList<>(SqliteMaintenance.check(db));
        int files = 0;
        if (problems.isEmpty()) {
            Map<String, Long> referenced = SqliteMaintenance.referencedFiles(db);
            Map<String, Long> stored = storedFiles(parsed.dataDir());
            files = referenced.size();
            referenced.forEach((key, size) -> {
                Long actual = stored.get(key);
                if (actual == null) {
                    problems.add("file " + key + " is missing");
                } else if (actual.longValue() != size) {
                    problems.add("file " + key + " has " + actual + " bytes, expected " + size);
                }
            });
        }
        if (problems.isEmpty()) {
            out.println("database " + db + ": ok; " + files + " shared file(s) present");
            return OK;
        }
        err.println(parsed.dataDir().toAbsolutePath() + ": " + problems.size() + " problem(s)");
        problems.forEach(p -> err.println("  " + p));
        return FAILED;
    }

    private int purgeOrphans(Path db, Parsed parsed) {
        parsed.expectOperands(0);
        Set<String> referenced = SqliteMaintenance.referencedFiles(db).keySet();
        Instant cutoff = Instant.now().minus(ORPHAN_MIN_AGE);
        try (FileSystemAttachmentStore files = attachments(parsed.dataDir())) {
            return purge(files, referenced, cutoff);
        }
    }

    private int purge(AttachmentStore files, Set<String> referenced, Instant cutoff) {
        int deleted = 0;
        long bytes = 0;
        for (AttachmentStore.StoredFile file : files.list()) {
            // Young files may belong to an upload whose message is being stored right now.
            if (!referenced.contains(file.key()) && file.storedAt().isBefore(cutoff) && files.delete(file.key())) {
                deleted++;
                bytes += file.size();
            }
        }
        out.println("deleted " + deleted + " orphaned file(s), " + bytes + " bytes");
        return OK;
    }

    private static FileSystemAttachmentStore attachments(Path dataDir) {
        return FileSystemAttachmentStore.open(dataDir.resolve(DemoServer.ATTACHMENTS_DIR));
    }

    private static Map<String, Long> storedFiles(Path dataDir) {
        if (!Files.isDirectory(dataDir.resolve(DemoServer.ATTACHMENTS_DIR))) {
            return Map.of();
        }
        try (FileSystemAttachmentStore files = attachments(dataDir)) {
            Map<String, Long> sizes = new HashMap<>();
            files.list().forEach(f -> sizes.put(f.key(), f.size()));
            return sizes;
        }
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
            Path files = dir.resolve(DemoServer.ATTACHMENTS_DIR);
            if (Files.isDirectory(files)) {
                deleteTree(files);
                deleted.add(files);
            }
            out.println(deleted.isEmpty() ? "nothing to wipe in " + dir.toAbsolutePath()
                    : "wiped " + dir.toAbsolutePath() + ": deleted " + deleted.stream()
                    .map(p -> p.getFileName().toString()).toList());
            return OK;
        } catch (IOException e) {
            throw new UncheckedIOException("wipe failed part-way", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private boolean confirmed(Path dir) throws IOException {
        out.print("This deletes every room, message and shared file in " + dir.toAbsolutePath() + ". Type 'wipe' to go on: ");
        out.flush();
        String answer = in.readLine();
        return answer != null && answer.strip().equals("wipe");
    }

    /** The command line after {@code admin}. */
    private record Parsed(String command, Path dataDir, String store, boolean yes, List<String> operands) {
        static Parsed of(String[] args, Map<String, String> env) {
            String command = null;
            String dataDir = env.get("WEBTALK_DATA_DIR");
            String store = env.get("WEBTALK_STORE");
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
                } else if (arg.equals("--store")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--store needs a value");
                    }
                    store = args[++i];
                } else if (arg.startsWith("--store=")) {
                    store = arg.substring("--store=".length());
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
                throw new IllegalArgumentException("which command? check, purge-orphans, backup or wipe");
            }
            Path dir = dataDir == null || dataDir.isBlank() ? DemoConfig.DEFAULT_DATA_DIR : Path.of(dataDir.strip());
            if (store == null || store.isBlank() || store.strip().equalsIgnoreCase("sqlite")) {
                store = null;
            } else if (!store.strip().startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("--store must be sqlite or a jdbc:postgresql:// URL, got '"
                        + redact(store.strip()) + "'");
            } else {
                store = store.strip();
            }
            return new Parsed(command, dir, store, yes, List.copyOf(operands));
        }

        void expectOperands(int count) {
            if (operands.size() != count) {
                throw new IllegalArgumentException(command + " takes " + (count == 0 ? "no arguments" : count + " argument")
                        + ", got " + operands);
            }
        }
    }
}
