package dev.webtalk.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo host as a child process, for tests that need it in a JVM of its own (killed, restarted,
 * measured from outside): started with this test's class path on a free port, its URL read from the
 * line it prints once serving.
 */
public final class DemoServerProcess {
    private static final Pattern URL = Pattern.compile("running at (http://\\S+)");

    private DemoServerProcess() {
    }

    /** Starts {@link Main} on port 0 with data in {@code dataDir}; stdout and stderr are merged. */
    public static Process start(Path dataDir, String... moreArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(moreArgs));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's output until it prints its URL (at most 30 s); keeps draining it afterwards. */
    public static URI awaitUrl(Process server) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                        url.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process died (some tests kill it on purpose)
            }
            url.completeExceptionally(new IllegalStateException("the server exited before serving"));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(30, TimeUnit.SECONDS);
    }
}
