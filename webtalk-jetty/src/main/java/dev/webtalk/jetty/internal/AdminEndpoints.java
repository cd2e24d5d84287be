package dev.webtalk.jetty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.ActivityEvent;
import dev.webtalk.AuditEntry;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.MemberRole;
import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.RoomNotFoundException;
import dev.webtalk.RoomOverview;
import dev.webtalk.RoomSettings;
import dev.webtalk.ServerSettings;
import dev.webtalk.ServerStats;
import dev.webtalk.UserId;
import dev.webtalk.WebTalk;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API under {@code <apiPath>/admin} (see docs/PROTOCOL.md): statistics, the room table,
 * deleting and archiving rooms, settings, purging inactive rooms. The servlet has already made sure
 * the caller is an admin. Room moderation (kick, ban, unban, mute, unmute, set role, transfer ownership,
 * deleting a message, changing the room's settings) runs as the admin through the same permission table as
 * every other path; the audit log and restrictions are read as the host.
 */
final class AdminEndpoints {
    private static final Pattern ROOM = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})");
    private static final Pattern ROOM_ACTION = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/(archive|unarchive)");
    private static final Pattern ROOM_LOG = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/(audit|restrictions)");
    private static final Pattern MEMBER_ACTION =
            Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/members/([^/]{1,128})/(kick|ban|unban|mute|unmute|role)");
    private static final Pattern ROOM_MESSAGE = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/messages/([0-9]{1,18})");
    private static final Pattern ROOM_CHANGE = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/(settings|owner)");
    private static final int MAX_QUERY_CHARS = 100;
    private static final Map<String, Comparator<RoomOverview>> SORTS = Map.of(
            "name", Comparator.comparing((RoomOverview r) -> r.room().name(), String.CASE_INSENSITIVE_ORDER),
            "created", Comparator.comparing((RoomOverview r) -> r.room().createdAt()),
            "members", Comparator.comparingInt(RoomOverview::memberCount),
            "online", Comparator.comparingInt(RoomOverview::onlineCount),
            "messages", Comparator.comparingLong(RoomOverview::messageCount),
            "lastActivity", Comparator.comparing(RoomOverview::lastActivity));

    private final WebTalk engine;
    private final HttpJson json;

    AdminEndpoints(WebTalk engine, HttpJson json) {
        this.engine = engine;
        this.json = json;
    }

    /** Serves {@code path} (what follows {@code /admin}) for an admin caller. */
    void handle(Principal caller, String path, HttpServletRequest request, HttpServletResponse response,
                RestApiServlet servlet) throws IOException {
        String method = request.getMethod();
        switch (path) {
            case "/stats" -> {
                require(method, "GET", response);
                json.write(response, 200, stats(engine.stats()));
                return;
            }
            case "/rooms" -> {
                require(method, "GET", response);
                json.write(response, 200, rooms(request));
                return;
            }
            case "/activity" -> {
                require(method, "GET", response);
                json.write(response, 200, activity(request));
                return;
            }
            case "/settings" -> {
                switch (method) {
                    case "GET" -> json.write(response, 200, settings(engine.settings()));
                    case "PUT" -> json.write(response, 200, settings(engine.updateSettings(
                            changed(engine.settings(), servlet.readBody(request)))));
                    default -> throw RestApiServlet.methodNotAllowed(response, "GET, PUT");
                }
                return;
            }
            case "/purge-inactive" -> {
                require(method, "POST", response);
                ObjectNode answer = json.codec().empty();
                ArrayNode purged = answer.putArray("purged");
                engine.purgeInactiveRooms().forEach(id -> purged.add(id.value()));
                json.write(response, 200, answer);
                return;
            }
            default -> {
            }
        }
        Matcher room = ROOM.matcher(path);
        if (room.matches()) {
            require(method, "DELETE", response);
            engine.deleteRoom(caller, RoomId.of(room.group(1)));
            json.write(response, 200, json.codec().empty());
            return;
        }
        Matcher action = ROOM_ACTION.matcher(path);
        if (action.matches()) {
            require(method, "POST", response);
            RoomId id = RoomId.of(action.group(1));
            if (action.group(2).equals("archive")) {
                engine.archiveRoom(caller, id);
            } else {
                engine.unarchiveRoom(caller, id);
            }
            RoomOverview overview = engine.roomOverviews().stream().filter(r -> r.room().id().equals(id)).findFirst()
                    .orElseThrow(() -> new RoomNotFoundException("No room " + id));
            ObjectNode answer = json.codec().empty();
            answer.set("room", room(overview));
            json.write(response, 200, answer);
            return;
        }
        Matcher log = ROOM_LOG.matcher(path);
        if (log.matches()) {
            require(method, "GET", response);
            RoomId id = RoomId.of(log.group(1));
            if (log.group(2).equals("audit")) {
                Long before = RestApiServlet.longParam(request, "before");
                Long limit = RestApiServlet.longParam(request, "limit");
                Integer boundedLimit = limit == null ? null : (int) Math.max(-1, Math.min(limit, 10_000));
                json.write(response, 200, json.codec().audit(engine.auditLog(id, before, boundedLimit)));
            } else {
                json.write(response, 200, json.codec().restrictions(engine.restrictions(id)));
            }
            return;
        }
        Matcher member = MEMBER_ACTION.matcher(path);
        if (member.matches()) {
            require(method, "POST", response);
            RoomId id = RoomId.of(member.group(1));
            UserId target = UserId.of(member.group(2));
            if (member.group(3).equals("role")) {
                answer(engine.setRole(caller, id, target, role(servlet.readBody(request))), response);
            } else {
                moderate(caller, id, target, member.group(3), servlet.readBody(request, false), response);
            }
            return;
        }
        Matcher message = ROOM_MESSAGE.matcher(path);
        if (message.matches()) {
            require(method, "DELETE", response);
            engine.deleteMessage(caller, RoomId.of(message.group(1)), Long.parseLong(message.group(2)));
            json.write(response, 200, json.codec().empty());
            return;
        }
        Matcher change = ROOM_CHANGE.matcher(path);
        if (change.matches()) {
            RoomId id = RoomId.of(change.group(1));
            if (change.group(2).equals("settings")) {
                require(method, "PUT", response);
                updateRoomSettings(caller, id, servlet.readBody(request), response);
            } else {
                require(method, "POST", response);
                String user = RestApiServlet.optionalText(servlet.readBody(request), "user");
                if (user == null || user.isEmpty() || user.length() > 128) {
                    throw new InvalidRequestException("'user' (a user id, 1..128 characters) is required");
                }
                answer(Optional.of(engine.transferOwnership(caller, id, UserId.of(user))), response);
            }
            return;
        }
        throw new RestApiServlet.Refusal(ErrorCode.NOT_FOUND, "No such admin endpoint");
    }

    /** Kick, ban, unban, mute or unmute as the admin; answers {@code {"entry":…}}, or {@code {}} when nothing changed. */
    private void moderate(Principal caller, RoomId room, UserId target, String action, ObjectNode body,
                          HttpServletResponse response) throws IOException {
        String reason = RestApiServlet.optionalText(body, "reason");
        Long seconds = longField(body, "duration");
        boolean timed = action.equals("ban") || action.equals("mute");
        if ((seconds != null || reason != null) && !timed && !action.equals("kick")) {
            throw new InvalidRequestException("'" + action + "' takes no reason or duration");
        }
        if (seconds != null && !timed) {
            throw new InvalidRequestException("Only bans and mutes take a duration");
        }
        if (seconds != null && seconds < 1) {
            throw new InvalidRequestException("'duration' must be at least 1 second");
        }
        Duration duration = seconds == null ? null : Duration.ofSeconds(Math.min(seconds, MAX_DURATION_SECONDS));
        Optional<AuditEntry> entry = switch (action) {
            case "kick" -> Optional.of(engine.kick(caller, room, target, reason));
            case "ban" -> Optional.of(engine.ban(caller, room, target, reason, duration));
            case "mute" -> Optional.of(engine.mute(caller, room, target, reason, duration));
            case "unban" -> engine.unban(caller, room, target);
            case "unmute" -> engine.unmute(caller, room, target);
            default -> throw new IllegalStateException(action);
        };
        answer(entry, response);
    }

    /** Answers {@code {"entry":…}}, or {@code {}} when nothing changed. */
    private void answer(Optional<AuditEntry> entry, HttpServletResponse response) throws IOException {
        ObjectNode answer = json.codec().empty();
        entry.ifPresent(e -> answer.set("entry", json.codec().auditEntry(e)));
        json.write(response, 200, answer);
    }

    /** {@code {"role":"moderator"|"member"}}. */
    private static MemberRole role(ObjectNode body) {
        String role = RestApiServlet.optionalText(body, "role");
        if ("moderator".equals(role)) {
            return MemberRole.MODERATOR;
        }
        if ("member".equals(role)) {
            return MemberRole.MEMBER;
        }
        throw new InvalidRequestException("'role' must be 'moderator' or 'member'");
    }

    /**
     * Slow mode, lock and topic as the admin; fields left out keep their value. Answers
     * {@code {"settings":…}} and, when something changed, the {@code entry} written for it.
     */
    private void updateRoomSettings(Principal caller, RoomId room, ObjectNode body, HttpServletResponse response)
            throws IOException {
        Long slowMode = longField(body, "slowMode");
        if (slowMode != null && (slowMode < 0 || slowMode > RoomSettings.MAX_SLOW_MODE.toSeconds())) {
            throw new InvalidRequestException("'slowMode' must be 0.." + RoomSettings.MAX_SLOW_MODE.toSeconds());
        }
        JsonNode lockedNode = body.get("locked");
        if (lockedNode != null && !lockedNode.isNull() && !lockedNode.isBoolean()) {
            throw new InvalidRequestException("'locked' must be true or false");
        }
        Boolean locked = lockedNode == null || lockedNode.isNull() ? null : lockedNode.booleanValue();
        String topic = RestApiServlet.optionalText(body, "topic");
        Optional<AuditEntry> entry = engine.updateRoomSettings(caller, room,
                slowMode == null ? null : Duration.ofSeconds(slowMode), locked, topic);
        ObjectNode answer = json.codec().empty();
        answer.set("settings", json.codec().roomSettings(engine.roomSettings(room)));
        entry.ifPresent(e -> answer.set("entry", json.codec().auditEntry(e)));
        json.write(response, 200, answer);
    }

    /** Past the engine's own maximum, so an absurd duration is refused there as {@code invalid}, not overflowed here. */
    private static final long MAX_DURATION_SECONDS = Duration.ofDays(36_500).toSeconds();

    private static void require(String method, String expected, HttpServletResponse response) {
        if (!method.equals(expected)) {
            throw RestApiServlet.methodNotAllowed(response, expected);
        }
    }

    private ObjectNode rooms(HttpServletRequest request) {
        ServletAuthRequest query = new ServletAuthRequest(request);
        String q = query.queryParameter("q").orElse("").strip();
        if (q.length() > MAX_QUERY_CHARS) {
            throw new InvalidRequestException("'q' has at most " + MAX_QUERY_CHARS + " characters");
        }
        String sort = query.queryParameter("sort").filter(s -> !s.isEmpty()).orElse("created");
        Comparator<RoomOverview> order = SORTS.get(sort);
        if (order == null) {
            throw new InvalidRequestException("'sort' must be one of " + String.join(", ", SORTS.keySet().stream().sorted().toList()));
        }
        String direction = query.queryParameter("order").filter(s -> !s.isEmpty()).orElse("asc");
        if (direction.equals("desc")) {
            order = order.reversed();
        } else if (!direction.equals("asc")) {
            throw new InvalidRequestException("'order' must be asc or desc");
        }
        String needle = q.toLowerCase(Locale.ROOT);
        List<RoomOverview> rooms = engine.roomOverviews().stream()
                .filter(r -> needle.isEmpty() || r.room().name().toLowerCase(Locale.ROOT).contains(needle)
                        || r.room().id().value().toLowerCase(Locale.ROOT).equals(needle))
                .sorted(order.thenComparing(r -> r.room().id().value()))
                .toList();
        ObjectNode answer = json.codec().empty();
        ArrayNode list = answer.putArray("rooms");
        rooms.forEach(r -> list.add(room(r)));
        return answer;
    }

    /** {@code range} 24h (hourly buckets, the default) or 7d (6-hour buckets). */
    private ObjectNode activity(HttpServletRequest request) {
        String range = new ServletAuthRequest(request).queryParameter("range").filter(s -> !s.isEmpty()).orElse("24h");
        java.time.Duration bucket;
        int count;
        switch (range) {
            case "24h" -> {
                bucket = java.time.Duration.ofHours(1);
                count = 24;
            }
            case "7d" -> {
                bucket = java.time.Duration.ofHours(6);
                count = 28;
            }
            default -> throw new InvalidRequestException("'range' must be 24h or 7d");
        }
        ObjectNode answer = json.codec().empty().put("range", range).put("bucketSeconds", bucket.toSeconds());
        ArrayNode buckets = answer.putArray("buckets");
        for (dev.webtalk.ActivityBucket b : engine.activity(bucket, count)) {
            buckets.addObject().put("start", b.start().toEpochMilli()).put("messages", b.messages())
                    .put("activeUsers", b.activeUsers());
        }
        return answer;
    }

    private ObjectNode room(RoomOverview r) {
        ObjectNode node = json.codec().empty()
                .put("id", r.room().id().value())
                .put("name", r.room().name())
                .put("ownerId", r.room().ownerId().value())
                .put("hasPassword", r.room().hasPassword())
                .put("createdAt", r.room().createdAt().toEpochMilli())
                .put("members", r.memberCount())
                .put("online", r.onlineCount())
                .put("messages", r.messageCount())
                .put("lastActivity", r.lastActivity().toEpochMilli())
                .put("archived", r.archived());
        putInstant(node, "archivedAt", r.archivedAt());
        return node;
    }

    private ObjectNode stats(ServerStats s) {
        ObjectNode node = json.codec().empty()
                .put("roomsTotal", s.roomsTotal())
                .put("roomsActive", s.roomsActive())
                .put("roomsArchived", s.roomsArchived())
                .put("usersOnline", s.usersOnline())
                .put("connections", s.connections())
                .put("messagesToday", s.messagesToday())
                .put("messagesTotal", s.messagesTotal())
                .put("uploads", s.files())
                .put("bytesStored", s.bytesStored())
                .put("startedAt", s.startedAt().toEpochMilli())
                .put("uptimeSeconds", s.uptime().toSeconds());
        ArrayNode activity = node.putArray("activity");
        for (ActivityEvent e : s.recentActivity()) {
            ObjectNode item = activity.addObject().put("at", e.at().toEpochMilli()).put("type", e.type().wire());
            item.put("room", e.roomId() == null ? null : e.roomId().value());
            item.put("roomName", e.roomName());
            item.put("actor", e.actorName());
        }
        return node;
    }

    private ObjectNode settings(ServerSettings s) {
        return json.codec().empty()
                .put("maxRooms", s.maxRooms())
                .put("roomInactivityTimeoutSeconds", s.roomInactivityTimeout().toSeconds())
                .put("maxFileBytes", s.maxFileBytes())
                .put("maxFileBytesCeiling", engine.fileSizeCeiling());
    }

    /** {@code current} with the fields the body names; fields it leaves out keep their value. */
    private static ServerSettings changed(ServerSettings current, ObjectNode body) {
        ServerSettings next = current;
        Long maxRooms = longField(body, "maxRooms");
        if (maxRooms != null) {
            next = next.withMaxRooms((int) Math.max(Math.min(maxRooms, Integer.MAX_VALUE), 0));
        }
        Long timeout = longField(body, "roomInactivityTimeoutSeconds");
        if (timeout != null) {
            if (timeout < 0 || timeout > ServerSettings.MAX_INACTIVITY_TIMEOUT.toSeconds()) {
                throw new InvalidRequestException("'roomInactivityTimeoutSeconds' must be 0 (never) up to "
                        + ServerSettings.MAX_INACTIVITY_TIMEOUT.toSeconds());
            }
            next = next.withRoomInactivityTimeout(Duration.ofSeconds(timeout));
        }
        Long maxFileBytes = longField(body, "maxFileBytes");
        if (maxFileBytes != null) {
            next = next.withMaxFileBytes(maxFileBytes);
        }
        return next;
    }

    private static Long longField(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidRequestException("'" + field + "' must be an integer");
        }
        return node.longValue();
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toEpochMilli());
        }
    }
}
