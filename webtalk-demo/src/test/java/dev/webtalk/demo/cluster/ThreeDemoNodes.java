package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.demo.DemoServerProcess;
import dev.webtalk.testing.Services;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Three demo hosts started as README's "Run a cluster" does, each a process of its own, on a fresh
 * schema of the local PostgreSQL and on the local Redis (the test is skipped without them, see
 * {@link Services}). Closing kills them and drops the schema.
 */
final class ThreeDemoNodes implements AutoCloseable {
    static final String ADMIN_PASSWORD = "cluster-test-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final String schema;
    private final List<Process> nodes = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private ThreeDemoNodes(Path dataDir, String schema) {
        this.dataDir = dataDir;
        this.schema = schema;
    }

    static ThreeDemoNodes start() throws Exception {
        String postgres = Services.postgres();
        URI redis = Services.redis();
        String schema = "wt_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        ThreeDemoNodes three = new ThreeDemoNodes(Files.createTempDirectory("webtalk-cluster-it"), schema);
        try {
            String storeUrl = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            for (int i = 0; i < 3; i++) {
                // One data directory for all three: with a PostgreSQL store it only holds the guest-token secret.
                Process node = DemoServerProcess.start(three.dataDir, "--store", storeUrl, "--broker", redis.toString(),
                        "--admin-password", ADMIN_PASSWORD);
                three.nodes.add(node);
                three.urls.add(DemoServerProcess.awaitUrl(node));
            }
        } catch (Exception | Error e) {
            three.close();
            throw e;
        }
        return three;
    }

    URI url(int node) {
        return urls.get(node);
    }

    /** SIGKILL: the node says goodbye to no one. Returns at once. */
    void kill(int node) {
        nodes.get(node).destroyForcibly();
    }

    /** A guest pass from {@code node}. */
    String guest(int node, String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(urls.get(node).resolve("/api/guest"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("guest pass: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("token").asText();
    }

    @Override
    public void close() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly().waitFor();
        }
        try (Connection c = DriverManager.getConnection(Services.postgres()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
