package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.Limits;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Principal;
import dev.webtalk.Reaction;
import dev.webtalk.ReadState;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.protocol.MessageContext;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.OutboundFrame;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scanner against frames written by the server's own codec, reordered, re-spaced and broken. */
class FrameScannerTest {
    private static final ProtocolCodec CODEC = new ProtocolCodec(Limits.defaults());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RoomId ROOM = RoomId.of("Xk3v9QpL");
    private static final byte[] ROOM_BYTES = "Xk3v9QpL".getBytes(StandardCharsets.US_ASCII);
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private final FrameScanner scanner = new FrameScanner();

    /** A message as the bench's senders write it, answering seq 41 and mentioning someone: nested seqs and objects. */
    private static Message benchMessage(long seq, String text) {
        return new Message(ROOM, seq, UserId.of("g-4f9c2e1a"), "Ana \"the\" \\ one", MessageKind.TEXT, text, "c-9", AT,
                null, null, null, 41, List.of(UserId.of("g-77")), true);
    }

    private static byte[] bytes(OutboundFrame frame) {
        ByteBuffer utf8 = frame.utf8();
        byte[] out = new byte[utf8.remaining()];
        utf8.get(out);
        return out;
    }

    private static MessageContext replyPreview() {
        return MessageContext.reply(new MessageContext.ReplyPreview(41, "g-77", "Bo", "seq 99 \"quoted\" {", false));
    }

    private boolean scan(byte[] frame) {
        return scanner.scan(frame, 0, frame.length);
    }

    private boolean scan(String frame) {
        return scan(frame.getBytes(StandardCharsets.UTF_8));
    }

    private void assertMessage(long pos, long seq, long due) {
        assertEquals(PushType.MESSAGE, scanner.type());
        assertTrue(scanner.roomIs(ROOM_BYTES), "room");
        assertFalse(scanner.roomIs("Xk3v9Qp".getBytes(StandardCharsets.US_ASCII)), "a prefix is another room");
        assertEquals(pos, scanner.pos());
        assertEquals(seq, scanner.seq(), "message.seq, not replyTo.seq");
        assertEquals(due, scanner.textNumber());
    }

    @Test
    void readsTheServersOwnMessagePush() {
        byte[] frame = bytes(CODEC.messagePush(benchMessage(43, "123456789 xxxxxxxxxx 🙂 \"q\""), 58, replyPreview()));

        assertTrue(scan(frame));
        assertMessage(58, 43, 123456789L);
        assertEquals("Xk3v9QpL", scanner.room());
    }

    @Test
    void readsAFrameInTheMiddleOfALargerBufferWithinItsBounds() {
        byte[] frame = bytes(CODEC.messagePush(benchMessage(47, "-42 negative due times are numbers too"), 49));
        byte[] buffer = new byte[frame.length + 20];
        java.util.Arrays.fill(buffer, (byte) '}');
        System.arraycopy(frame, 0, buffer, 10, frame.length);

        assertTrue(scanner.scan(buffer, 10, frame.length));
        assertMessage(49, 47, -42);
        int kind = new String(frame, StandardCharsets.UTF_8).indexOf("\"kind\"");
        assertFalse(scanner.scan(buffer, 10, kind), "cut inside the message, before its text");
    }

    @Test
    void findsTheFieldsInAnyOrderAndSkipsNestedValues() throws Exception {
        byte[] frame = bytes(CODEC.messagePush(benchMessage(43, "987654321 padding"), 58, replyPreview()));
        JsonNode reversed = reverseKeys(JSON.readTree(frame));
        String text = JSON.writeValueAsString(reversed);
        assertTrue(text.indexOf("\"replyTo\"") < text.indexOf("\"seq\":43"), "the nested seq now comes first: " + text);
        assertTrue(text.indexOf("\"type\"") > text.indexOf("\"message\""), "type last: " + text);

        assertTrue(scan(text));
        assertMessage(58, 43, 987654321L);
    }

    @Test
    void toleratesWhiteSpaceBetweenTokens() throws Exception {
        byte[] frame = bytes(CODEC.messagePush(benchMessage(45, "1000 x"), 46, replyPreview()));
        String pretty = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(JSON.readTree(frame));
        assertTrue(pretty.contains("\n"), pretty);

        assertTrue(scan(pretty.replace(": ", " :\t ")));
        assertMessage(46, 45, 1000);
    }

    @Test
    void aTextThatDoesNotStartWithANumberAndASpaceHasNone() {
        for (String text : List.of("hello 123", "123", "123x 4", " 123 x", "1234567890123456789 too long")) {
            assertTrue(scan(bytes(CODEC.messagePush(benchMessage(44, text), 45))));
            assertEquals(Long.MIN_VALUE, scanner.textNumber(), text);
            assertEquals(44, scanner.seq());
        }
        Message deleted = new Message(ROOM, 3, UserId.of("u"), "A", MessageKind.TEXT, null, null, AT, AT);
        assertTrue(scan(bytes(CODEC.messagePush(deleted, 4))));
        assertEquals(Long.MIN_VALUE, scanner.textNumber(), "a deleted message has no text");
        assertEquals(3, scanner.seq());
    }

    @Test
    void theServersOtherFramesGiveTheirType() {
        Principal ana = Principal.user("g-1", "Ana");
        Member member = new Member(ROOM, UserId.of("g-1"), "Ana", MemberRole.MEMBER, AT);
        Map<OutboundFrame, PushType> frames = Map.of(
                CODEC.reactionsPush(ROOM, 42, 57, List.of(new Reaction("\uD83D\uDC4D", 3, true)), true), PushType.REACTIONS,
                CODEC.readPush(new ReadState(ROOM, 42, 3, 1)), PushType.READ,
                CODEC.welcome(ana, Limits.defaults()), PushType.WELCOME,
                CODEC.result("7", CODEC.empty()), PushType.RESULT,
                CODEC.error("7", ErrorCode.INVALID, "no"), PushType.ERROR,
                CODEC.memberJoined(member), PushType.OTHER,
                CODEC.typing(ROOM.value(), ana), PushType.OTHER,
                CODEC.messageEdited(benchMessage(43, "1 edited"), 60, MessageContext.NONE), PushType.OTHER);
        frames.forEach((frame, type) -> {
            assertTrue(scan(bytes(frame)), frame.text());
            assertEquals(type, scanner.type(), frame.text());
            assertEquals(-1, scanner.seq(), "only a message's seq is read: " + frame.text());
        });
    }

    @Test
    void aFrameWithoutTypeIsOther() {
        assertTrue(scan("{\"id\":\"3\",\"result\":{\"seq\":1}}"));
        assertEquals(PushType.OTHER, scanner.type());
        assertTrue(scan("{}"));
        assertEquals(PushType.OTHER, scanner.type());
        assertNull(scanner.room());
    }

    @Test
    void aMessageSplitAcrossUnusualValuesStillScans() {
        assertTrue(scan("""
                {"room":"Xk3v9QpL","message":{"author":{"id":"u","extra":[1,{"seq":99},"]}\\""]},"seq":7,
                 "createdAt":1.5e3,"deleted":false,"text":"55 a"},"pos":8,"type":"message"}"""));
        assertMessage(8, 7, 55);
    }

    @Test
    void refusesWhatIsNotAWellFormedObject() {
        for (String bad : List.of("", "[1,2]", "\"message\"", "{\"type\":\"message\",\"room\":",
                "{\"type\":\"message\" \"room\":\"r\"}", "{\"room\":\"unterminated}", "{\"message\":{\"seq\":-}}",
                "{\"pos\":12345678901234567890}", "{\"a\":[1,2}")) {
            assertFalse(scan(bad), bad);
        }
    }

    /** The same JSON with every object's keys in reverse order. */
    private static JsonNode reverseKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.reverse(names);
            ObjectNode out = JSON.createObjectNode();
            names.forEach(n -> out.set(n, reverseKeys(node.get(n))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(reverseKeys(e)));
            return out;
        }
        return node;
    }
}
