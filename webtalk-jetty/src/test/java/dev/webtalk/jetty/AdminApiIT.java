package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.MemberRole;
import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSettings;
import dev.webtalk.UserId;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API over real HTTP: only admins get in, and every endpoint does what it says. */
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-1:Root";
    private static final String ANA = "u-ana:Ana";
    private static final String BO = "u-bo:Bo";
    private static final Principal OWNER = Principal.user("u-ana", "Ana");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = MutableClock.create();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(new InMemoryChatStore(), engine -> engine.clock(clock), options -> options.adminApi(true));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private record Reply(int status, JsonNode body) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    private RoomId room(String name) {
        return server.chat().createRoom(OWNER, name, null).id();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /api/admin/stats",
            "GET, /api/admin/rooms",
            "GET, /api/admin/activity",
            "DELETE, /api/admin/rooms/{room}",
            "POST, /api/admin/rooms/{room}/archive",
            "POST, /api/admin/rooms/{room}/unarchive",
            "GET, /api/admin/settings",
            "PUT, /api/admin/settings",
            "POST, /api/admin/purge-inactive",
            "GET, /api/admin/rooms/{room}/audit",
            "GET, /api/admin/rooms/{room}/restrictions",
            "POST, /api/admin/rooms/{room}/members/u-bo/kick",
            "POST, /api/admin/rooms/{room}/members/u-bo/ban",
            "POST, /api/admin/rooms/{room}/members/u-bo/unban",
            "POST, /api/admin/rooms/{room}/members/u-bo/mute",
            "POST, /api/admin/rooms/{room}/members/u-bo/unmute",
            "POST, /api/admin/rooms/{room}/members/u-bo/role",
            "POST, /api/admin/rooms/{room}/owner",
            "PUT, /api/admin/rooms/{room}/settings",
            "DELETE, /api/admin/rooms/{room}/messages/{seq}"})
    void everyEndpointRefusesStrangersAndNonAdmins(String method, String path) throws Exception {
        RoomId room = room("General");
        long seq;
        try (WsClient bo = WsClient.connect(server, BO)) {
            bo.ok(frame("join").put("room", room.value()));
            seq = bo.ok(frame("send").put("room", room.value()).put("text", "hello")).path("message").path("seq").asLong();
        }
        String url = path.replace("{room}", room.value()).replace("{seq}", Long.toString(seq));
        String body = path.endsWith("/settings") ? "{\"slowMode\":30,\"locked\":true,\"topic\":\"x\"}"
                : method.equals("PUT") ? "{\"maxRooms\":1}"
                : path.endsWith("/ban") || path.endsWith("/mute") ? "{\"reason\":\"x\",\"duration\":60}"
                : path.endsWith("/role") ? "{\"role\":\"moderator\"}"
                : path.endsWith("/owner") ? "{\"user\":\"u-bo\"}" : null;

        Reply anonymous = call(method, url, null, body);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.code());
        Reply user = call(method, url, ANA, body);
        assertEquals(403, user.status());
        assertEquals("forbidden", user.code());

        // Nothing was changed by either.
        assertTrue(server.chat().room(room).isPresent());
        assertFalse(server.chat().roomOverviews().get(0).archived());
        assertTrue(server.chat().settings().maxRooms() > 1);
        assertEquals(List.of(), server.chat().restrictions(room));
        assertEquals(List.of(), server.chat().auditLog(room, null, null).entries());
        assertEquals(2, server.chat().room(room).orElseThrow().memberCount(), "Bo is still a member");
        assertEquals(RoomSettings.DEFAULTS, server.chat().roomSettings(room));
        assertEquals(OWNER.id(), server.chat().room(room).orElseThrow().room().ownerId());
        assertNull(server.chat().history(OWNER, room, null, null).messages().get(0).deletedAt(), "Bo's message stays");
    }

    @Test
    void adminsDeleteAnyMessageAndTheDeletionIsAudited() throws Exception {
        RoomId room = room("General");
        try (WsClient ana = WsClient.connect(server, ANA); WsClient bo = WsClient.connect(server, BO)) {
            ana.ok(frame("join").put("room", room.value()));
            bo.ok(frame("join").put("room", room.value()));
            long seq = bo.ok(frame("send").put("room", room.value()).put("text", "spam")).path("message").path("seq").asLong();

            Reply deleted = call("DELETE", "/api/admin/rooms/" + room.value() + "/messages/" + seq, ADMIN, null);

            assertEquals(200, deleted.status(), deleted.body().toString());
            assertEquals(JSON.createObjectNode(), deleted.body());
            assertEquals(seq, ana.await("message_deleted").path("seq").asLong());
            assertNotNull(server.chat().history(OWNER, room, null, null).messages().get(0).deletedAt());
            var entry = server.chat().auditLog(room, null, null).entries().get(0);
            assertEquals("delete_message", entry.action().wire());
            assertEquals(seq, entry.seq());
            assertEquals("admin-1", entry.actorId().value());
            assertEquals("u-bo", entry.targetId().value());

            Reply missing = call("DELETE", "/api/admin/rooms/" + room.value() + "/messages/" + (seq + 10), ADMIN, null);
            assertEquals(404, missing.status());
            assertEquals("message_not_found", missing.code());
            assertEquals("room_not_found", call("DELETE", "/api/admin/rooms/nowhere1/messages/1", ADMIN, null).code());
            assertEquals(405, call("GET", "/api/admin/rooms/" + room.value() + "/messages/" + seq, ADMIN, null).status());
            assertEquals("not_found", call("DELETE", "/api/admin/rooms/" + room.value() + "/messages/x1", ADMIN, null).code());
        }
    }

    @Test
    void adminsChangeRoomSettingsFieldByFieldAndTheRoomSeesItLive() throws Exception {
        RoomId room = room("General");
        String url = "/api/admin/rooms/" + room.value() + "/settings";
        try (WsClient ana = WsClient.connect(server, ANA); WsClient bo = WsClient.connect(server, BO)) {
            ana.ok(frame("join").put("room", room.value()));
            bo.ok(frame("join").put("room", room.value()));

            Reply locked = call("PUT", url, ADMIN, "{\"slowMode\":30,\"locked\":true}");

            assertEquals(200, locked.status(), locked.body().toString());
            assertEquals(30, locked.body().path("settings").path("slowMode").asInt());
            assertTrue(locked.body().path("settings").path("locked").asBoolean());
            assertTrue(locked.body().path("settings").path("topic").isNull());
            assertEquals("set_room", locked.body().path("entry").path("action").asText());
            assertTrue(ana.await("room_updated").path("settings").path("locked").asBoolean());
            assertEquals("forbidden", bo.request(frame("send").put("room", room.value()).put("text", "x")).path("code").asText(),
                    "a locked room refuses plain members");

            Reply topic = call("PUT", url, ADMIN, "{\"topic\":\"Be kind\"}");
            assertEquals(new RoomSettings(Duration.ofSeconds(30), true, "Be kind"), server.chat().roomSettings(room),
                    "fields left out keep their value");
            assertEquals("Be kind", topic.body().path("settings").path("topic").asText());
            Reply same = call("PUT", url, ADMIN, "{\"topic\":\"Be kind\"}");
            assertEquals(200, same.status());
            assertFalse(same.body().has("entry"), "nothing changed, nothing audited");

            assertEquals(200, call("PUT", url, ADMIN, "{\"slowMode\":0,\"locked\":false,\"topic\":\"\"}").status());
            assertEquals(RoomSettings.DEFAULTS, server.chat().roomSettings(room));
            bo.ok(frame("send").put("room", room.value()).put("text", "free again"));
        }
        for (String bad : List.of("{\"slowMode\":3601}", "{\"slowMode\":-1}", "{\"slowMode\":\"fast\"}",
                "{\"locked\":\"yes\"}", "{\"topic\":5}", "{\"topic\":\"" + "t".repeat(201) + "\"}")) {
            Reply refused = call("PUT", url, ADMIN, bad);
            assertEquals(400, refused.status(), bad);
            assertEquals("invalid", refused.code(), bad);
        }
        assertEquals(RoomSettings.DEFAULTS, server.chat().roomSettings(room), "refused changes change nothing");
        assertEquals("invalid", call("PUT", url, ADMIN, null).code(), "a body is required");
        assertEquals(405, call("POST", url, ADMIN, "{}").status());
        assertEquals("room_not_found", call("PUT", "/api/admin/rooms/nowhere1/settings", ADMIN, "{\"locked\":true}").code());
    }

    @Test
    void adminsSetRolesAndTransferOwnership() throws Exception {
        RoomId room = room("General");
        String base = "/api/admin/rooms/" + room.value();
        try (WsClient ana = WsClient.connect(server, ANA); WsClient bo = WsClient.connect(server, BO)) {
            ana.ok(frame("join").put("room", room.value()));
            bo.ok(frame("join").put("room", room.value()));

            Reply promoted = call("POST", base + "/members/u-bo/role", ADMIN, "{\"role\":\"moderator\"}");

            assertEquals(200, promoted.status(), promoted.body().toString());
            assertEquals("set_role", promoted.body().path("entry").path("action").asText());
            assertEquals("moderator", promoted.body().path("entry").path("role").asText());
            assertEquals("moderator", ana.await("moderation").path("role").asText());
            assertEquals(MemberRole.MODERATOR, role(room, "u-bo"));
            assertEquals(JSON.createObjectNode(), call("POST", base + "/members/u-bo/role", ADMIN, "{\"role\":\"moderator\"}").body(),
                    "the same role again: nothing to change");
            assertEquals("invalid", call("POST", base + "/members/u-bo/role", ADMIN, "{\"role\":\"owner\"}").code());
            assertEquals("invalid", call("POST", base + "/members/u-bo/role", ADMIN, null).code());
            assertEquals("forbidden", call("POST", base + "/members/u-ana/role", ADMIN, "{\"role\":\"member\"}").code(),
                    "the owner's role only changes by a transfer");
            assertEquals("forbidden", call("POST", base + "/members/u-zed/role", ADMIN, "{\"role\":\"moderator\"}").code(),
                    "a non-member has no role to change (the permission table's 'none' column)");

            Reply transferred = call("POST", base + "/owner", ADMIN, "{\"user\":\"u-bo\"}");

            assertEquals(200, transferred.status(), transferred.body().toString());
            assertEquals("transfer_ownership", transferred.body().path("entry").path("action").asText());
            assertEquals("u-bo", transferred.body().path("entry").path("target").path("id").asText());
            assertEquals(UserId.of("u-bo"), server.chat().room(room).orElseThrow().room().ownerId());
            assertEquals(MemberRole.OWNER, role(room, "u-bo"));
            assertEquals(MemberRole.MODERATOR, role(room, "u-ana"), "the old owner stays as a moderator");
        }
        assertEquals("forbidden", call("POST", base + "/owner", ADMIN, "{\"user\":\"u-zed\"}").code(),
                "only a member can be handed the room");
        assertEquals("invalid", call("POST", base + "/owner", ADMIN, "{}").code());
        assertEquals("invalid", call("POST", base + "/owner", ADMIN, "{\"user\":7}").code());
        assertEquals(405, call("GET", base + "/owner", ADMIN, null).status());
        assertEquals("room_not_found", call("POST", "/api/admin/rooms/nowhere1/owner", ADMIN, "{\"user\":\"u-bo\"}").code());
        assertEquals(List.of("transfer_ownership", "set_role"),
                server.chat().auditLog(room, null, null).entries().stream().map(e -> e.action().wire()).toList());
    }

    private MemberRole role(RoomId room, String user) {
        return server.chat().onlineUsers(room).stream().filter(m -> m.userId().value().equals(user))
                .findFirst().orElseThrow().role();
    }

    @Test
    void adminsKickBanMuteAndLiftThemWithReasonsAndDurations() throws Exception {
        RoomId room = room("General");
        String base = "/api/admin/rooms/" + room.value() + "/members/";
        try (WsClient bo = WsClient.connect(server, BO); WsClient ana = WsClient.connect(server, ANA)) {
            ana.ok(frame("join").put("room", room.value()));
            bo.ok(frame("join").put("room", room.value()));

            Reply muted = call("POST", base + "u-bo/mute", ADMIN, "{\"reason\":\"flood\",\"duration\":600}");
            assertEquals(200, muted.status(), muted.body().toString());
            assertEquals("mute", muted.body().path("entry").path("action").asText());
            assertEquals("admin-1", muted.body().path("entry").path("actor").path("id").asText());
            assertEquals(clock.instant().plusSeconds(600).toEpochMilli(), muted.body().path("entry").path("until").asLong());
            assertEquals("muted", bo.request(frame("send").put("room", room.value()).put("text", "x")).path("code").asText());
            assertEquals("mute", ana.await("moderation").path("action").asText());

            assertEquals(200, call("POST", base + "u-bo/unmute", ADMIN, null).status());
            bo.ok(frame("send").put("room", room.value()).put("text", "thanks"));
            assertEquals(JSON.createObjectNode(), call("POST", base + "u-bo/unmute", ADMIN, null).body(),
                    "nothing to lift: an empty answer and no audit entry");

            Reply kicked = call("POST", base + "u-bo/kick", ADMIN, "{\"reason\":\"calm down\"}");
            assertEquals("kick", kicked.body().path("entry").path("action").asText());
            assertEquals("kicked", ana.await("member_left").path("reason").asText());
            bo.ok(frame("join").put("room", room.value()));

            Reply banned = call("POST", base + "u-bo/ban", ADMIN, "{\"reason\":\"spam\"}");
            assertEquals(200, banned.status());
            assertFalse(banned.body().path("entry").has("until"), "no duration: forever");
            assertEquals("banned", bo.request(frame("join").put("room", room.value())).path("code").asText());
            assertEquals(200, call("POST", base + "u-bo/unban", ADMIN, "").status());
            bo.ok(frame("join").put("room", room.value()));
        }
        assertEquals(List.of("unban", "ban", "kick", "unmute", "mute"),
                server.chat().auditLog(room, null, null).entries().stream().map(e -> e.action().wire()).toList());
    }

    @Test
    void everyModerationAnswerCarriesTheIdItHasInTheAuditLog() throws Exception {
        RoomId room = room("General");
        String base = "/api/admin/rooms/" + room.value();
        long seq;
        try (WsClient bo = WsClient.connect(server, BO)) {
            bo.ok(frame("join").put("room", room.value()));
            seq = bo.ok(frame("send").put("room", room.value()).put("text", "spam")).path("message").path("seq").asLong();
        }
        List<Long> answered = List.of(
                call("POST", base + "/members/u-bo/mute", ADMIN, "{\"duration\":60}").body().path("entry").path("id").asLong(),
                call("POST", base + "/members/u-bo/ban", ADMIN, "{\"reason\":\"spam\"}").body().path("entry").path("id").asLong(),
                call("PUT", base + "/settings", ADMIN, "{\"locked\":true}").body().path("entry").path("id").asLong(),
                call("POST", base + "/members/u-bo/unban", ADMIN, null).body().path("entry").path("id").asLong());
        assertEquals(200, call("DELETE", base + "/messages/" + seq, ADMIN, null).status());

        JsonNode log = call("GET", base + "/audit", ADMIN, null).body().path("entries");
        assertEquals(List.of("delete_message", "unban", "set_room", "ban", "mute"),
                log.findValuesAsText("action"));
        List<Long> logged = new java.util.ArrayList<>();
        log.forEach(e -> logged.add(e.path("id").asLong()));
        assertEquals(List.of(logged.get(4), logged.get(3), logged.get(2), logged.get(1)), answered,
                "each answer names the entry the log holds, never 0");
        assertTrue(answered.get(0) > 0);
    }

    @Test
    void moderationIsValidatedAndFollowsThePermissionTable() throws Exception {
        RoomId room = room("General");
        String base = "/api/admin/rooms/" + room.value() + "/members/";

        assertEquals("not_member", call("POST", base + "u-zed/kick", ADMIN, null).code());
        assertEquals("invalid", call("POST", base + "u-ana/ban", ADMIN, "{\"duration\":0}").code());
        assertEquals("invalid", call("POST", base + "u-ana/ban", ADMIN, "{\"duration\":\"soon\"}").code());
        assertEquals("invalid", call("POST", base + "u-ana/kick", ADMIN, "{\"duration\":60}").code());
        assertEquals("invalid", call("POST", base + "u-ana/mute", ADMIN, "{\"duration\":" + 3651L * 86400 + "}").code());
        assertEquals("forbidden", call("POST", base + "admin-1/ban", ADMIN, null).code(), "nobody bans themselves");
        assertEquals("room_not_found", call("POST", "/api/admin/rooms/nowhere1/members/u-ana/mute", ADMIN, null).code());
        assertEquals(405, call("GET", base + "u-ana/ban", ADMIN, null).status());
        assertEquals("not_found", call("POST", base + "u-ana/shout", ADMIN, null).code());
        assertEquals(List.of(), server.chat().restrictions(room), "refused calls change nothing");
    }

    @Test
    void theAuditLogIsPagedNewestFirstAndRestrictionsListWhatHoldsNow() throws Exception {
        RoomId room = room("General");
        Principal admin = Principal.admin("admin-1", "Root");
        for (String user : List.of("u-1", "u-2", "u-3")) {
            server.chat().ban(admin, room, UserId.of(user), "spam " + user, Duration.ofMinutes(10));
        }
        server.chat().mute(admin, room, OWNER.id(), null, null);
        String base = "/api/admin/rooms/" + room.value();

        Reply first = call("GET", base + "/audit?limit=3", ADMIN, null);
        assertEquals(200, first.status());
        JsonNode entries = first.body().path("entries");
        assertEquals(List.of("mute", "ban", "ban"), entries.findValuesAsText("action"));
        assertEquals("u-3", entries.get(1).path("target").path("id").asText());
        assertTrue(first.body().path("hasMore").asBoolean());
        Reply second = call("GET", base + "/audit?limit=3&before=" + entries.get(2).path("id").asLong(), ADMIN, null);
        assertEquals(List.of("spam u-1"), second.body().path("entries").findValuesAsText("reason"));
        assertFalse(second.body().path("hasMore").asBoolean());
        assertEquals("invalid", call("GET", base + "/audit?limit=x", ADMIN, null).code());

        clock.advance(Duration.ofMinutes(11)); // the bans end, the mute (forever) holds
        Reply restrictions = call("GET", base + "/restrictions", ADMIN, null);
        assertEquals(200, restrictions.status());
        JsonNode only = restrictions.body().path("restrictions");
        assertEquals(1, only.size(), only.toString());
        assertEquals("u-ana", only.get(0).path("user").asText());
        assertEquals("mute", only.get(0).path("kind").asText());
        assertEquals("room_not_found", call("GET", "/api/admin/rooms/nowhere1/restrictions", ADMIN, null).code());
    }

    @Test
    void statsShowRoomsPeopleMessagesAndActivity() throws Exception {
        try (WsClient ana = WsClient.connect(server, ANA)) {
            String id = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", id));
            ana.ok(frame("send").put("room", id).put("text", "hi"));
            clock.advance(Duration.ofSeconds(90));

            Reply stats = call("GET", "/api/admin/stats", ADMIN, null);

            assertEquals(200, stats.status());
            JsonNode s = stats.body();
            assertEquals(1, s.path("roomsTotal").asInt());
            assertEquals(1, s.path("roomsActive").asInt());
            assertEquals(1, s.path("usersOnline").asInt());
            assertEquals(1, s.path("connections").asInt());
            assertEquals(1, s.path("messagesToday").asInt());
            assertEquals(1, s.path("messagesTotal").asInt());
            assertEquals(90, s.path("uptimeSeconds").asLong());
            assertEquals(0, s.path("uploads").asInt());
            JsonNode event = s.path("activity").get(0);
            assertEquals("room_created", event.path("type").asText(), s.toString());
            assertEquals("General", event.path("roomName").asText());
            assertEquals("Ana", event.path("actor").asText());
        }
    }

    /** Hour (or 6-hour) buckets of messages and of users who posted, aligned to whole hours, the newest holding now. */
    @Test
    void activityCountsMessagesAndActiveUsersPerBucket() throws Exception {
        try (WsClient ana = WsClient.connect(server, ANA); WsClient bo = WsClient.connect(server, BO)) {
            String id = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", id));
            bo.ok(frame("join").put("room", id));
            long first = clock.millis();
            ana.ok(frame("send").put("room", id).put("text", "one"));
            ana.ok(frame("send").put("room", id).put("text", "two"));
            bo.ok(frame("send").put("room", id).put("text", "three"));
            clock.advance(Duration.ofHours(2));
            ana.ok(frame("send").put("room", id).put("text", "four"));
            long hour = 3_600_000L;

            Reply day = call("GET", "/api/admin/activity", ADMIN, null);
            assertEquals(200, day.status(), day.body().toString());
            assertEquals("24h", day.body().path("range").asText());
            assertEquals(3600, day.body().path("bucketSeconds").asLong());
            JsonNode buckets = day.body().path("buckets");
            assertEquals(24, buckets.size());
            assertEquals(clock.millis() / hour * hour, buckets.get(23).path("start").asLong(), "the newest holds now");
            assertEquals(buckets.get(0).path("start").asLong() + 23 * hour, buckets.get(23).path("start").asLong());
            java.util.Map<Long, String> counts = new java.util.HashMap<>();
            long total = 0;
            for (JsonNode b : buckets) {
                counts.put(b.path("start").asLong(), b.path("messages").asLong() + "/" + b.path("activeUsers").asLong());
                total += b.path("messages").asLong();
            }
            assertEquals(4, total);
            assertEquals("3/2", counts.get(first / hour * hour));
            assertEquals("1/1", counts.get(clock.millis() / hour * hour));

            Reply week = call("GET", "/api/admin/activity?range=7d", ADMIN, null);
            assertEquals(28, week.body().path("buckets").size());
            assertEquals(21600, week.body().path("bucketSeconds").asLong());
            long weekTotal = 0;
            for (JsonNode b : week.body().path("buckets")) {
                weekTotal += b.path("messages").asLong();
            }
            assertEquals(4, weekTotal);

            Reply bad = call("GET", "/api/admin/activity?range=1y", ADMIN, null);
            assertEquals(400, bad.status());
            assertEquals("invalid", bad.code());
        }
    }

    @Test
    void roomsAreSearchedAndSorted() throws Exception {
        RoomId alpha = room("Alpha team");
        clock.advance(Duration.ofMinutes(1));
        RoomId beta = room("Beta team");
        clock.advance(Duration.ofMinutes(1));
        room("Gamma");

        Reply byName = call("GET", "/api/admin/rooms?q=TEAM&sort=name&order=desc", ADMIN, null);
        assertEquals(200, byName.status());
        assertEquals(List.of(beta.value(), alpha.value()), byName.body().path("rooms").findValuesAsText("id"));
        JsonNode first = byName.body().path("rooms").get(0);
        assertEquals("Beta team", first.path("name").asText());
        assertEquals(1, first.path("members").asInt());
        assertEquals(0, first.path("messages").asInt());
        assertFalse(first.path("archived").asBoolean());
        assertTrue(first.has("lastActivity"));

        Reply all = call("GET", "/api/admin/rooms", ADMIN, null);
        assertEquals(List.of("Alpha team", "Beta team", "Gamma"), all.body().path("rooms").findValuesAsText("name"));

        assertEquals("invalid", call("GET", "/api/admin/rooms?sort=colour", ADMIN, null).code());
        assertEquals("invalid", call("GET", "/api/admin/rooms?order=up", ADMIN, null).code());
    }

    @Test
    void deletingARoomTellsItsMembersLiveAndDropsThem() throws Exception {
        try (WsClient ana = WsClient.connect(server, ANA)) {
            String id = ana.ok(frame("create_room").put("name", "General")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", id));

            Reply deleted = call("DELETE", "/api/admin/rooms/" + id, ADMIN, null);

            assertEquals(200, deleted.status());
            assertEquals(id, ana.await("room_deleted").path("room").asText());
            assertEquals("room_not_found", ana.request(frame("send").put("room", id).put("text", "x")).path("code").asText());
            assertTrue(server.chat().room(RoomId.of(id)).isEmpty());
        }
        Reply again = call("DELETE", "/api/admin/rooms/nowhere1", ADMIN, null);
        assertEquals(404, again.status());
        assertEquals("room_not_found", again.code());
        assertEquals(405, call("GET", "/api/admin/rooms/nowhere1", ADMIN, null).status());
    }

    @Test
    void archivedRoomsAreHiddenAndReadOnlyUntilUnarchived() throws Exception {
        RoomId room = room("General");

        Reply archived = call("POST", "/api/admin/rooms/" + room.value() + "/archive", ADMIN, null);
        assertEquals(200, archived.status());
        assertTrue(archived.body().path("room").path("archived").asBoolean());
        assertEquals(List.of(), call("GET", "/api/rooms", ANA, null).body().path("rooms").findValuesAsText("id"));
        try (WsClient ana = WsClient.connect(server, ANA)) {
            ana.ok(frame("join").put("room", room.value()));
            assertEquals("room_archived",
                    ana.request(frame("send").put("room", room.value()).put("text", "x")).path("code").asText());
        }

        Reply back = call("POST", "/api/admin/rooms/" + room.value() + "/unarchive", ADMIN, null);
        assertEquals(200, back.status());
        assertFalse(back.body().path("room").path("archived").asBoolean());
        assertEquals(List.of(room.value()), call("GET", "/api/rooms", ANA, null).body().path("rooms").findValuesAsText("id"));
        assertEquals("room_not_found", call("POST", "/api/admin/rooms/nowhere1/archive", ADMIN, null).code());
    }

    @Test
    void settingsAreReadChangedAndValidated() throws Exception {
        Reply before = call("GET", "/api/admin/settings", ADMIN, null);
        assertEquals(200, before.status());
        assertEquals(0, before.body().path("roomInactivityTimeoutSeconds").asLong());
        long ceiling = before.body().path("maxFileBytesCeiling").asLong();

        Reply changed = call("PUT", "/api/admin/settings", ADMIN,
                "{\"maxRooms\":1,\"roomInactivityTimeoutSeconds\":3600,\"maxFileBytes\":1000}");
        assertEquals(200, changed.status());
        assertEquals(1, changed.body().path("maxRooms").asInt());
        assertEquals(3600, changed.body().path("roomInactivityTimeoutSeconds").asLong());
        assertEquals(1000, server.chat().maxFileBytes());
        room("One");
        Reply full = call("POST", "/api/rooms", ANA, "{\"name\":\"Two\"}");
        assertEquals(409, full.status());

        assertEquals("invalid", call("PUT", "/api/admin/settings", ADMIN, "{\"maxRooms\":0}").code());
        assertEquals("invalid", call("PUT", "/api/admin/settings", ADMIN, "{\"maxRooms\":\"many\"}").code());
        assertEquals("invalid", call("PUT", "/api/admin/settings", ADMIN,
                "{\"maxFileBytes\":" + (ceiling + 1) + "}").code());
        assertEquals("invalid", call("PUT", "/api/admin/settings", ADMIN, "{\"roomInactivityTimeoutSeconds\":-1}").code());
        assertEquals(1, call("GET", "/api/admin/settings", ADMIN, null).body().path("maxRooms").asInt(),
                "refused changes change nothing");
    }

    @Test
    void purgeInactiveDeletesIdleRoomsOnDemand() throws Exception {
        server.chat().updateSettings(server.chat().settings().withRoomInactivityTimeout(Duration.ofHours(1)));
        RoomId old = room("Old");
        clock.advance(Duration.ofMinutes(61));
        RoomId fresh = room("Fresh");

        Reply purged = call("POST", "/api/admin/purge-inactive", ADMIN, null);

        assertEquals(200, purged.status());
        assertEquals(List.of(old.value()), JSON.convertValue(purged.body().path("purged"), List.class));
        assertTrue(server.chat().room(old).isEmpty());
        assertTrue(server.chat().room(fresh).isPresent());
    }

    @Test
    void unknownAdminPathsAreNotFound() throws Exception {
        assertEquals("not_found", call("GET", "/api/admin/nothing", ADMIN, null).code());
        assertEquals(405, call("POST", "/api/admin/stats", ADMIN, null).status());
    }
}
