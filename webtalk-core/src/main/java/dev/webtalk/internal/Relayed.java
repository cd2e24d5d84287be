package dev.webtalk.internal;

import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.OutboundFrame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One committed stream event as it travels between nodes: the event, and the pushes its node sent for
 * it, already encoded, so a receiving node passes them on without reading the store or encoding again.
 * A node that has to fill a hole from the store builds the same thing itself ({@code frames} then come
 * from the store's current state).
 *
 * @param event the committed event
 * @param frames the pushes, in the order they were sent
 */
record Relayed(RoomEvent event, List<Push> frames) {
    private static final int VERSION = 1;
    private static final RoomEvent.Kind[] KINDS = RoomEvent.Kind.values();

    /** One push: to everyone present, or to everyone but the user the event concerns. */
    record Push(OutboundFrame frame, boolean exceptUser) {
    }

    Relayed {
        frames = List.copyOf(frames);
    }

    /** The binary form a {@link dev.webtalk.spi.Broker} carries: compact, and the frames' bytes as they are. */
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + frames.stream().mapToInt(p -> p.frame().utf8().remaining()).sum());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(event.roomId().value());
            out.writeLong(event.pos());
            out.writeByte(event.kind().ordinal());
            out.writeLong(event.at().toEpochMilli());
            out.writeLong(event.seq());
            out.writeUTF(event.userId() == null ? "" : event.userId().value());
            out.writeShort(frames.size());
            for (Push push : frames) {
                java.nio.ByteBuffer utf8 = push.frame().utf8();
                out.writeBoolean(push.exceptUser());
                out.writeInt(utf8.remaining());
                byte[] copy = new byte[utf8.remaining()];
                utf8.get(copy);
                out.write(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a relayed event of this version
     */
    static Relayed decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("relayed event of version " + version + ", this node reads " + VERSION);
            }
            RoomId room = RoomId.of(in.readUTF());
            long pos = in.readLong();
            int kind = in.readUnsignedByte();
            if (kind >= KINDS.length) {
                throw new IllegalArgumentException("unknown event kind " + kind);
            }
            Instant at = Instant.ofEpochMilli(in.readLong());
            long seq = in.readLong();
            String user = in.readUTF();
            int count = in.readUnsignedShort();
            List<Push> frames = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                boolean exceptUser = in.readBoolean();
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                frames.add(new Push(OutboundFrame.ofUtf8(utf8), exceptUser));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after a relayed event");
            }
            return new Relayed(new RoomEvent(room, pos, KINDS[kind], at, seq, user.isEmpty() ? null : UserId.of(user)), frames);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a relayed event: " + e, e);
        }
    }
}
