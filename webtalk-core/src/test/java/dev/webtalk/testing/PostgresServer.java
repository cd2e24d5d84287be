package dev.webtalk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: a fresh cluster ({@code initdb}) in a temporary directory, run
 * with {@code pg_ctl} on a free local port, that the test may stop and start again (a real server
 * restart: every connection drops, and the server is away until it is started again).
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: then every command runs as the
 * {@code postgres} OS user ({@code runuser -u postgres --}), in a directory that user owns. The test is
 * skipped, saying why (see {@link Services#missing}), when the binaries are missing (looked for in
 * {@code WEBTALK_TEST_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}) or the server
 * cannot be set up. Trust authentication, user {@code postgres}; {@code fsync} is off (a stop, even
 * {@code immediate}, is a process crash, not a power loss: committed data survives it).
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates and starts a server, or skips the test when that is not possible here. */
    public static PostgresServer start() {
        Path bin = findBin();
        if (bin == null) {
            Services.missing("PostgreSQL's initdb and pg_ctl were not found (set WEBTALK_TEST_PG_BIN, or install "
                    + "PostgreSQL under /usr/lib/postgresql); a test needs a PostgreSQL it may restart");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        PostgresServer server;
        try {
            Path dir = Files.createTempDirectory("webtalk-pg");
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            server = new PostgresServer(bin, dir, RedisServer.freePort(), root);
        } catch (IOException e) {
            Services.missing("no directory for a PostgreSQL of the test's own: " + e);
            throw new AssertionError(e); // not reached
        }
        try {
            server.run("initdb", "-D", server.data().toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            server.startServer();
        } catch (RuntimeException e) {
            server.delete();
            Services.missing("could not set up a PostgreSQL of the test's own: " + e.getMessage());
        }
        return server;
    }

    /** A JDBC URL for the server's {@code postgres} database, as user {@code postgres}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /**
     * Stops the server with {@code pg_ctl stop -m mode}: {@code fast} (clients are disconnected, the
     * server shuts down cleanly) or {@code immediate} (every process quits at once; the next start
     * recovers from the write-ahead log, as after a crash).
     */
    public void stop(String mode) {
        run("pg_ctl", "-D", data().toString(), "-m", mode, "-w", "stop");
    }

    /** Starts the server again (same port, same data) and waits until it accepts connections. */
    public void startServer() {
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=60",
                "start");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("webtalk-pg-" + tool, ".out");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " took longer than 90 s");
                }
                if (process.exitValue() != 0) {
                    String said = Files.readString(output, StandardCharsets.UTF_8).strip();
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                            + ": " + said.substring(Math.max(0, said.length() - 800)));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            stop("immediate");
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        delete();
    }

    private void delete() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers in the temp folder
        }
    }

    private static Path findBin() {
        String configured = System.getenv().getOrDefault("WEBTALK_TEST_PG_BIN", "");
        if (!configured.isBlank()) {
            return Files.isExecutable(Path.of(configured, "pg_ctl")) ? Path.of(configured) : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
