package dev.webtalk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, on a free local port, that the test may kill and start again on the
 * same port (a real Redis restart: every connection drops and pub/sub subscriptions are gone). Nothing is
 * saved to disk. Needs {@code redis-server} on the {@code PATH} (or {@code WEBTALK_TEST_REDIS_SERVER}); the
 * test is skipped without it (see {@link Services#missing}).
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final String binary;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(String binary, int port) {
        this.binary = binary;
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("webtalk-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server, or skips the test when {@code redis-server} cannot be found or started. */
    public static RedisServer start() {
        String binary = System.getenv().getOrDefault("WEBTALK_TEST_REDIS_SERVER", "");
        if (binary.isBlank()) {
            binary = onPath("redis-server");
        }
        if (binary == null) {
            Services.missing("redis-server is not on the PATH (a test needs a Redis it may restart)");
        }
        RedisServer server = new RedisServer(binary, freePort());
        try {
            server.startProcess();
        } catch (RuntimeException e) {
            server.close();
            Services.missing("redis-server did not start: " + e.getMessage());
        }
        return server;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Kills the server (SIGKILL): nothing is said to its clients, their connections just drop. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again on the same port and waits until it answers. */
    public synchronized void restart() {
        kill();
        startProcess();
    }

    private synchronized void startProcess() {
        try {
            process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer on port " + port + " within " + START_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, 7);
            return n == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Files.deleteIfExists(dir); // empty: nothing is saved
        } catch (IOException e) {
            // a leftover empty directory in the temp folder
        }
    }

    /** A port nobody listens on now (another process may still take it; unlikely in a test). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of {@code name} in a {@code PATH} directory, or {@code null}. */
    static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
