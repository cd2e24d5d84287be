package dev.webtalk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.Limits;
import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSummary;
import dev.webtalk.UserId;
import dev.webtalk.spi.OutboundFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProtocolCodec codec = new ProtocolCodec(Limits.defaults());

    private ClientFrame ok(String text) {
        ProtocolCodec.Decoded decoded = codec.decode(text);
        return assertInstanceOf(ProtocolCodec.Decoded.Ok.class, decoded, text).frame();
    }

    private ProtocolCodec.Decoded.Failed failed(String text) {
        return assertInstanceOf(ProtocolCodec.Decoded.Failed.class, codec.decode(text), text);
    }

    private static String nested(int depth) {
        // The frame object itself is level 1; each array adds one.
        return "{\"type\":\"ping\",\"id\":\"d\",\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    void decodesEveryRequestType() {
        assertEquals(new ClientFrame.ListRooms("1"), ok("{\"type\":\"list_rooms\",\"id\":\"1\"}"));
        assertEquals(new ClientFrame.CreateRoom("2", "Study", "pw"), ok("{\"type\":\"create_room\",\"id\":\"2\",\"name\":\"Study\",\"password\":\"pw\"}"));
        assertEquals(new ClientFrame.CreateRoom(null, "Open", null), ok("{\"type\":\"create_room\",\"name\":\"Open\",\"password\":null}"));
        assertEquals(new ClientFrame.Join("3", "Xk3v9QpL", null, null), ok("{\"type\":\"join\",\"id\":\"3\",\"room\":\"Xk3v9QpL\"}"));
        assertEquals(new ClientFrame.Join("3", "R", "pw", 17L), ok("{\"type\":\"join\",\"id\":\"3\",\"room\":\"R\",\"password\":\"pw\",\"since\":17}"));
        assertEquals(ErrorCode.INVALID, failed("{\"type\":\"join\",\"id\":\"3\",\"room\":\"R\",\"since\":\"17\"}").error().code());
        assertEquals(new ClientFrame.Leave("4", "Xk3v9QpL"), ok("{\"type\":\"leave\",\"id\":\"4\",\"room\":\"Xk3v9QpL\"}"));
        assertEquals(new ClientFrame.Send("5", "R", "Hi", "c-1", null), ok("{\"type\":\"send\",\"id\":\"5\",\"room\":\"R\",\"text\":\"Hi\",\"clientMsgId\":\"c-1\"}"));
        assertEquals(new ClientFrame.Send("5", "R", "Yes", null, 41L), ok("{\"type\":\"send\",\"id\":\"5\",\"room\":\"R\",\"text\":\"Yes\",\"replyTo\":41}"));
        assertEquals(new ClientFrame.React("8", "R", 41, "👍", null), ok("{\"type\":\"react\",\"id\":\"8\",\"room\":\"R\",\"seq\":41,\"emoji\":\"👍\"}"));
        assertEquals(new ClientFrame.React("8", "R", 41, "👍", false), ok("{\"type\":\"react\",\"id\":\"8\",\"room\":\"R\",\"seq\":41,\"emoji\":\"👍\",\"add\":false}"));
        assertEquals(new ClientFrame.Pin("9", "R", 41, true), ok("{\"type\":\"pin\",\"id\":\"9\",\"room\":\"R\",\"seq\":41}"));
        assertEquals(new ClientFrame.Pin("9", "R", 41, false), ok("{\"type\":\"unpin\",\"id\":\"9\",\"room\":\"R\",\"seq\":41}"));
        assertEquals(new ClientFrame.MarkRead("10", "R", 41), ok("{\"type\":\"mark_read\",\"id\":\"10\",\"room\":\"R\",\"seq\":41}"));
        assertEquals(ErrorCode.INVALID, failed("{\"type\":\"send\",\"id\":\"5\",\"room\":\"R\",\"text\":\"Hi\",\"replyTo\":\"41\"}").error().code());
        assertEquals(ErrorCode.INVALID, failed("{\"type\":\"react\",\"id\":\"8\",\"room\":\"R\",\"seq\":41}").error().code());
        assertEquals(new ClientFrame.DeleteMessage("6", "R", 42), ok("{\"type\":\"delete_message\",\"id\":\"6\",\"room\":\"R\",\"seq\":42}"));
        assertEquals(new ClientFrame.History("7", "R", 42L, 50), ok("{\"type\":\"history\",\"id\":\"7\",\"room\":\"R\",\"before\":42,\"limit\":50}"));
        assertEquals(new ClientFrame.History(null, "R", null, null), ok("{\"type\":\"history\",\"room\":\"R\"}"));
        assertEquals(new ClientFrame.Typing(null, "R"), ok("{\"type\":\"typing\",\"room\":\"R\"}"));
        assertEquals(new ClientFrame.DeleteRoom("8", "R"), ok("{\"type\":\"delete_room\",\"id\":\"8\",\"room\":\"R\"}"));
        assertEquals(new ClientFrame.Ping("9"), ok("{\"type\":\"ping\",\"id\":9}"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertEquals(new ClientFrame.Join("1", "R", null, null),
                ok("{\"room\":\"R\",\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"type\":\"join\",\"id\":\"1\",\"v\":2}"));
    }

    @Test
    void malformedFramesAreInvalidWithoutId() {
        for (String bad : new String[] {"", " ", "{", "}", "nope", "[]", "[{\"type\":\"ping\"}]", "1", "\"ping\"", "null",
                "{\"type\":\"ping\",}", "{'type':'ping'}", "{\"type\":\"ping\"} {\"type\":\"ping\"}", "{\"type\":\"ping\"} x"}) {
            ProtocolCodec.Decoded.Failed f = failed(bad);
            assertEquals(ErrorCode.INVALID, f.error().code(), bad);
            assertNull(f.id(), bad);
        }
    }

    @Test
    void badFieldsAreInvalidAndKeepTheId() {
        for (String bad : new String[] {
                "{\"id\":\"1\"}",
                "{\"id\":\"1\",\"type\":7}",
                "{\"id\":\"1\",\"type\":\"join\"}",
                "{\"id\":\"1\",\"type\":\"join\",\"room\":5}",
                "{\"id\":\"1\",\"type\":\"send\",\"room\":\"R\",\"text\":[\"a\"]}",
                "{\"id\":\"1\",\"type\":\"delete_message\",\"room\":\"R\",\"seq\":\"4\"}",
                "{\"id\":\"1\",\"type\":\"delete_message\",\"room\":\"R\",\"seq\":4.5}",
                "{\"id\":\"1\",\"type\":\"delete_message\",\"room\":\"R\",\"seq\":99999999999999999999999}",
                "{\"id\":\"1\",\"type\":\"history\",\"room\":\"R\",\"limit\":true}"}) {
            ProtocolCodec.Decoded.Failed f = failed(bad);
            assertEquals(ErrorCode.INVALID, f.error().code(), bad);
            assertEquals("1", f.id(), bad);
        }
    }

    /** Issue #16: a long number literal, even in an ignored field, must not cost the request its reply. */
    @Test
    void longNumberLiteralsAreIgnoredInUnknownFieldsAndTooLongOnesKeepTheId() {
        String digits40 = "1".repeat(40);
        assertEquals(new ClientFrame.Ping("7"), ok("{\"type\":\"ping\",\"id\":\"7\",\"x\":" + digits40 + "}"));
        String huge = "9".repeat(ProtocolCodec.MAX_NUMBER_CHARS + 1);
        for (String bad : new String[] {
                "{\"type\":\"ping\",\"id\":\"7\",\"x\":" + huge + "}",
                "{\"x\":" + huge + ",\"type\":\"ping\",\"id\":\"7\"}",
                "{\"x\":{\"id\":\"nested\"},\"y\":\"}\\\"{\",\"n\":" + huge + ",\"id\":\"7\"}",
                "{\"id\":7,\"n\":" + huge + "}"}) {
            ProtocolCodec.Decoded.Failed f = failed(bad);
            assertEquals(ErrorCode.INVALID, f.error().code(), bad);
            assertEquals("7", f.id(), bad);
        }
        assertNull(failed("{\"id\":\"a\\\"b\",\"n\":" + huge + "}").id(), "an escaped id is not guessed");
        assertNull(failed("{\"n\":" + huge + "}").id());
    }

    @Test
    void anExplicitNullSinceOrReplyToIsInvalid() {
        assertEquals(ErrorCode.INVALID, failed("{\"type\":\"join\",\"id\":\"1\",\"room\":\"R\",\"since\":null}").error().code());
        assertEquals(ErrorCode.INVALID, failed("{\"type\":\"send\",\"id\":\"1\",\"room\":\"R\",\"text\":\"a\",\"replyTo\":null}").error().code());
        assertEquals(new ClientFrame.Join("1", "R", null, null), ok("{\"type\":\"join\",\"id\":\"1\",\"room\":\"R\"}"));
    }

    @Test
    void badIdsAreInvalidWithoutId() {
        for (String bad : new String[] {
                "{\"type\":\"ping\",\"id\":\"\"}",
                "{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}",
                "{\"type\":\"ping\",\"id\":1.5}",
                "{\"type\":\"ping\",\"id\":true}",
                "{\"type\":\"ping\",\"id\":[1]}"}) {
            ProtocolCodec.Decoded.Failed f = failed(bad);
            assertEquals(ErrorCode.INVALID, f.error().code(), bad);
            assertNull(f.id(), bad);
        }
        assertEquals(new ClientFrame.Ping("x".repeat(64)), ok("{\"type\":\"ping\",\"id\":\"" + "x".repeat(64) + "\"}"));
        assertEquals(new ClientFrame.Ping(null), ok("{\"type\":\"ping\",\"id\":null}"));
    }

    @Test
    void unknownTypesAreUnknownTypeAndKeepTheId() {
        ProtocolCodec.Decoded.Failed f = failed("{\"type\":\"teleport\",\"id\":\"1\"}");

        assertEquals(ErrorCode.UNKNOWN_TYPE, f.error().code());
        assertEquals("1", f.id());
        String longType = "t".repeat(10_000);
        assertTrue(failed("{\"type\":\"" + longType + "\"}").error().getMessage().length() < 200, "the echo is abbreviated");
    }

    @Test
    void nestingIsBoundedToTheDocumentedDepth() {
        assertEquals(new ClientFrame.Ping("d"), ok(nested(ProtocolCodec.MAX_NESTING_DEPTH)));

        ProtocolCodec.Decoded.Failed tooDeep = failed(nested(ProtocolCodec.MAX_NESTING_DEPTH + 1));
        assertEquals(ErrorCode.INVALID, tooDeep.error().code());
        ProtocolCodec.Decoded.Failed hostile = failed("[".repeat(100_000));
        assertEquals(ErrorCode.INVALID, hostile.error().code());
    }

    @Test
    void stringsAndNumbersAreBounded() {
        ProtocolCodec small = new ProtocolCodec(Limits.builder().maxFrameBytes(1024).build());

        assertInstanceOf(ProtocolCodec.Decoded.Ok.class,
                small.decode("{\"type\":\"send\",\"room\":\"R\",\"text\":\"" + "x".repeat(1000) + "\"}"));
        assertInstanceOf(ProtocolCodec.Decoded.Failed.class,
                small.decode("{\"type\":\"send\",\"room\":\"R\",\"text\":\"" + "x".repeat(2000) + "\"}"));
        assertInstanceOf(ProtocolCodec.Decoded.Failed.class,
                codec.decode("{\"type\":\"history\",\"room\":\"R\",\"before\":" + "9".repeat(1000) + "}"));
    }

    @Test
    void aHugeLimitIsClampedNotWrapped() {
        assertEquals(new ClientFrame.History("1", "R", null, Integer.MAX_VALUE),
                ok("{\"type\":\"history\",\"id\":\"1\",\"room\":\"R\",\"limit\":9999999999}"));
        assertEquals(new ClientFrame.History("1", "R", null, Integer.MIN_VALUE),
                ok("{\"type\":\"history\",\"id\":\"1\",\"room\":\"R\",\"limit\":-9999999999}"));
    }

    @Test
    void encodesFramesAsDocumented() throws Exception {
        RoomId room = RoomId.of("Xk3v9QpL");
        Instant at = Instant.ofEpochMilli(1764028800123L);
        Message message = new Message(room, 42, UserId.of("u1"), "Ana \"<b>\"", MessageKind.TEXT, "Hi </script>", "c-1", at, null);

        JsonNode push = read(codec.messagePush(message, 77));
        assertEquals("message", push.path("type").asText());
        assertEquals("Xk3v9QpL", push.path("room").asText());
        assertEquals(77, push.path("pos").asLong());
        JsonNode m = push.path("message");
        assertEquals(42, m.path("seq").asLong());
        assertEquals("Ana \"<b>\"", m.path("author").path("name").asText());
        assertEquals("text", m.path("kind").asText());
        assertEquals("Hi </script>", m.path("text").asText());
        assertEquals("c-1", m.path("clientMsgId").asText());
        assertEquals(1764028800123L, m.path("createdAt").asLong());
        assertFalse(m.path("deleted").asBoolean());
        assertFalse(m.has("deletedAt"));

        JsonNode deleted = codec.message(message.deleted(at.plusSeconds(1)));
        assertTrue(deleted.path("text").isNull());
        assertTrue(deleted.path("deleted").asBoolean());
        assertEquals(1764028801123L, deleted.path("deletedAt").asLong());

        JsonNode error = read(codec.error("7", ErrorCode.WRONG_PASSWORD, "Wrong room password"));
        assertEquals("{\"type\":\"error\",\"id\":\"7\",\"code\":\"wrong_password\",\"message\":\"Wrong room password\"}",
                JSON.writeValueAsString(error));
        assertFalse(read(codec.error(null, ErrorCode.INVALID, "x")).has("id"));

        Room r = new Room(room, "General", UserId.of("u1"), "pbkdf2-sha256$1$a$b", at);
        JsonNode summary = codec.room(new RoomSummary(r, 3, 2));
        assertTrue(summary.path("hasPassword").asBoolean());
        assertEquals(3, summary.path("members").asInt());
        assertEquals(2, summary.path("online").asInt());
        assertFalse(summary.toString().contains("pbkdf2"));

        JsonNode typing = read(codec.typing("Xk3v9QpL", Principal.user("u1", "Ana")));
        assertEquals("{\"type\":\"typing\",\"room\":\"Xk3v9QpL\",\"user\":{\"id\":\"u1\",\"name\":\"Ana\"}}",
                JSON.writeValueAsString(typing));
    }

    @Test
    void anOutboundFrameSharesOneUtf8Encoding() {
        OutboundFrame frame = codec.roomDeleted("Räum");

        assertEquals("{\"type\":\"room_deleted\",\"room\":\"Räum\"}", frame.text());
        byte[] expected = frame.text().getBytes(StandardCharsets.UTF_8);
        byte[] first = new byte[frame.utf8().remaining()];
        frame.utf8().get(first);
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(first, StandardCharsets.UTF_8));
        assertTrue(frame.utf8().isReadOnly());
        assertEquals(0, frame.utf8().position(), "each call is a fresh view");
    }

    private static JsonNode read(OutboundFrame frame) throws Exception {
        return JSON.readTree(frame.text());
    }
}
