package dev.webtalk.demo.bench;

import com.fasterxml.jackson.core.JsonFactory;
import dev.webtalk.Limits;
import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.Reaction;
import dev.webtalk.ReadState;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PushTest {
    private static final JsonFactory JSON = new JsonFactory();

    private static Push read(String json) throws IOException {
        return Push.read(JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheMeasuredFieldsOfTheServersOwnMessagePush() throws IOException {
        Message m = new Message(RoomId.of("room0001"), 42, UserId.of("u-1"), "Ana", MessageKind.TEXT,
                "123 héllo \"quoted\" 🙂", "c-9", Instant.parse("2026-11-25T10:00:00Z"), null);
        ByteBuffer utf8 = new ProtocolCodec(Limits.defaults()).messagePush(m, 1).utf8();
        byte[] frame = new byte[utf8.remaining()];
        utf8.get(frame);

        assertEquals(new Push("message", "room0001", 42, "123 héllo \"quoted\" 🙂"), Push.read(JSON, frame));
    }

    @Test
    void findsTheFieldsInAnyOrderAndSkipsNestedValues() throws IOException {
        assertEquals(new Push("message", "r1", 7, "hi"), read("""
                {"message":{"author":{"id":"u","name":"A","extra":[1,{"seq":99}]},"text":"hi","seq":7},
                 "room":"r1","type":"message"}"""));
        assertEquals(new Push("message", "r1", 8, ""), read("""
                {"type":"message","room":"r1","message":{"seq":8,"file":{"name":"a.png"}}}"""),
                "a file message has no text");
    }

    @Test
    void otherFramesGiveOnlyTheirType() throws IOException {
        assertEquals(new Push("member_joined", null, 0, null),
                read("{\"type\":\"member_joined\",\"room\":\"r1\",\"user\":{\"id\":\"u\"}}"));
        assertEquals(new Push("result", null, 0, null), read("{\"id\":\"3\",\"result\":{\"seq\":1},\"type\":\"result\"}"));
        assertEquals(new Push("", null, 0, null), read("{\"id\":\"3\"}"), "no type at all");
    }

    @Test
    void theServersReactionsAndReadPushesGiveOnlyTheirType() throws IOException {
        ProtocolCodec codec = new ProtocolCodec(Limits.defaults());
        assertEquals(new Push("reactions", null, 0, null), Push.read(JSON, bytes(codec.reactionsPush(
                RoomId.of("room0001"), 42, 57, List.of(new Reaction("\uD83D\uDC4D", 3, true)), true).utf8())));
        assertEquals(new Push("read", null, 0, null), Push.read(JSON, bytes(codec.readPush(
                new ReadState(RoomId.of("room0001"), 42, 3, 1)).utf8())));
    }

    private static byte[] bytes(ByteBuffer utf8) {
        byte[] frame = new byte[utf8.remaining()];
        utf8.get(frame);
        return frame;
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThrows(IOException.class, () -> read("[1,2]"));
        assertThrows(IOException.class, () -> read("{\"type\":\"message\",\"room\":"));
    }
}
