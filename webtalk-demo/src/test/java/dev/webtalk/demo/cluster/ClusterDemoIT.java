package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.demo.DemoServerProcess;
import dev.webtalk.testing.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Three demo hosts as one chat service on PostgreSQL and Redis, as README's "Run a cluster" starts them,
 * each in a process of its own. Two users talk while first a reader's node is killed (SIGKILL), then
 * Redis drops every node's connections (as a Redis restart does: pub/sub keeps nothing), then a sender's
 * node is killed: clients move to the node still up and resume, and in the end every acknowledged
 * message is stored once, densely numbered, and the reader holds all of them, once each.
 */
class ClusterDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_SENDER = 40;

    @TempDir
    Path dataDir;
    private String schema;
    private String storeUrl;
    private final List<Process> nodes = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startThreeNodes() throws Exception {
        String postgres = Services.postgres();
        URI redis = Services.redis();
        schema = "wt_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        storeUrl = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        for (int i = 0; i < 3; i++) {
            // One data directory for all three: with a PostgreSQL store it only holds the guest-token secret.
            Process node = DemoServerProcess.start(dataDir, "--store", storeUrl, "--broker", redis.toString(),
                    "--admin-password", "cluster-test-password");
            nodes.add(node);
            urls.add(DemoServerProcess.awaitUrl(node));
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly().waitFor();
        }
        try (Connection c = DriverManager.getConnection(Services.postgres()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void killedNodesLoseNoAcknowledgedMessageAndReadersResumeOnAnotherNode() throws Exception {
        User ana = new User("Ana", guest(urls.get(0), "Ana"));
        User bo = new User("Bo", guest(urls.get(0), "Bo"));
        User cy = new User("Cy", guest(urls.get(0), "Cy"));
        ana.connect(urls.get(0));
        String room = ana.socket.request("create_room", "name", "Cluster").path("result").path("room").path("id").asText();
        ana.join(room);
        bo.connect(urls.get(1));
        bo.join(room);
        cy.connect(urls.get(2));
        cy.join(room);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread anaTalks = sender(ana, failure);
        Thread cyTalks = sender(cy, failure);
        anaTalks.start();
        cyTalks.start();

        ana.awaitSent(PER_SENDER / 3);
        kill(1); // Bo's node: Bo resumes on node 3
        bo.awaitClosed();
        bo.connect(urls.get(2));
        bo.join(room);
        ana.awaitSent(PER_SENDER / 2);
        dropEveryRedisConnection();
        ana.awaitSent(2 * PER_SENDER / 3);
        kill(0); // Ana's node, while she sends: she goes on from node 3
        anaTalks.join(120_000);
        cyTalks.join(120_000);
        assertNull(failure.get(), () -> "a sender failed: " + failure.get());

        List<Long> expectedSeqs = LongStream.rangeClosed(1, 2L * PER_SENDER).boxed().toList();
        bo.awaitMessages(2 * PER_SENDER, Duration.ofSeconds(30));
        assertEquals(expectedSeqs, List.copyOf(bo.messages.keySet()), "Bo holds every message, once, no gap");
        assertEquals(expectedTexts(), bo.messages.values().stream().map(m -> m.path("text").asText()).sorted().toList());

        User reader = new User("Dee", guest(urls.get(2), "Dee"));
        reader.connect(urls.get(2));
        List<JsonNode> stored = reader.wholeHistory(room);
        assertEquals(expectedSeqs, stored.stream().map(m -> m.path("seq").asLong()).toList(), "dense in the store");
        assertEquals(expectedTexts(), stored.stream().map(m -> m.path("text").asText()).sorted().toList(),
                "every acknowledged message stored exactly once");
    }

    private static List<String> expectedTexts() {
        List<String> texts = new ArrayList<>();
        for (String who : List.of("Ana", "Cy")) {
            for (int i = 0; i < PER_SENDER; i++) {
                texts.add(who + " " + i);
            }
        }
        return texts.stream().sorted().toList();
    }

    /** What every node sees when Redis restarts: all its connections to Redis drop at once. */
    private static void dropEveryRedisConnection() throws Exception {
        URI redis = Services.redis();
        try (java.net.Socket socket = new java.net.Socket(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String command : List.of("CLIENT KILL TYPE pubsub", "CLIENT KILL TYPE normal SKIPME yes")) {
                out.write((command + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                String reply = in.readLine(); // ":<connections closed>"
                if (reply == null || !reply.startsWith(":")) {
                    throw new AssertionError(command + " answered " + reply);
                }
            }
        }
    }

    private void kill(int node) throws InterruptedException {
        nodes.get(node).destroyForcibly().waitFor(); // SIGKILL: no goodbye to anyone
    }

    /** Sends PER_SENDER messages in turn; a message whose node died is sent again, same clientMsgId, from node 3. */
    private Thread sender(User user, AtomicReference<Throwable> failure) {
        return new Thread(() -> {
            try {
                for (int i = 0; i < PER_SENDER; i++) {
                    while (true) {
                        JsonNode reply = user.socket.request("send", "room", user.room, "text", user.name + " " + i,
                                "clientMsgId", user.name + "-" + i);
                        if (reply != null && "result".equals(reply.path("type").asText())) {
                            break;
                        }
                        if (reply == null || user.socket.isClosed()) {
                            user.connect(urls.get(2));
                            user.join(user.room);
                        } else {
                            Thread.sleep(100); // e.g. unavailable while a node's peers catch up: try again
                        }
                    }
                    user.sent = i + 1;
                    Thread.sleep(25);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "sender-" + user.name);
    }

    private String guest(URI node, String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/api/guest"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("token").asText();
    }

    /** One user's client: its connection, and its copy of the room kept by the protocol's rules. */
    private static final class User {
        final String name;
        final String token;
        volatile ClusterSocket socket;
        volatile String room;
        volatile int sent;
        /** The room's messages as this client holds them, by seq. */
        final Map<Long, JsonNode> messages = new TreeMap<>();
        long pos = -1;
        private int applied;

        User(String name, String token) {
            this.name = name;
            this.token = token;
        }

        void connect(URI node) throws Exception {
            if (socket != null) {
                catchUp(); // what arrived before the old node died is held already
                socket.close();
            }
            socket = ClusterSocket.open(node, token);
            applied = 0;
        }

        /** Joins (resuming from the last position held, if any) and applies the result. */
        void join(String room) throws Exception {
            this.room = room;
            JsonNode reply = pos < 0 ? socket.request("join", "room", room) : socket.request("join", "room", room, "since", pos);
            if (reply == null || !"result".equals(reply.path("type").asText())) {
                throw new AssertionError(name + " could not join: " + reply);
            }
            JsonNode result = reply.path("result");
            synchronized (messages) {
                if (result.has("missed")) {
                    result.path("missed").forEach(m -> messages.put(m.path("seq").asLong(), m));
                } else {
                    messages.clear();
                    result.path("history").forEach(m -> messages.put(m.path("seq").asLong(), m));
                }
                pos = Math.max(pos, result.path("pos").asLong());
                List<JsonNode> frames = socket.frames();
                applied = frames.indexOf(reply) + 1;
            }
        }

        /** Applies the pushes received since the last call, in order. */
        void catchUp() {
            synchronized (messages) {
                List<JsonNode> frames = socket.frames();
                for (; applied < frames.size(); applied++) {
                    JsonNode f = frames.get(applied);
                    if ("message".equals(f.path("type").asText()) && room.equals(f.path("message").path("room").asText())) {
                        messages.put(f.path("message").path("seq").asLong(), f.path("message"));
                        pos = Math.max(pos, f.path("pos").asLong());
                    }
                }
            }
        }

        void awaitSent(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sent < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " sent only " + sent);
                }
                Thread.sleep(10);
            }
        }

        void awaitClosed() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!socket.isClosed()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + "'s connection outlived its node");
                }
                Thread.sleep(10);
            }
        }

        void awaitMessages(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                catchUp();
                synchronized (messages) {
                    if (messages.size() >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " holds " + messages.keySet());
                }
                Thread.sleep(50);
            }
        }

        /** Every message of the room, read back page by page with {@code history}. */
        List<JsonNode> wholeHistory(String room) throws Exception {
            socket.request("join", "room", room);
            List<JsonNode> all = new ArrayList<>();
            long before = Long.MAX_VALUE;
            while (true) {
                JsonNode page = before == Long.MAX_VALUE ? socket.request("history", "room", room)
                        : socket.request("history", "room", room, "before", before);
                List<JsonNode> messages = new ArrayList<>();
                page.path("result").path("messages").forEach(messages::add);
                if (messages.isEmpty()) {
                    break;
                }
                all.addAll(0, messages);
                before = messages.get(0).path("seq").asLong();
                if (!page.path("result").path("hasMore").asBoolean()) {
                    break;
                }
            }
            return all.stream().collect(Collectors.toList());
        }
    }
}
