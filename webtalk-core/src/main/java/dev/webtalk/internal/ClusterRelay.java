package dev.webtalk.internal;

import dev.webtalk.RoomId;
import dev.webtalk.spi.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This engine's side of the {@link Broker}: publishes what the rooms commit here, hands what other nodes
 * published to the rooms' lanes, and sends and receives the cluster-wide signals that belong to no
 * room's stream (a room deleted: its stream is gone with it). With {@link Broker#LOCAL} it does nothing.
 *
 * <p>Every {@code catchUpInterval} each room with someone present here is checked against the store,
 * which bounds how long a publication lost in a room that then went quiet stays missing.
 */
final class ClusterRelay implements Broker.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRelay.class);
    private static final int SIGNAL_VERSION = 1;
    private static final int ROOM_DELETED = 1;

    private final Engine engine;
    private final Broker broker;

    ClusterRelay(Engine engine, Broker broker) {
        this.engine = engine;
        this.broker = broker;
    }

    Broker broker() {
        return broker;
    }

    /** Connects the broker; with other nodes, also checks rooms against the store every {@code catchUpInterval}. */
    void start(ScheduledExecutorService timer, Duration catchUpInterval) {
        broker.start(this);
        if (broker.isClustered() && !catchUpInterval.isZero()) {
            long every = catchUpInterval.toMillis();
            timer.scheduleWithFixedDelay(engine::catchUpRooms, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Publishes a change this node committed; a broker failure loses only the fast path. */
    void publish(RoomId room, Relayed relayed) {
        try {
            broker.publish(room, relayed.encode());
        } catch (RuntimeException e) {
            LOG.warn("Could not publish {} of room {}; other nodes will read it from the store", relayed.event().kind(),
                    room, e);
        }
    }

    /** Tells the other nodes that this node deleted {@code room}. */
    void roomDeleted(RoomId room) {
        if (!broker.isClustered()) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SIGNAL_VERSION);
            out.writeByte(ROOM_DELETED);
            out.writeUTF(room.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            broker.broadcast(bytes.toByteArray());
        } catch (RuntimeException e) {
            LOG.warn("Could not tell other nodes that room {} was deleted", room, e);
        }
    }

    @Override
    public void onRoomMessage(RoomId room, byte[] payload) {
        Relayed relayed;
        try {
            relayed = Relayed.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropped a publication for room {} that this node cannot read: {}", room, e.getMessage());
            return;
        }
        if (!relayed.event().roomId().equals(room)) {
            LOG.warn("Dropped a publication for room {} that names room {}", room, relayed.event().roomId());
            return;
        }
        engine.relayed(relayed);
    }

    @Override
    public void onBroadcast(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            if (version != SIGNAL_VERSION || type != ROOM_DELETED) {
                LOG.warn("Dropped a cluster signal this node cannot read (version {}, type {})", version, type);
                return;
            }
            engine.roomDeletedElsewhere(RoomId.of(in.readUTF()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Dropped a malformed cluster signal: {}", e.toString());
        }
    }

    @Override
    public void onGap() {
        engine.catchUpRooms();
    }

    void close() {
        try {
            broker.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the broker failed", e);
        }
    }
}
