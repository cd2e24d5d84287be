package dev.webtalk.jetty;

import dev.webtalk.jetty.support.RawWebSocket;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.memory.InMemoryChatStore;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read liveness: the server pings every socket, and a client that stops reading (its TCP connection
 * still open) is closed with 4005 and leaves presence, even in a room where nothing else happens.
 * Clients that answer their pings stay, however long they are quiet.
 */
class LivenessIT {
    private static final Duration INTERVAL = Duration.ofMillis(150);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int CLOSE = 0x8;

    @Test
    void aClientThatStopsReadingLeavesPresenceAndIsClosedWith4005() throws Exception {
        try (TestServer server = start();
             WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            String room = quietRoom(ana);
            try (RawWebSocket dead = RawWebSocket.open(server.port(), "/ws?token=u-dead:Dead", 64 * 1024)) {
                dead.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"" + room + "\"}");
                ana.await("member_joined", f -> "u-dead".equals(f.path("user").path("id").asText()));

                // Dead reads nothing from here on; nobody says anything in the room.
                JsonNode left = ana.await("member_left", f -> "u-dead".equals(f.path("user").path("id").asText()));
                assertEquals("disconnected", left.path("reason").asText());

                List<RawWebSocket.Frame> frames = dead.readUntilClose();
                assertTrue(frames.stream().anyMatch(f -> f.opcode() == PING), "the server pinged before giving up");
                assertEquals(CloseCodes.NOT_RESPONDING, frames.get(frames.size() - 1).closeCode());
            }
            assertEquals("result", ana.request(frame("ping")).path("type").asText(), "Ana is unaffected");
        }
    }

    @Test
    void clientsThatAnswerTheirPingsStayHoweverQuietTheyAre() throws Exception {
        try (TestServer server = start();
             WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            String room = quietRoom(ana);
            try (RawWebSocket raw = RawWebSocket.open(server.port(), "/ws?token=u-raw:Raw", 64 * 1024)) {
                List<RawWebSocket.Frame> received = new CopyOnWriteArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread answering = new Thread(() -> answerPings(raw, received, failure), "answers-pings");
                answering.setDaemon(true);
                answering.start();
                raw.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"" + room + "\"}");
                ana.await("member_joined", f -> "u-raw".equals(f.path("user").path("id").asText()));

                Thread.sleep(INTERVAL.plus(TIMEOUT).multipliedBy(6).toMillis());

                long pings = received.stream().filter(f -> f.opcode() == PING).count();
                assertTrue(pings >= 5, "pinged again after each answer: " + pings);
                assertFalse(received.stream().anyMatch(f -> f.opcode() == CLOSE), "the answering client stays open");
                assertNull(failure.get());
                assertFalse(ana.frames().stream().anyMatch(f -> "member_left".equals(f.path("type").asText())),
                        "nobody left: " + ana.frames());
                assertTrue(ana.isOpen(), "a browser-like client (pongs sent by its WebSocket stack) stays open");
                JsonNode rooms = ana.ok(frame("list_rooms")).path("rooms");
                JsonNode quiet = null;
                for (JsonNode r : rooms) {
                    quiet = room.equals(r.path("id").asText()) ? r : quiet;
                }
                assertEquals(2, quiet.path("online").asInt(), "Ana and Raw both online: " + rooms);
            }
        }
    }

    @Test
    void anUnsolicitedPongProvesNothing() throws Exception {
        try (TestServer server = start();
             WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            String room = quietRoom(ana);
            try (RawWebSocket sly = RawWebSocket.open(server.port(), "/ws?token=u-sly:Sly", 64 * 1024)) {
                sly.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"" + room + "\"}");
                ana.await("member_joined", f -> "u-sly".equals(f.path("user").path("id").asText()));
                // Sly never reads, but keeps sending pongs of its own making (RFC 6455 allows them).
                long until = System.nanoTime() + INTERVAL.plus(TIMEOUT).multipliedBy(4).toNanos();
                while (System.nanoTime() < until && !left(ana, "u-sly")) {
                    sly.send(PONG, new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
                    Thread.sleep(20);
                }
                ana.await("member_left", f -> "u-sly".equals(f.path("user").path("id").asText()));
            }
        }
    }

    private static TestServer start() throws Exception {
        return TestServer.start(new InMemoryChatStore(), o -> o.pingInterval(INTERVAL).pongTimeout(TIMEOUT));
    }

    private static String quietRoom(WsClient ana) throws Exception {
        String room = ana.ok(frame("create_room").put("name", "Quiet")).path("room").path("id").asText();
        ana.ok(frame("join").put("room", room));
        return room;
    }

    private static boolean left(WsClient client, String user) {
        return client.frames().stream().anyMatch(f -> "member_left".equals(f.path("type").asText())
                && user.equals(f.path("user").path("id").asText()));
    }

    /** Reads everything and answers each ping with a pong echoing its payload, as RFC 6455 asks. */
    private static void answerPings(RawWebSocket raw, List<RawWebSocket.Frame> received, AtomicReference<Throwable> failure) {
        try {
            while (true) {
                RawWebSocket.Frame f = raw.read();
                received.add(f);
                if (f.opcode() == PING) {
                    raw.send(PONG, f.payload());
                } else if (f.opcode() == CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            // the test closed the socket
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }
}
