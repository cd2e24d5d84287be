package dev.webtalk.demo.bench;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar webtalk-demo.jar bench baseline-server [--port N] [--burst F]}: the {@link BaselineServer}
 * in a process of its own, on the loopback address, until the process is stopped. With {@code --burst}
 * above 1 it is the firehose that measures a bench client's own ceiling (the server pinned to other
 * cores than the client: {@code taskset}). Bench it with {@code --url ws://127.0.0.1:N/ws --no-auth}.
 */
final class BaselineCommand {
    static final String NAME = "baseline-server";
    static final String USAGE = """
            Usage: java -jar webtalk-demo.jar bench baseline-server [--port N] [--burst F]

            A raw Jetty broadcast endpoint speaking the bench's part of the protocol (create_room, join,
            send, ping), on 127.0.0.1, until stopped (Ctrl+C). No authentication: bench it with --no-auth.
              --port N     the port (default 18090; 0 = any free port)
              --burst F    messages pushed per send (default 1: one frame per write, as --baseline).
                           Above 1: a firehose; each send becomes F messages written to every socket
                           in Jetty's batch mode with one flush, and is acknowledged once all flushed
            """;
    static final int DEFAULT_PORT = 18090;
    static final int MAX_BURST = 10_000;

    /** The parsed command line. */
    record Options(int port, int burst) {
        Options {
            if (port < 0 || port > 65_535) {
                throw new BenchOptions.UsageException("--port must be 0..65535, got " + port);
            }
            if (burst < 1 || burst > MAX_BURST) {
                throw new BenchOptions.UsageException("--burst must be 1.." + MAX_BURST + ", got " + burst);
            }
        }

        static Options parse(String[] args) {
            int port = DEFAULT_PORT;
            int burst = 1;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (!flag.equals("--port") && !flag.equals("--burst")) {
                    throw new BenchOptions.UsageException("unknown option for " + NAME + ": " + flag);
                }
                if (i + 1 >= args.length) {
                    throw new BenchOptions.UsageException(flag + " needs a value");
                }
                int value;
                try {
                    value = Integer.parseInt(args[++i].trim());
                } catch (NumberFormatException e) {
                    throw new BenchOptions.UsageException(flag + " must be a whole number, got '" + args[i] + "'");
                }
                if (flag.equals("--port")) {
                    port = value;
                } else {
                    burst = value;
                }
            }
            return new Options(port, burst);
        }
    }

    private BaselineCommand() {
    }

    /** Runs the arguments that follow {@code bench baseline-server}; returns only on a usage error or failure. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE);
            return Bench.PASSED;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (BenchOptions.UsageException e) {
            err.println("webtalk-demo bench " + NAME + ": " + e.getMessage());
            err.print(USAGE);
            return Bench.USAGE_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (BaselineServer server = BaselineServer.start(options.port(), options.burst())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "baseline-shutdown"));
            out.println("baseline server at " + server.url() + " (burst " + options.burst() + ", process "
                    + ProcessHandle.current().pid() + "); Ctrl+C to stop");
            stopped.await();
            return Bench.PASSED;
        } catch (Exception e) {
            err.println("webtalk-demo bench " + NAME + ": " + e.getMessage());
            return Bench.FAILED;
        }
    }
}
