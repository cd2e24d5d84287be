package dev.webtalk.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.AuditEntry;
import dev.webtalk.AuditPage;
import dev.webtalk.HistoryPage;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.Limits;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.ModerationAction;
import dev.webtalk.Restriction;
import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSummary;
import dev.webtalk.UnknownTypeException;
import dev.webtalk.WebTalkException;
import dev.webtalk.spi.OutboundFrame;

import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Encodes and decodes protocol v1 (docs/PROTOCOL.md). Decoding is bounded (nesting depth, string and
 * number length) so hostile frames cannot exhaust memory or stack. Encoders return JSON objects or
 * ready {@link OutboundFrame}s; transports use the object encoders to answer REST calls in the same
 * shapes as WebSocket replies. Thread-safe.
 *
 * <p>Not API: serves WebTalk's own transports and may change in any release.
 *
 * @hidden
 */
public final class ProtocolCodec {
    /** The protocol version announced in {@code welcome}. */
    public static final int VERSION = 2;
    /** Deepest JSON nesting a frame may have. */
    public static final int MAX_NESTING_DEPTH = 16;
    /**
     * Longest number literal a frame may hold, in characters (Jackson's own default): a longer one makes
     * the frame malformed, answered with the request's id when it can be found.
     */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Longest request id, in characters. */
    public static final int MAX_ID_CHARS = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    public ProtocolCodec(Limits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(limits.maxFrameBytes())
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .build();
        // One object per frame: "{...} junk" or two objects in one frame are malformed, not a request.
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The outcome of decoding one frame: a request, or the error to answer (with the id, when one was read). */
    public sealed interface Decoded {
        /** A well-formed request. */
        record Ok(ClientFrame frame) implements Decoded {
        }

        /** A frame that cannot be served; {@code id} is {@code null} when none could be read. */
        record Failed(String id, WebTalkException error) implements Decoded {
        }
    }

    /** Decodes one inbound text frame. Never throws. */
    public Decoded decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return new Decoded.Failed(RequestIdScan.idOf(text), new InvalidRequestException("Malformed JSON frame"));
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Failed(null, new InvalidRequestException("A frame must be a JSON object"));
        }
        String id;
        try {
            id = requestId(root);
        } catch (InvalidRequestException e) {
            return new Decoded.Failed(null, e);
        }
        try {
            return new Decoded.Ok(frame(root, id));
        } catch (WebTalkException e) {
            return new Decoded.Failed(id, e);
        }
    }

    private static String requestId(JsonNode root) {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new InvalidRequestException("'id' must be a string or an integer");
        }
        String value = id.asText();
        if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw new InvalidRequestException("'id' must be 1.." + MAX_ID_CHARS + " characters");
        }
        return value;
    }

    private static ClientFrame frame(JsonNode root, String id) {
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new InvalidRequestException("'type' must be a string");
        }
        String type = typeNode.asText();
        return switch (type) {
            case "list_rooms" -> new ClientFrame.ListRooms(id);
            case "create_room" -> new ClientFrame.CreateRoom(id, text(root, "name", true), text(root, "password", false));
            case "join" -> new ClientFrame.Join(id, text(root, "room", true), text(root, "password", false),
                    presentInteger(root, "since"));
            case "leave" -> new ClientFrame.Leave(id, text(root, "room", true));
            case "send" -> new ClientFrame.Send(id, text(root, "room", true), text(root, "text", true),
                    text(root, "clientMsgId", false), presentInteger(root, "replyTo"));
            case "react" -> new ClientFrame.React(id, text(root, "room", true), integer(root, "seq", true),
                    text(root, "emoji", true), bool(root, "add"));
            case "pin", "unpin" -> new ClientFrame.Pin(id, text(root, "room", true), integer(root, "seq", true),
                    type.equals("pin"));
            case "mark_read" -> new ClientFrame.MarkRead(id, text(root, "room", true), integer(root, "seq", true));
            case "delete_message" -> new ClientFrame.DeleteMessage(id, text(root, "room", true), integer(root, "seq", true));
            case "edit_message" -> new ClientFrame.EditMessage(id, text(root, "room", true), integer(root, "seq", true),
                    text(root, "text", true));
            case "message_edits" -> new ClientFrame.MessageEdits(id, text(root, "room", true), integer(root, "seq", true));
            case "history" -> {
                Long before = integer(root, "before", false);
                Long limit = integer(root, "limit", false);
                yield new ClientFrame.History(id, text(root, "room", true), before,
                        limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
            }
            case "members" -> {
                Long limit = integer(root, "limit", false);
                yield new ClientFrame.Members(id, text(root, "room", true), text(root, "after", false),
                        limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
            }
            case "typing" -> new ClientFrame.Typing(id, text(root, "room", true));
            case "delete_room" -> new ClientFrame.DeleteRoom(id, text(root, "room", true));
            case "ping" -> new ClientFrame.Ping(id);
            case "kick", "ban", "unban", "mute", "unmute", "set_role", "transfer_ownership" ->
                    new ClientFrame.Moderate(id, ModerationAction.fromWire(type).orElseThrow(), text(root, "room", true),
                            text(root, "user", true), text(root, "reason", false), integer(root, "duration", false),
                            text(root, "role", false));
            case "set_room" -> new ClientFrame.SetRoom(id, text(root, "room", true), integer(root, "slowMode", false),
                    bool(root, "locked"), text(root, "topic", false));
            case "restrictions" -> new ClientFrame.Restrictions(id, text(root, "room", true));
            case "audit" -> {
                Long limit = integer(root, "limit", false);
                yield new ClientFrame.Audit(id, text(root, "room", true), integer(root, "before", false),
                        limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)));
            }
            default -> throw new UnknownTypeException("Unknown frame type '" + abbreviate(type) + "'");
        };
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException("'" + field + "' is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException("'" + field + "' must be a string");
        }
        return node.asText();
    }

    private static Long integer(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException("'" + field + "' is required");
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidRequestException("'" + field + "' must be an integer");
        }
        return node.asLong();
    }

    /** An optional integer that, when present, must be one: an explicit {@code null} is {@code invalid} too. */
    private static Long presentInteger(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node != null && node.isNull()) {
            throw new InvalidRequestException("'" + field + "' must be an integer");
        }
        return integer(root, field, false);
    }

    private static Boolean bool(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new InvalidRequestException("'" + field + "' must be true or false");
        }
        return node.asBoolean();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    // ---- JSON views, shared by WebSocket replies and REST bodies ----

    /** A room as listed to users: never includes the password hash. */
    public ObjectNode room(RoomSummary summary) {
        ObjectNode node = NODES.objectNode();
        node.put("id", summary.room().id().value());
        node.put("name", summary.room().name());
        node.put("hasPassword", summary.room().hasPassword());
        if (summary.room().ownerId().equals(dev.webtalk.WebTalk.SYSTEM_USER)) {
            node.putNull("ownerId"); // created by the server (Principal.system()): no user owns it
        } else {
            node.put("ownerId", summary.room().ownerId().value());
        }
        if (summary.ownerName() != null) {
            node.put("ownerName", summary.ownerName());
        }
        node.put("createdAt", summary.room().createdAt().toEpochMilli());
        node.put("members", summary.memberCount());
        node.put("online", summary.onlineCount());
        return node;
    }

    /** {@code {"rooms":[…]}}. */
    public ObjectNode rooms(Collection<RoomSummary> rooms) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("rooms");
        rooms.forEach(r -> array.add(room(r)));
        return node;
    }

    /** A message; a deleted one carries no text. */
    public ObjectNode message(Message m) {
        return message(m, MessageContext.NONE);
    }

    /** A message with what its reader sees around it (see {@link MessageContext}). */
    public ObjectNode message(Message m, MessageContext context) {
        ObjectNode node = NODES.objectNode();
        node.put("room", m.roomId().value());
        node.put("seq", m.seq());
        ObjectNode author = node.putObject("author");
        author.put("id", m.authorId().value());
        author.put("name", m.authorName());
        node.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
        if (m.isDeleted()) {
            node.putNull("text");
        } else {
            node.put("text", m.text());
        }
        if (m.clientMsgId() != null) {
            node.put("clientMsgId", m.clientMsgId());
        }
        if (m.attachment() != null) {
            ObjectNode file = node.putObject("file");
            file.put("id", m.attachment().id());
            file.put("name", m.attachment().name());
            file.put("type", m.attachment().mediaType());
            file.put("size", m.attachment().size());
        }
        node.put("createdAt", m.createdAt().toEpochMilli());
        node.put("deleted", m.isDeleted());
        if (m.isDeleted()) {
            node.put("deletedAt", m.deletedAt().toEpochMilli());
        }
        if (m.isEdited()) {
            node.put("editedAt", m.editedAt().toEpochMilli());
        }
        if (m.replyTo() > 0) {
            ObjectNode reply = node.putObject("replyTo");
            reply.put("seq", m.replyTo());
            MessageContext.ReplyPreview preview = context.reply();
            if (preview != null) {
                ObjectNode by = reply.putObject("author");
                by.put("id", preview.authorId());
                by.put("name", preview.authorName());
                if (preview.excerpt() == null) {
                    reply.putNull("text");
                } else {
                    reply.put("text", preview.excerpt());
                }
                reply.put("deleted", preview.deleted());
            }
        }
        if (!m.mentions().isEmpty()) {
            ArrayNode mentions = node.putArray("mentions");
            m.mentions().forEach(u -> mentions.add(u.value()));
        }
        if (m.mentionsRoom()) {
            node.put("mentionsRoom", true);
        }
        // Left out when none, so a message that has neither reads the same in a reply and in a push.
        if (context.reactions() != null && !context.reactions().isEmpty()) {
            node.set("reactions", reactions(context.reactions()));
        }
        if (Boolean.TRUE.equals(context.pinned())) {
            node.put("pinned", true);
        }
        return node;
    }

    /** Reactions as {@code [{"emoji":…,"count":…,"mine":…}]}; {@code mine} only with {@code withMine}. */
    private static ArrayNode reactions(List<dev.webtalk.Reaction> reactions, boolean withMine) {
        ArrayNode array = NODES.arrayNode();
        for (dev.webtalk.Reaction r : reactions) {
            ObjectNode o = array.addObject();
            o.put("emoji", r.emoji());
            o.put("count", r.count());
            if (withMine) {
                o.put("mine", r.mine());
            }
        }
        return array;
    }

    private static ArrayNode reactions(List<dev.webtalk.Reaction> reactions) {
        return reactions(reactions, true);
    }

    /**
     * Push: the reactions on a message changed, up to stream position {@code pos} (several changes may be
     * coalesced into one push). {@code mine}: the reader's own emoji, for a frame to one user's
     * connections; {@code null} for the frame everyone else shares, which carries counts only.
     */
    public OutboundFrame reactionsPush(dev.webtalk.RoomId room, long seq, long pos, List<dev.webtalk.Reaction> reactions,
                                       boolean withMine) {
        ObjectNode node = frame("reactions");
        node.put("room", room.value());
        node.put("pos", pos);
        node.put("seq", seq);
        node.set("reactions", reactions(reactions, withMine));
        return out(node);
    }

    /** Push: a message was pinned ({@code pinned}) or unpinned by {@code actor}, at {@code pos}. */
    public OutboundFrame pinnedPush(Message m, long pos, boolean pinned, dev.webtalk.Principal actor, MessageContext context) {
        ObjectNode node = frame("pinned");
        node.put("room", m.roomId().value());
        node.put("pos", pos);
        node.put("seq", m.seq());
        node.put("pinned", pinned);
        ObjectNode by = node.putObject("by");
        by.put("id", actor.id().value());
        by.put("name", actor.displayName());
        node.set("message", message(m, context));
        return out(node);
    }

    /** Push to one user's own connections: how far they have read a room, and what is left. */
    public OutboundFrame readPush(dev.webtalk.ReadState state) {
        ObjectNode node = frame("read");
        node.put("room", state.roomId().value());
        node.put("seq", state.readSeq());
        node.put("unread", state.unread());
        node.put("mentions", state.mentions());
        return out(node);
    }

    /** {@code {"pins":[{"seq":…,"by":…,"at":…,"message":…}]}} entries, oldest pin first. */
    public ArrayNode pins(List<dev.webtalk.Pin> pins, java.util.function.Function<dev.webtalk.Pin, ObjectNode> message) {
        ArrayNode array = NODES.arrayNode();
        for (dev.webtalk.Pin p : pins) {
            ObjectNode o = array.addObject();
            o.put("seq", p.seq());
            o.put("by", p.pinnedBy().value());
            o.put("at", p.pinnedAt().toEpochMilli());
            o.set("message", message.apply(p));
        }
        return array;
    }

    /** {@code {"edits":[{"text":…,"replacedAt":…}, …]}}, oldest first. */
    public ObjectNode edits(List<dev.webtalk.MessageEdit> edits) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("edits");
        for (dev.webtalk.MessageEdit e : edits) {
            array.addObject().put("text", e.text()).put("replacedAt", e.replacedAt().toEpochMilli());
        }
        return node;
    }

    /** {@code {"messages":[…],"hasMore":…}}. */
    public ObjectNode history(HistoryPage page) {
        return history(page, m -> MessageContext.NONE);
    }

    /** {@code {"messages":[…],"hasMore":…}}, each message with its context for the reader. */
    public ObjectNode history(HistoryPage page, java.util.function.Function<Message, MessageContext> contexts) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("messages");
        page.messages().forEach(m -> array.add(message(m, contexts.apply(m))));
        node.put("hasMore", page.hasMore());
        return node;
    }

    /** One audit log entry. */
    public ObjectNode auditEntry(AuditEntry e) {
        ObjectNode node = NODES.objectNode();
        node.put("id", e.id());
        node.put("action", e.action().wire());
        ObjectNode actor = node.putObject("actor");
        actor.put("id", e.actorId().value());
        actor.put("name", e.actorName());
        if (e.targetId() != null) {
            ObjectNode target = node.putObject("target");
            target.put("id", e.targetId().value());
            if (e.targetName() != null) {
                target.put("name", e.targetName());
            }
        }
        moderationFields(node, e);
        node.put("at", e.at().toEpochMilli());
        return node;
    }

    /** {@code {"entries":[…],"hasMore":…}}, newest first. */
    public ObjectNode audit(AuditPage page) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("entries");
        page.entries().forEach(e -> array.add(auditEntry(e)));
        node.put("hasMore", page.hasMore());
        return node;
    }

    /** A ban or mute as listed to moderators. */
    public ObjectNode restriction(Restriction r) {
        ObjectNode node = NODES.objectNode();
        node.put("user", r.userId().value());
        if (r.userName() != null) {
            node.put("userName", r.userName());
        }
        node.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
        if (r.reason() != null) {
            node.put("reason", r.reason());
        }
        if (r.until() != null) {
            node.put("until", r.until().toEpochMilli());
        }
        node.put("actor", r.actorId().value());
        node.put("createdAt", r.createdAt().toEpochMilli());
        return node;
    }

    /** {@code {"restrictions":[…]}}. */
    public ObjectNode restrictions(Collection<Restriction> list) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("restrictions");
        list.forEach(r -> array.add(restriction(r)));
        return node;
    }

    private void moderationFields(ObjectNode node, AuditEntry e) {
        if (e.reason() != null) {
            node.put("reason", e.reason());
        }
        if (e.until() != null) {
            node.put("until", e.until().toEpochMilli());
        }
        if (e.seq() != null) {
            node.put("seq", e.seq());
        }
        if (e.role() != null) {
            node.put("role", e.role().name().toLowerCase(Locale.ROOT));
        }
        if (e.settings() != null) {
            node.set("settings", roomSettings(e.settings()));
        }
    }

    /** A room's settings: {@code slowMode} in seconds, {@code locked}, {@code topic} (null when none). */
    public ObjectNode roomSettings(dev.webtalk.RoomSettings s) {
        ObjectNode node = NODES.objectNode();
        node.put("slowMode", s.slowMode().toSeconds());
        node.put("locked", s.locked());
        if (s.topic() == null) {
            node.putNull("topic");
        } else {
            node.put("topic", s.topic());
        }
        return node;
    }

    /** Push: the room's settings changed. */
    public OutboundFrame roomUpdated(String roomId, dev.webtalk.RoomSettings s, long pos) {
        ObjectNode node = frame("room_updated");
        node.put("room", roomId);
        node.put("pos", pos);
        node.set("settings", roomSettings(s));
        return out(node);
    }

    /** A member as listed in a join reply. */
    public ObjectNode member(Member member, boolean online) {
        ObjectNode node = NODES.objectNode();
        node.put("id", member.userId().value());
        node.put("name", member.displayName());
        node.put("role", member.role().name().toLowerCase(Locale.ROOT));
        node.put("online", online);
        return node;
    }

    /** The REST error body: {@code {"error":{"code":…,"message":…}}}. */
    public ObjectNode errorBody(ErrorCode code, String message) {
        return errorBody(code, message, java.util.Map.of());
    }

    /** The REST error body with extra fields next to the code (see {@link WebTalkException#details()}). */
    public ObjectNode errorBody(ErrorCode code, String message, java.util.Map<String, Object> details) {
        ObjectNode node = NODES.objectNode();
        ObjectNode error = node.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        details.forEach((k, v) -> error.set(k, mapper.valueToTree(v)));
        return node;
    }

    /** An empty JSON object. */
    public ObjectNode empty() {
        return NODES.objectNode();
    }

    /** Reads a JSON request body with the same bounds as frames; {@code invalid} when it is not an object. */
    public ObjectNode readObject(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidRequestException("The body must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Malformed JSON body");
        }
    }

    /** Serializes any JSON node. */
    public String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Server frames ----

    /** {@code welcome}, the first frame on every connection. */
    public OutboundFrame welcome(Principal principal, Limits limits) {
        ObjectNode node = frame("welcome");
        node.put("protocol", VERSION);
        ObjectNode user = node.putObject("user");
        user.put("id", principal.id().value());
        user.put("name", principal.displayName());
        user.put("admin", principal.isAdmin());
        ObjectNode l = node.putObject("limits");
        l.put("maxMessageChars", limits.maxMessageChars());
        l.put("maxFrameBytes", limits.maxFrameBytes());
        l.put("historyPageMax", limits.historyPageMax());
        l.put("maxRoomNameChars", limits.maxRoomNameChars());
        return out(node);
    }

    /** A successful reply. */
    public OutboundFrame result(String id, JsonNode result) {
        ObjectNode node = frame("result");
        node.put("id", id);
        node.set("result", result);
        return out(node);
    }

    /** An error reply; {@code id} may be {@code null}. */
    public OutboundFrame error(String id, ErrorCode code, String message) {
        return error(id, code, message, java.util.Map.of());
    }

    /** An error reply with extra fields (see {@link WebTalkException#details()}); {@code id} may be {@code null}. */
    public OutboundFrame error(String id, ErrorCode code, String message, java.util.Map<String, Object> details) {
        ObjectNode node = frame("error");
        if (id != null) {
            node.put("id", id);
        }
        node.put("code", code.wire());
        node.put("message", message);
        details.forEach((k, v) -> node.set(k, mapper.valueToTree(v)));
        return out(node);
    }

    /** Push: a new message, at stream position {@code pos}. */
    public OutboundFrame messagePush(Message m, long pos) {
        return messagePush(m, pos, MessageContext.NONE);
    }

    /** Push: a new message, at stream position {@code pos}, with the preview of the message it answers. */
    public OutboundFrame messagePush(Message m, long pos, MessageContext context) {
        ObjectNode node = frame("message");
        node.put("room", m.roomId().value());
        node.put("pos", pos);
        node.set("message", message(m, context));
        return out(node);
    }

    /** Push: a message's text was edited by its author, at stream position {@code pos}; carries the whole message. */
    public OutboundFrame messageEdited(Message m, long pos, MessageContext context) {
        ObjectNode node = frame("message_edited");
        node.put("room", m.roomId().value());
        node.put("pos", pos);
        node.set("message", message(m, context));
        return out(node);
    }

    /**
     * Push: a message was deleted, at stream position {@code pos}; {@code m} is its deleted form, sent
     * whole so a client holds exactly what the server does (the deletion time included).
     */
    public OutboundFrame messageDeleted(Message m, long pos, MessageContext context) {
        ObjectNode node = frame("message_deleted");
        node.put("room", m.roomId().value());
        node.put("pos", pos);
        node.put("seq", m.seq());
        node.set("message", message(m, context));
        return out(node);
    }

    /** Push: a user became present in a room. */
    public OutboundFrame memberJoined(Member member) {
        ObjectNode node = frame("member_joined");
        node.put("room", member.roomId().value());
        node.set("user", user(member));
        return out(node);
    }

    /**
     * Push: several users became present in one room at about the same time (a burst of joins), in
     * the order they did; sent to everyone present, the joined users included, instead of one
     * {@link #memberJoined} per user to everyone else.
     */
    public OutboundFrame membersJoined(RoomId room, List<Member> members) {
        ObjectNode node = frame("members_joined");
        node.put("room", room.value());
        ArrayNode users = node.putArray("users");
        members.forEach(m -> users.add(user(m)));
        return out(node);
    }

    /** Push: a user's last connection left a room; {@code reason} is {@code left} or {@code disconnected}. */
    public OutboundFrame memberLeft(Member member, String reason) {
        ObjectNode node = frame("member_left");
        node.put("room", member.roomId().value());
        node.set("user", user(member));
        node.put("reason", reason);
        return out(node);
    }

    /** Push: a user is typing. */
    public OutboundFrame typing(String roomId, Principal principal) {
        ObjectNode node = frame("typing");
        node.put("room", roomId);
        ObjectNode user = node.putObject("user");
        user.put("id", principal.id().value());
        user.put("name", principal.displayName());
        return out(node);
    }

    /** Push: the room was deleted. */
    public OutboundFrame roomDeleted(String roomId) {
        ObjectNode node = frame("room_deleted");
        node.put("room", roomId);
        return out(node);
    }

    /**
     * Push: a moderation action in the room. {@code targetName} is the target's display name, or
     * {@code null} when unknown (e.g. a ban of someone who never joined).
     */
    public OutboundFrame moderation(AuditEntry e, String targetName, long pos) {
        ObjectNode node = frame("moderation");
        node.put("room", e.roomId().value());
        node.put("pos", pos);
        node.put("action", e.action().wire());
        ObjectNode actor = node.putObject("actor");
        actor.put("id", e.actorId().value());
        actor.put("name", e.actorName());
        ObjectNode target = node.putObject("target");
        target.put("id", e.targetId().value());
        if (targetName != null) {
            target.put("name", targetName);
        }
        moderationFields(node, e);
        node.put("at", e.at().toEpochMilli());
        return out(node);
    }

    private static ObjectNode user(Member member) {
        ObjectNode user = NODES.objectNode();
        user.put("id", member.userId().value());
        user.put("name", member.displayName());
        user.put("role", member.role().name().toLowerCase(Locale.ROOT));
        return user;
    }

    private static ObjectNode frame(String type) {
        ObjectNode node = NODES.objectNode();
        node.put("type", type);
        return node;
    }

    private OutboundFrame out(ObjectNode node) {
        return new OutboundFrame(write(node));
    }
}
