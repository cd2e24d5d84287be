package dev.webtalk.demo.bench;

import dev.webtalk.Limits;
import dev.webtalk.RateLimit;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * {@code java -jar webtalk-demo.jar bench …}: a load tool for any WebTalk server. Opens many WebSocket
 * connections as guest users, runs a {@link Scenario}, and reports connect time, throughput, end-to-end
 * latency percentiles and whether every receiver got every message in order. Runs stop by themselves
 * and only talk to loopback addresses unless told otherwise. See {@link BenchOptions#USAGE}.
 *
 * <p>Exit codes: 0 the run passed, 1 it could not run or a check failed (lost, duplicated or reordered
 * messages, failed connections, disconnects), 2 bad usage.
 */
public final class Bench {
    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int USAGE_ERROR = 2;
    private static final String QUIET_JETTY = "org.slf4j.simpleLogger.log.org.eclipse.jetty";

    private Bench() {
    }

    /** Runs the arguments that follow {@code bench}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals(BaselineCommand.NAME)) {
            return BaselineCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(BenchOptions.USAGE);
            return PASSED;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            if (options.url() != null) {
                requireLoopback(options.url(), options.allowRemote());
                if (!options.noAuth()) {
                    requireLoopback(options.guestTokenUrl(options.url()), options.allowRemote());
                }
                if (options.serverPid() != null && ProcessHandle.of(options.serverPid()).isEmpty()) {
                    throw new BenchOptions.UsageException("--server-pid " + options.serverPid() + ": no such process");
                }
            }
        } catch (BenchOptions.UsageException e) {
            err.println("webtalk-demo bench: " + e.getMessage());
            err.println("Try: java -jar webtalk-demo.jar bench --help");
            return USAGE_ERROR;
        }
        PrintStream progress = options.json() ? err : out;
        // Jetty's start/stop lines would drown the progress lines; effective only before logging starts.
        if (System.getProperty(QUIET_JETTY) == null) {
            System.setProperty(QUIET_JETTY, "warn");
        }
        try {
            BenchReport webtalk = options.embedded() ? runEmbedded(options, progress) : runAgainstUrl(options, progress);
            BenchReport baseline = null;
            if (options.baseline()) {
                try (BaselineServer server = BaselineServer.start()) {
                    baseline = new ScenarioRunner(options.withTarget(server.url()), "baseline", server.url(),
                            ServerProbe.inThisJvm(), progress).run();
                }
            }
            if (options.json()) {
                out.println(baseline == null ? webtalk.toJson() : BenchReport.toJson(webtalk, baseline));
            } else {
                out.print(BenchReport.table(webtalk, baseline));
            }
            boolean passed = webtalk.passed() && (baseline == null || baseline.passed());
            return passed ? PASSED : FAILED;
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            err.println("webtalk-demo bench: " + (cause.getMessage() != null ? cause.getMessage() : cause));
            return FAILED;
        }
    }

    private static BenchReport runEmbedded(BenchOptions options, PrintStream progress) throws Exception {
        Path dataDir = Files.createTempDirectory("webtalk-bench-");
        try (DemoServer server = DemoServer.start(new DemoConfig(0, dataDir, null, options.sqliteSync()),
                // simulated users send faster than people: lift the per-user rate limits
                engine -> engine.limits(unthrottled()),
                // and all connect from loopback: lift the per-address cap
                adapter -> adapter.maxConnectionsPerIp(Integer.MAX_VALUE))) {
            URI url = URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/ws");
            progress.println("[webtalk] embedded demo server at " + url + ", data in " + dataDir + " (deleted after), "
                    + "SQLite synchronous=" + options.sqliteSync());
            return new ScenarioRunner(options, "webtalk", url, ServerProbe.inThisJvm(), progress).run();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static BenchReport runAgainstUrl(BenchOptions options, PrintStream progress) throws Exception {
        ServerProbe probe = probeFor(options);
        progress.println("[webtalk] " + probe.description());
        return new ScenarioRunner(options, "webtalk", options.url(), probe, progress).run();
    }

    /**
     * How to measure a server the tool did not start: the process given by {@code --server-pid}; else,
     * if the URL's host is this machine's loopback, the process listening on its port; else nothing.
     */
    static ServerProbe probeFor(BenchOptions options) {
        if (options.serverPid() != null) {
            return probeOf(LocalProcess.of(options.serverPid()), "given by --server-pid");
        }
        URI url = options.url();
        try {
            if (!loopbackOnly(url.getHost())) {
                return ServerProbe.none(url.getHost() + " is not this machine's loopback (pass --server-pid if the "
                        + "server runs here)");
            }
        } catch (UnknownHostException e) {
            return ServerProbe.none("unknown host " + url.getHost());
        }
        int port = url.getPort() != -1 ? url.getPort() : "wss".equals(url.getScheme()) ? 443 : 80;
        try {
            return probeOf(LocalProcess.listeningOn(port), "found listening on port " + port);
        } catch (LocalProcess.NotFound e) {
            return ServerProbe.none(e.getMessage() + " (pass --server-pid if the server runs here)");
        }
    }

    /**
     * The probe for a server in {@code process}; if that is this very JVM (a server a test started next to
     * the tool), its threads are told from the tool's as for {@code --embedded}, so that neither side's
     * CPU counts the other's.
     */
    private static ServerProbe probeOf(LocalProcess process, String how) {
        return process.pid() == ProcessHandle.current().pid() ? ServerProbe.inThisJvm()
                : ServerProbe.localProcess(process, how);
    }

    /**
     * Refuses a target whose host does not resolve only to loopback addresses, unless allowed: a load
     * test pointed at someone else's server by a typo is an attack.
     */
    static void requireLoopback(URI url, boolean allowRemote) {
        if (allowRemote) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (!address.isLoopbackAddress()) {
                    throw new BenchOptions.UsageException(url.getHost() + " is not a loopback address ("
                            + address.getHostAddress() + "); pass --allow-remote to load a remote server");
                }
            }
        } catch (UnknownHostException e) {
            throw new BenchOptions.UsageException("unknown host " + url.getHost());
        }
    }

    private static boolean loopbackOnly(String host) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (!address.isLoopbackAddress()) {
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary data directory " + dir, e);
        }
    }

    /**
     * The default limits without the per-user message and join and per-connection request rate limits.
     * The per-user reaction rate stays: the reactions scenario keeps each user within it, as a client
     * must, so that it measures the same against this server and a default one started separately.
     */
    private static Limits unthrottled() {
        RateLimit none = new RateLimit(Integer.MAX_VALUE, Duration.ofNanos(1));
        return Limits.builder().messageRate(none).joinRate(none).requestRate(none).build();
    }
}
