package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request/reply rules and bad input: ids, errors, unknown types, malformed frames, abuse. */
class WebTalkProtocolTest extends ChatTestSupport {

    @Test
    void everyRequestWithAnIdGetsExactlyOneReplyWithThatId() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        String secret = createRoom(ana, "Secret", "pw");
        bo.ok("join", "room", room);

        List<String> ids = new ArrayList<>();
        ids.add(ana.fire("ping"));
        ids.add(ana.fire("list_rooms"));
        ids.add(ana.fire("join", "room", room));
        ids.add(ana.fire("join", "room", "NoSuchRm"));
        ids.add(ana.fire("send", "room", room, "text", "hello", "clientMsgId", "c-1"));
        ids.add(ana.fire("send", "room", room, "text", "hello", "clientMsgId", "c-1"));
        ids.add(ana.fire("send", "room", room, "text", ""));
        ids.add(ana.fire("send", "room", room, "text", "x".repeat(5000)));
        ids.add(ana.fire("send", "room", secret, "text", "not joined"));
        ids.add(ana.fire("typing", "room", room));
        ids.add(ana.fire("typing", "room", room));
        ids.add(ana.fire("history", "room", room, "limit", 500));
        ids.add(ana.fire("delete_message", "room", room, "seq", 1));
        ids.add(ana.fire("delete_message", "room", room, "seq", 1));
        ids.add(ana.fire("delete_message", "room", room, "seq", 42));
        ids.add(ana.fire("create_room", "name", ""));
        ids.add(ana.fire("create_room", "name", "Another"));
        ids.add(ana.fire("delete_room", "room", "NoSuchRm"));
        ids.add(ana.fire("no_such_type"));
        ids.add(ana.fire("send"));
        ids.add(ana.fire("leave", "room", secret));
        ids.add(ana.fire("leave", "room", room));
        ids.forEach(id -> ana.connection().awaitReply(id));
        // Replies to room work come from the room's thread and the writer: one more round trip through
        // both flushes any straggler (Ana has left the room, so Bo makes it).
        bo.ok("typing", "room", room);
        say(bo, room, "barrier");

        Map<String, Integer> replies = new HashMap<>();
        for (JsonNode f : ana.connection().frames()) {
            String type = f.path("type").asText();
            if (type.equals("result") || type.equals("error")) {
                assertTrue(f.has("id"), "every reply here answers a request with an id: " + f);
                replies.merge(f.path("id").asText(), 1, Integer::sum);
            } else {
                assertFalse(f.has("id"), "pushes carry no id: " + f);
            }
        }
        assertTrue(replies.keySet().containsAll(ids), "every request was answered: " + replies);
        replies.forEach((id, count) -> assertEquals(1, count, "replies to " + id));
    }

    @Test
    void theIdIsEchoedAsAString() {
        TestClient ana = connect("u-ana", "Ana");

        ana.sendText("{\"type\":\"ping\",\"id\":7}");
        JsonNode reply = ana.connection().awaitReply("7");

        assertEquals("result", reply.path("type").asText());
        assertTrue(reply.path("id").isTextual());
        assertEquals(0, reply.path("result").size());
    }

    @Test
    void aRequestWithoutIdGetsNoResultButStillItsError() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");

        ana.ok("join", "room", room);
        ana.tell("send", "room", "NoSuchRm", "text", "hi");
        ana.tell("send", "room", room, "text", "hi");
        ana.connection().awaitType("message");
        JsonNode error = ana.connection().awaitType("error");

        assertEquals("room_not_found", error.path("code").asText());
        assertFalse(error.path("message").asText().isEmpty());
        assertFalse(error.has("id"));
        assertEquals(2, ana.connection().framesOfType("result").size(), "only create_room and join had ids");
    }

    @Test
    void malformedJsonIsAnsweredAndTheConnectionKeepsWorking() {
        TestClient ana = connect("u-ana", "Ana");

        for (String bad : List.of("{", "not json", "", "[1,2]", "42", "\"text\"", "null", "{\"type\":\"ping\"} trailing")) {
            ana.sendText(bad);
        }

        List<JsonNode> errors = ana.connection().awaitFrames(FakeConnection.ofType("error"), 8);
        errors.forEach(e -> {
            assertEquals("invalid", e.path("code").asText(), e.toString());
            assertFalse(e.has("id"), e.toString());
        });
        assertEquals(0, ana.ok("ping").size());
        assertFalse(ana.connection().isClosed());
    }

    @Test
    void badFieldsAreAnsweredWithTheRequestId() {
        TestClient ana = connect("u-ana", "Ana");

        ana.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":[\"a\"]}");
        ana.sendText("{\"id\":\"t1\"}");
        ana.sendText("{\"type\":7,\"id\":\"t2\"}");
        ana.sendText("{\"type\":\"ping\",\"id\":{\"x\":1}}");
        ana.sendText("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}");

        for (String id : List.of("j1", "t1", "t2")) {
            assertEquals("invalid", ana.connection().awaitReply(id).path("code").asText());
        }
        List<JsonNode> anonymous = ana.connection().awaitFrames(f -> FakeConnection.ofType("error").test(f) && !f.has("id"), 2);
        anonymous.forEach(e -> assertEquals("invalid", e.path("code").asText()));
    }

    @Test
    void anUnknownTypeIsAnsweredWithUnknownType() {
        TestClient ana = connect("u-ana", "Ana");

        JsonNode reply = ana.request("teleport", "to", "mars");

        assertEquals("error", reply.path("type").asText());
        assertEquals("unknown_type", reply.path("code").asText());
        assertEquals(0, ana.ok("ping").size());
    }

    @Test
    void unknownFieldsAreIgnored() {
        TestClient ana = connect("u-ana", "Ana");

        JsonNode room = ana.ok("create_room", "name", "General", "color", "blue", "nested", List.of(1, 2)).path("room");
        ana.sendText("{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room.path("id").asText()
                + "\",\"future\":{\"a\":[true,null,{\"b\":1.5}]}}");

        assertEquals("result", ana.connection().awaitReply("j").path("type").asText());
    }

    @Test
    void tooManyBadFramesInARowCloseTheConnectionWith4001() {
        start(Limits.builder().maxConsecutiveErrors(3).build());
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);

        bo.sendText("{oops");
        bo.sendText("{\"type\":\"nope\"}");
        assertEquals(0, bo.ok("ping").size()); // a good frame resets the count
        bo.sendText("{oops");
        bo.sendText("{oops");
        assertFalse(bo.connection().isClosed());
        bo.sendText("[]");

        assertEquals(CloseCodes.TOO_MANY_ERRORS, bo.connection().awaitClose());
        assertEquals(5, bo.connection().framesOfType("error").size(), "every bad frame was answered first");
        JsonNode left = ana.connection().awaitType("member_left");
        assertEquals("disconnected", left.path("reason").asText());
        assertEquals(1, chat.connectionCount());

        bo.sendText("{\"type\":\"ping\",\"id\":\"after\"}");
        assertTrue(bo.connection().frames(FakeConnection.replyTo("after")).isEmpty());
        bo.disconnect(); // the transport's own close report afterwards is harmless
        assertEquals(1, bo.connection().closeCalls());
    }

    @Test
    void requestsThatFailInTheEngineDoNotCountAsBadFrames() {
        start(Limits.builder().maxConsecutiveErrors(2).build());
        TestClient ana = connect("u-ana", "Ana");

        for (int i = 0; i < 5; i++) {
            assertEquals("room_not_found", ana.error("join", "room", "NoSuchRm"));
        }

        assertFalse(ana.connection().isClosed());
    }
}
