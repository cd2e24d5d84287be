package dev.webtalk.jetty.internal;

import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.spi.OutboundFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How frames are handed to Jetty's core session: the batch flags that make one gathered write. */
class JettyConnectionTest {

    /** Jetty's session as far as sending goes: records each frame, its batch flag, and the close. */
    static final class RecordingCore extends CoreSession.Empty {
        final List<String> sent = new ArrayList<>();
        final List<Callback> pending = new ArrayList<>();
        int closeCode = -1;

        @Override
        public boolean isOutputOpen() {
            return closeCode < 0;
        }

        @Override
        public void sendFrame(OutgoingEntry entry) {
            String text = entry.getFrame().getOpCode() == OpCode.TEXT
                    ? StandardCharsets.UTF_8.decode(entry.getFrame().getPayload().slice()).toString()
                    : "opcode " + entry.getFrame().getOpCode();
            sent.add(text + (entry.isBatch() ? " (batch)" : " (flush)"));
            pending.add(entry.getCallback());
        }

        @Override
        public void close(int statusCode, String reason, Callback callback) {
            closeCode = statusCode;
        }
    }

    private static List<OutboundFrame> frames(String... texts) {
        return java.util.Arrays.stream(texts).map(OutboundFrame::new).toList();
    }

    @Test
    void severalFramesAreBatchedAndTheLastFlushesThemAll() {
        RecordingCore core = new RecordingCore();
        JettyConnection connection = new JettyConnection(core, "t", null, 1 << 20, 100);

        connection.send(frames("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"));

        assertEquals(List.of("{\"a\":1} (batch)", "{\"b\":2} (batch)", "{\"c\":3} (flush)"), core.sent);
    }

    @Test
    void aSingleFrameIsFlushedAtOnce() {
        RecordingCore core = new RecordingCore();
        JettyConnection connection = new JettyConnection(core, "t", null, 1 << 20, 100);

        connection.send(new OutboundFrame("{\"a\":1}"));
        connection.send(frames("{\"b\":2}"));

        assertEquals(List.of("{\"a\":1} (flush)", "{\"b\":2} (flush)"), core.sent);
    }

    @Test
    void aBatchThatOverflowsTheQueueClosesTheSlowConsumerAndSendsNoMore() {
        RecordingCore core = new RecordingCore();
        JettyConnection connection = new JettyConnection(core, "t", null, 1 << 20, 3);

        connection.send(frames("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}"));

        assertEquals(List.of("{\"n\":1} (batch)", "{\"n\":2} (batch)", "{\"n\":3} (batch)"), core.sent,
                "frames past the bound are not queued");
        assertEquals(CloseCodes.SLOW_CONSUMER, core.closeCode);
        connection.send(frames("{\"n\":6}"));
        assertEquals(3, core.sent.size());
    }

    @Test
    void writtenFramesFreeTheirPlaceInTheQueue() {
        RecordingCore core = new RecordingCore();
        JettyConnection connection = new JettyConnection(core, "t", null, 1 << 20, 2);

        connection.send(frames("{\"n\":1}", "{\"n\":2}"));
        core.pending.forEach(Callback::succeeded);
        connection.send(frames("{\"n\":3}", "{\"n\":4}"));

        assertEquals(4, core.sent.size());
        assertEquals(-1, core.closeCode, "a client that reads is never taken for slow");
    }
}
