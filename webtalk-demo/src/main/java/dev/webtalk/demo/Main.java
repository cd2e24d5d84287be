package dev.webtalk.demo;

import dev.webtalk.demo.admin.AdminCommand;
import dev.webtalk.demo.bench.Bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar webtalk-demo.jar [--port N] [--data-dir DIR] [--help]}: runs the demo chat server;
 * {@code java -jar webtalk-demo.jar admin …} runs a maintenance command ({@link AdminCommand}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.out, System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * Parses the command line and starts the server, which then runs on Jetty's threads until the JVM
     * is asked to stop (a shutdown hook closes it cleanly). Returns the exit code for a command that ends.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        skipJettyCacheLineProbe();
        if (args.length > 0 && args[0].equals("admin")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return new AdminCommand(out, err, in).run(Arrays.copyOfRange(args, 1, args.length), System.getenv());
        }
        if (args.length > 0 && args[0].equals("bench")) {
            return Bench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        DemoConfig.Command command;
        try {
            command = DemoConfig.parse(args, System.getenv());
        } catch (DemoConfig.UsageException e) {
            err.println("webtalk-demo: " + e.getMessage());
            err.print(DemoConfig.USAGE);
            return 2;
        }
        if (command instanceof DemoConfig.Command.Help) {
            out.print(DemoConfig.USAGE);
            return 0;
        }
        DemoConfig config = ((DemoConfig.Command.Run) command).config();
        DemoServer server;
        try {
            server = DemoServer.start(config);
        } catch (Exception e) {
            err.println("webtalk-demo: cannot start on port " + config.port() + " with data in "
                    + config.dataDir().toAbsolutePath() + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                err.println("webtalk-demo: error while stopping: " + e);
            }
        }, "webtalk-shutdown"));
        out.println("WebTalk demo running at " + server.uri()
                + "  (data in " + config.dataDir().toAbsolutePath() + "; Ctrl+C to stop)");
        server.generatedAdminPassword().ifPresent(pw -> out.println("Admin panel: " + server.uri().resolve("/admin")
                + "  password (generated for this run; set --admin-password to choose one): " + pw));
        return 0;
    }

    /**
     * Jetty's {@code MemoryUtils} asks the platform MBean server whether object references are
     * compressed, only to size the padding of its lock-free queues; starting JMX for that costs about
     * 0.3 s of start-up (class loading). A system property answers the same question without it.
     * Compressed references are the JVM's default below a 32 GiB heap; a wrong guess only changes padding.
     */
    static void skipJettyCacheLineProbe() {
        String key = "org.eclipse.jetty.util.referencesPerCacheLine";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Runtime.getRuntime().maxMemory() < (32L << 30) ? "16" : "8");
        }
    }
}
