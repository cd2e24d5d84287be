package dev.webtalk.broker.redis;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FramingTest {
    private final Framing a = new Framing("node-a");
    private final Framing b = new Framing("node-b");

    @Test
    void anotherNodesFrameYieldsThePayloadByteForByte() {
        byte[] payload = {0, (byte) 0xFF, (byte) 0xC3, 0x28, 10};
        assertArrayEquals(payload, b.foreignPayload(a.frame(payload)));
        assertArrayEquals(new byte[0], b.foreignPayload(a.frame(new byte[0])));
    }

    @Test
    void aNodeSkipsItsOwnFrames() {
        assertNull(a.foreignPayload(a.frame(new byte[] {1, 2, 3})));
    }

    @Test
    void aNodeIdThatStartsWithAnothersIsStillAnotherNode() {
        Framing longer = new Framing("node-a2");
        assertArrayEquals(new byte[] {7}, a.foreignPayload(longer.frame(new byte[] {7})));
        assertArrayEquals(new byte[] {7}, longer.foreignPayload(a.frame(new byte[] {7})));
    }

    @Test
    void framesOfAnotherVersionOrTruncatedAreSkipped() {
        byte[] frame = a.frame(new byte[] {1, 2});
        byte[] otherVersion = frame.clone();
        otherVersion[0] = 2;
        assertNull(b.foreignPayload(otherVersion));
        assertNull(b.foreignPayload(Arrays.copyOf(frame, 4)));
        assertNull(b.foreignPayload(new byte[0]));
        assertNull(b.foreignPayload(new byte[] {Framing.VERSION, 0, 5}));
    }

    @Test
    void aPayloadIsNotChangedByFraming() {
        byte[] payload = {1, 2, 3};
        a.frame(payload);
        assertArrayEquals(new byte[] {1, 2, 3}, payload);
    }

    @Test
    void aNodeIdMustFitItsLengthByte() {
        assertThrows(IllegalArgumentException.class, () -> new Framing(""));
        assertThrows(IllegalArgumentException.class, () -> new Framing("x".repeat(256)));
    }
}
