package dev.webtalk.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three demo hosts as one chat service on PostgreSQL and Redis, each in a process of its own, with users
 * spread over them: who is online is the cluster's (a user on two nodes counts once); a moderator's kick,
 * mute or ban on one node holds at once for the target on another; an admin signed in on one node is
 * signed in on every node (no sticky sessions needed), and the activity feed is the cluster's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterAcrossNodesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = ThreeDemoNodes.ADMIN_PASSWORD;
    private static final Duration SOON = Duration.ofSeconds(15);

    private ThreeDemoNodes nodes;
    private final List<ClusterSocket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startThreeNodes() throws Exception {
        nodes = ThreeDemoNodes.start();
    }

    @AfterAll
    void stopNodes() throws Exception {
        sockets.forEach(ClusterSocket::close);
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void presenceIsTheClustersAndAUserOnTwoNodesCountsOnce() throws Exception {
        String ana = guest(0, "Ana");
        String bo = guest(1, "Bo");
        String cy = guest(2, "Cy");
        ClusterSocket anaOn0 = open(0, ana);
        String room = ok(anaOn0.request("create_room", "name", "Presence")).path("room").path("id").asText();
        ok(anaOn0.request("join", "room", room));
        ClusterSocket boOn1 = open(1, bo);
        ok(boOn1.request("join", "room", room));
        awaitEquals("Ana (node 0) is online for Bo (node 1)", 2, () -> online(boOn1, room));
        JsonNode members = ok(boOn1.request("join", "room", room)).path("members");
        assertTrue(onlineFlag(members, "Ana"), "Bo's member list shows Ana online: " + members);

        ClusterSocket cyOn2 = open(2, cy);
        ok(cyOn2.request("join", "room", room));
        ClusterSocket cyOn0 = open(0, cy); // a second tab, on another node
        ok(cyOn0.request("join", "room", room));
        awaitEquals("Cy counts once on node 1", 3, () -> online(boOn1, room));
        awaitEquals("Cy counts once on node 2", 3, () -> online(cyOn2, room));
        awaitEquals("Cy counts once on node 0", 3, () -> online(anaOn0, room));

        cyOn2.close(); // one of Cy's tabs goes: Cy is still online
        Thread.sleep(500);
        assertEquals(3, online(boOn1, room), "Cy is still online through node 0");
        assertEquals(0, boOn1.frames().stream().filter(f -> isMemberLeft(f, "Cy")).count(), "no member_left for Cy yet");
        cyOn0.close();
        assertNotNull(boOn1.await(f -> isMemberLeft(f, "Cy"), SOON), "Bo sees Cy leave when the last tab closes");
        awaitEquals("Cy is gone", 2, () -> online(boOn1, room));
    }

    @Test
    void kickMuteAndBanOnOneNodeHoldAtOnceForTheTargetOnAnother() throws Exception {
        String ana = guest(0, "Mod Ana");
        String cy = guest(2, "Target Cy");
        ClusterSocket mod = open(0, ana);
        String room = ok(mod.request("create_room", "name", "Moderation")).path("room").path("id").asText();
        ok(mod.request("join", "room", room));
        ClusterSocket target = open(2, cy);
        JsonNode joined = ok(target.request("join", "room", room));
        String cyId = userId(joined, "Target Cy");
        ok(target.request("send", "room", room, "text", "hello"));

        ok(mod.request("mute", "room", room, "user", cyId, "duration", 600));
        assertNotNull(target.await(f -> isModeration(f, "mute"), SOON), "the target on node 2 gets the mute push");
        JsonNode refused = target.request("send", "room", room, "text", "muted?");
        assertEquals("muted", refused.path("code").asText(), refused.toString());
        ok(mod.request("unmute", "room", room, "user", cyId));
        target.await(f -> isModeration(f, "unmute"), SOON);

        ok(mod.request("kick", "room", room, "user", cyId, "reason", "calm down"));
        assertNotNull(target.await(f -> isModeration(f, "kick"), SOON), "the target on node 2 gets the kick push");
        JsonNode afterKick = target.request("send", "room", room, "text", "kicked?");
        assertEquals("not_member", afterKick.path("code").asText(), afterKick.toString());

        ok(target.request("join", "room", room)); // a kick is not a ban
        ok(mod.request("ban", "room", room, "user", cyId, "reason", "spam"));
        assertNotNull(target.await(f -> isModeration(f, "ban"), SOON), "the target on node 2 gets the ban push");
        JsonNode afterBan = target.request("send", "room", room, "text", "banned?");
        assertEquals("banned", afterBan.path("code").asText(), afterBan.toString());
        JsonNode rejoin = target.request("join", "room", room);
        assertEquals("banned", rejoin.path("code").asText(), rejoin.toString());
        ClusterSocket elsewhere = open(1, cy); // nor on any other node
        JsonNode rejoinOn1 = elsewhere.request("join", "room", room);
        assertEquals("banned", rejoinOn1.path("code").asText(), rejoinOn1.toString());
    }

    @Test
    void anAdminSignedInOnOneNodeIsSignedInOnEveryNodeAndSeesTheClustersActivity() throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(nodes.url(0).resolve("/api/admin/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = JSON.readTree(login.body()).path("csrfToken").asText();

        for (int node = 0; node < 3; node++) {
            HttpResponse<String> stats = admin(node, "GET", "/api/admin/stats", cookie, null);
            assertEquals(200, stats.statusCode(), "node " + node + " accepts the session of node 0: " + stats.body());
        }

        ClusterSocket owner = open(2, guest(2, "Eve"));
        String room = ok(owner.request("create_room", "name", "Seen everywhere")).path("room").path("id").asText();
        awaitTrue("node 1's feed shows the room created on node 2",
                () -> activity(1, cookie).contains("room_created " + room));
        HttpResponse<String> archived = admin(1, "POST", "/api/admin/rooms/" + room + "/archive", cookie, csrf);
        assertEquals(200, archived.statusCode(), "a state change on node 1 with node 0's session: " + archived.body());
        awaitTrue("node 0's feed shows the archive done on node 1",
                () -> activity(0, cookie).contains("room_archived " + room));

        HttpResponse<String> logout = admin(2, "POST", "/api/admin/logout", cookie, csrf);
        assertEquals(200, logout.statusCode(), logout.body());
        assertEquals(401, admin(0, "GET", "/api/admin/stats", cookie, null).statusCode(),
                "a logout on node 2 ends the session on node 0");
    }

    // ---- helpers ----

    private ClusterSocket open(int node, String token) throws Exception {
        ClusterSocket socket = ClusterSocket.open(nodes.url(node), token);
        sockets.add(socket);
        return socket;
    }

    private String guest(int node, String name) throws Exception {
        return nodes.guest(node, name);
    }

    private HttpResponse<String> admin(int node, String method, String path, String cookie, String csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(nodes.url(node).resolve(path)).header("Cookie", cookie)
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The node's activity feed as "type room" lines. */
    private String activity(int node, String cookie) {
        try {
            HttpResponse<String> stats = admin(node, "GET", "/api/admin/stats", cookie, null);
            StringBuilder lines = new StringBuilder();
            JSON.readTree(stats.body()).path("activity").forEach(a ->
                    lines.append(a.path("type").asText()).append(' ').append(a.path("room").asText()).append('\n'));
            return lines.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(JsonNode reply) {
        assertNotNull(reply, "no reply: the node went away");
        assertEquals("result", reply.path("type").asText(), reply.toString());
        return reply.path("result");
    }

    private static int online(ClusterSocket socket, String room) {
        try {
            for (JsonNode r : ok(socket.request("list_rooms")).path("rooms")) {
                if (room.equals(r.path("id").asText())) {
                    return r.path("online").asInt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static boolean onlineFlag(JsonNode members, String name) {
        for (JsonNode m : members) {
            if (name.equals(m.path("name").asText())) {
                return m.path("online").asBoolean();
            }
        }
        return false;
    }

    private static String userId(JsonNode joined, String name) {
        for (JsonNode m : joined.path("members")) {
            if (name.equals(m.path("name").asText())) {
                return m.path("id").asText();
            }
        }
        throw new AssertionError(name + " is not in " + joined.path("members"));
    }

    private static boolean isMemberLeft(JsonNode frame, String name) {
        return "member_left".equals(frame.path("type").asText()) && frame.toString().contains("\"" + name + "\"");
    }

    private static boolean isModeration(JsonNode frame, String action) {
        return "moderation".equals(frame.path("type").asText()) && action.equals(frame.path("action").asText());
    }

    private static <T> void awaitEquals(String what, T expected, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        T last = value.get();
        while (!expected.equals(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": expected " + expected + " but was " + last);
            }
            Thread.sleep(100);
            last = value.get();
        }
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        awaitEquals(what, true, condition);
    }
}
