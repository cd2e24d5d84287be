package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebSocketFramesTest {
    private record Decoded(int opcode, boolean fin, byte[] payload) {
    }

    /** A server frame: unmasked, with the shortest length encoding for its payload (RFC 6455 §5.2). */
    static byte[] serverFrame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n & 0xFF);
        } else {
            out.write(127);
            for (int k = 7; k >= 0; k--) {
                out.write((int) ((long) n >>> (8 * k)) & 0xFF);
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<Decoded> decodeAll(byte[] buf, int from, int to, int[] consumed) throws Exception {
        List<Decoded> frames = new ArrayList<>();
        consumed[0] = WebSocketFrames.decode(buf, from, to, 1 << 20,
                (opcode, fin, b, f, len) -> frames.add(new Decoded(opcode, fin, Arrays.copyOfRange(b, f, f + len))));
        return frames;
    }

    @Test
    void decodesEveryLengthEncodingAndStopsAtAnIncompleteFrame() throws Exception {
        byte[] small = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        byte[] medium = new byte[300];
        byte[] large = new byte[70_000];
        Arrays.fill(medium, (byte) 'm');
        Arrays.fill(large, (byte) 'l');
        byte[] last = serverFrame(WebSocketFrames.TEXT, true, small);
        byte[] buf = concat(serverFrame(WebSocketFrames.TEXT, true, small), serverFrame(WebSocketFrames.TEXT, false, medium),
                serverFrame(WebSocketFrames.CONTINUATION, true, large), serverFrame(WebSocketFrames.PING, true, new byte[0]),
                last);
        int[] consumed = new int[1];

        List<Decoded> all = decodeAll(buf, 0, buf.length, consumed);
        assertEquals(5, all.size());
        assertEquals(buf.length, consumed[0]);
        assertArrayEquals(small, all.get(0).payload());
        assertEquals(new Decoded(WebSocketFrames.TEXT, false, medium).opcode(), all.get(1).opcode());
        assertEquals(false, all.get(1).fin());
        assertArrayEquals(medium, all.get(1).payload());
        assertEquals(WebSocketFrames.CONTINUATION, all.get(2).opcode());
        assertArrayEquals(large, all.get(2).payload());
        assertEquals(WebSocketFrames.PING, all.get(3).opcode());

        int cut = buf.length - 3;
        List<Decoded> some = decodeAll(buf, 0, cut, consumed);
        assertEquals(4, some.size(), "the last frame is not complete");
        assertEquals(buf.length - last.length, consumed[0], "where the incomplete frame starts");
        assertEquals(last.length, WebSocketFrames.frameLength(buf, consumed[0], cut, 1 << 20));
        assertEquals(-1, WebSocketFrames.frameLength(buf, buf.length - 1, buf.length, 1 << 20), "header cut");
    }

    @Test
    void refusesWhatAServerMustNotSend() {
        byte[] masked = {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'};
        byte[] rsv = {(byte) 0xC1, 1, 'x'};
        byte[] opcode = {(byte) 0x83, 0};
        byte[] longPing = serverFrame(WebSocketFrames.PING, true, new byte[126]);
        byte[] splitPing = serverFrame(WebSocketFrames.PING, false, new byte[1]);
        byte[] tooBig = serverFrame(WebSocketFrames.TEXT, true, new byte[2000]);
        for (byte[] bad : List.of(masked, rsv, opcode, longPing, splitPing)) {
            WebSocketFrames.ProtocolError e = assertThrows(WebSocketFrames.ProtocolError.class,
                    () -> WebSocketFrames.decode(bad, 0, bad.length, 1000, (o, f, b, from, len) -> { }));
            assertEquals(1002, e.closeCode, e.getMessage());
        }
        WebSocketFrames.ProtocolError e = assertThrows(WebSocketFrames.ProtocolError.class,
                () -> WebSocketFrames.decode(tooBig, 0, tooBig.length, 1000, (o, f, b, from, len) -> { }));
        assertEquals(1009, e.closeCode);
    }

    @Test
    void encodesMaskedClientFramesWithEachLengthEncoding() {
        for (int n : new int[]{0, 125, 126, 65_535, 65_536}) {
            byte[] payload = new byte[n + 4];
            for (int k = 0; k < payload.length; k++) {
                payload[k] = (byte) (k * 31);
            }
            int mask = 0x1234ABCD;
            byte[] frame = WebSocketFrames.encode(WebSocketFrames.TEXT, payload, 2, n, mask);

            assertEquals((byte) 0x81, frame[0], "FIN and TEXT");
            assertEquals(0x80, frame[1] & 0x80, "masked");
            int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
            long length = n < 126 ? frame[1] & 0x7F : 0;
            for (int k = 2; k < header; k++) {
                length = (length << 8) | (frame[k] & 0xFF);
            }
            assertEquals(n, length, "length of " + n);
            assertEquals(header + 4 + n, frame.length);
            byte[] key = Arrays.copyOfRange(frame, header, header + 4);
            assertArrayEquals(new byte[]{0x12, 0x34, (byte) 0xAB, (byte) 0xCD}, key);
            for (int k = 0; k < n; k++) {
                assertEquals(payload[2 + k], (byte) (frame[header + 4 + k] ^ key[k & 3]), "byte " + k + " of " + n);
            }
        }
    }

    @Test
    void aClosePayloadIsTheCodeThenTheReason() {
        assertArrayEquals(new byte[]{0x03, (byte) 0xE8, 'o', 'k'}, WebSocketFrames.closePayload(1000, "ok"));
        assertEquals(125, WebSocketFrames.closePayload(1000, "x".repeat(500)).length, "a control frame's limit");
    }
}
