package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.Limits;
import dev.webtalk.jetty.support.RawWebSocket;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.spi.EngineObserver;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading is closed with 4003 once its queue passes the bound (in bytes or in
 * frames), and nobody else notices: the fast client keeps getting every message, in order. The engine
 * hears of the drop (for metrics) once.
 */
class SlowConsumerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 8;
    private static final int MAX_MESSAGES = 8000;

    @ParameterizedTest(name = "bound by {0}")
    @CsvSource({
        // what,   maxOutboundBytes, maxOutboundFrames, text chars
        "bytes,    65536,            100000,            1500",
        "frames,   4194304,          32,                20",
    })
    void aClientThatStopsReadingIsClosedAndTheOthersGetEveryMessage(String what, long maxBytes, int maxFrames,
                                                                     int chars) throws Exception {
        try (TestServer server = TestServer.start(new InMemoryChatStore(), Limits.defaults(),
                o -> o.maxOutboundBytes(maxBytes).maxOutboundFrames(maxFrames),
                connector -> connector.setAcceptedSendBufferSize(16 * 1024)); // the kernel absorbs less
             WsClient ana = WsClient.connect(server, "u-ana:Ana")) {
            List<Integer> drops = new CopyOnWriteArrayList<>();
            server.chat().addObserver(new EngineObserver() {
                @Override
                public void connectionDropped(int closeCode) {
                    drops.add(closeCode);
                }
            });
            String room = ana.ok(frame("create_room").put("name", "Busy")).path("room").path("id").asText();
            ana.ok(frame("join").put("room", room));

            try (RawWebSocket slow = RawWebSocket.open(server.port(), "/ws?token=u-slow:Slow", 4096)) {
                slow.sendText("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"" + room + "\"}");
                ana.await("member_joined", f -> "u-slow".equals(f.path("user").path("id").asText()));

                // Ana sends in small pipelined batches (she reads everything, so her own queue stays
                // far below the bound) until the slow client is cut off, then some more.
                String text = "x".repeat(chars);
                int sent = 0;
                int afterCutOff = -1;
                while (afterCutOff < 5 * BATCH && sent < MAX_MESSAGES) {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++, sent++) {
                        ids.add(fire(ana, frame("send").put("room", room).put("text", text).put("clientMsgId", "c-" + sent)));
                    }
                    for (String id : ids) {
                        ana.await("result", f -> id.equals(f.path("id").asText()));
                    }
                    if (afterCutOff >= 0) {
                        afterCutOff += BATCH;
                    } else if (slowLeft(ana)) {
                        afterCutOff = 0;
                    }
                }
                assertTrue(afterCutOff >= 0, "the slow client was never cut off after " + sent + " messages");
                JsonNode left = ana.await("member_left", f -> "u-slow".equals(f.path("user").path("id").asText()));
                assertEquals("disconnected", left.path("reason").asText(), "the slow client is detached at once");

                for (int i = 0; i < sent; i++) {
                    long seq = i + 1;
                    JsonNode push = ana.await("message", f -> f.path("message").path("seq").asLong() == seq);
                    assertEquals("c-" + i, push.path("message").path("clientMsgId").asText(), "pushes in send order");
                }
                List<Long> pushed = new ArrayList<>();
                ana.frames().stream().filter(f -> "message".equals(f.path("type").asText()))
                        .forEach(f -> pushed.add(f.path("message").path("seq").asLong()));
                assertEquals(sent, pushed.size(), "every message exactly once");
                for (int i = 1; i < pushed.size(); i++) {
                    assertTrue(pushed.get(i) > pushed.get(i - 1), "ascending seq at " + i);
                }

                // Now read what the slow client was sent: some frames, then the close with 4003.
                List<RawWebSocket.Frame> received = slow.readUntilClose();
                RawWebSocket.Frame close = received.get(received.size() - 1);
                assertEquals(CloseCodes.SLOW_CONSUMER, close.closeCode());
                long messages = received.stream().filter(f -> f.opcode() == 0x1)
                        .filter(f -> f.text().contains("\"type\":\"message\"")).count();
                assertTrue(messages < sent, "the slow client was cut off before the end (" + messages + ")");
                assertEquals("welcome", JSON.readTree(received.get(0).text()).path("type").asText());
                assertEquals(List.of(CloseCodes.SLOW_CONSUMER), drops, "the engine heard of the drop once");
            }
            assertEquals("result", ana.request(frame("ping")).path("type").asText());
        }
    }

    private static boolean slowLeft(WsClient client) {
        return client.frames().stream().anyMatch(f -> "member_left".equals(f.path("type").asText())
                && "u-slow".equals(f.path("user").path("id").asText()));
    }

    /** Sends a request with an id without waiting for the reply (the test pipelines hundreds). */
    private static String fire(WsClient client, com.fasterxml.jackson.databind.node.ObjectNode request) throws Exception {
        String id = "s" + request.path("clientMsgId").asText();
        request.put("id", id);
        client.sendRaw(JSON.writeValueAsString(request));
        return id;
    }
}
