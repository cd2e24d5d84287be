package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.RawWebSocket;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One hot room written by several fan-out threads, over real sockets: senders pipeline their messages,
 * so frames pile up and leave in gathered writes, and a client that never reads sits on one of the
 * lanes. Every reading client still gets every message once, all in the same order (the stream's), and
 * the client that does not read is cut off without holding up the lane it shares with others.
 */
class FanOutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READERS = 24;
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 150;
    private static final int WINDOW = 10;

    @Test
    void everyReaderOnEveryLaneGetsEveryMessageInStreamOrder() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        try (TestServer server = TestServer.start(new InMemoryChatStore(),
                b -> b.fanOutThreads(3).limits(TestServer.unthrottled(dev.webtalk.Limits.defaults())),
                o -> o.maxOutboundFrames(64).maxOutboundBytes(1 << 20),
                connector -> connector.setAcceptedSendBufferSize(16 * 1024))) { // the kernel absorbs less
            try {
                for (int i = 0; i < READERS; i++) {
                    clients.add(WsClient.connect(server, "u-" + i + ":User " + i));
                }
                String room = clients.get(0).ok(frame("create_room").put("name", "Hot")).path("room").path("id").asText();
                for (WsClient c : clients) {
                    c.ok(frame("join").put("room", room));
                }
                try (RawWebSocket stalled = RawWebSocket.open(server.port(), "/ws?token=u-stalled:Stalled", 4096)) {
                    stalled.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"" + room + "\"}");
                    clients.get(0).await("member_joined", f -> "u-stalled".equals(f.path("user").path("id").asText()));

                    List<Thread> senders = new ArrayList<>();
                    for (int s = 0; s < SENDERS; s++) {
                        WsClient sender = clients.get(s);
                        int me = s;
                        Thread t = new Thread(() -> {
                            try {
                                // Pipelined in windows, so frames pile up without passing the request queue bound.
                                for (int i = 0; i < PER_SENDER; i += WINDOW) {
                                    for (int j = i; j < i + WINDOW; j++) {
                                        sender.sendRaw(JSON.writeValueAsString(frame("send").put("id", "s" + j)
                                                .put("room", room).put("text", me + ":" + j + " " + "x".repeat(200))));
                                    }
                                    for (int j = i; j < i + WINDOW; j++) {
                                        JsonNode reply = sender.awaitReply("s" + j);
                                        assertEquals("result", reply.path("type").asText(), reply.toString());
                                    }
                                }
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
                        senders.add(t);
                        t.start();
                    }
                    for (Thread t : senders) {
                        t.join();
                    }

                    int total = SENDERS * PER_SENDER;
                    List<Long> order = null;
                    for (WsClient c : clients) {
                        c.await("message", f -> f.path("message").path("seq").asLong() == total);
                        List<Long> positions = new ArrayList<>();
                        int[] next = new int[SENDERS];
                        for (JsonNode f : c.frames()) {
                            if ("message".equals(f.path("type").asText())) {
                                positions.add(f.path("pos").asLong());
                                String[] text = f.path("message").path("text").asText().split("[: ]");
                                int sender = Integer.parseInt(text[0]);
                                assertEquals(next[sender]++, Integer.parseInt(text[1]), c + ": sender " + sender + "'s order");
                            }
                        }
                        assertEquals(total, positions.size(), c + ": every message once");
                        for (int i = 1; i < positions.size(); i++) {
                            assertTrue(positions.get(i) > positions.get(i - 1), c + ": ascending positions at " + i);
                        }
                        order = order == null ? positions : order;
                        assertEquals(order, positions, c + ": the same order as everyone");
                    }

                    List<RawWebSocket.Frame> received = stalled.readUntilClose();
                    assertEquals(CloseCodes.SLOW_CONSUMER, received.get(received.size() - 1).closeCode(),
                            "the client that never read was cut off");
                }
            } finally {
                for (WsClient c : clients) {
                    c.close();
                }
            }
        }
    }
}
