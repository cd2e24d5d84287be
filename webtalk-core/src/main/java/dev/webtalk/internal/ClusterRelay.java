package dev.webtalk.internal;

import dev.webtalk.Member;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.Broker;
import dev.webtalk.spi.OutboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This engine's side of the {@link Broker}. It publishes what the rooms commit here and hands what other
 * nodes published to the rooms' lanes; it keeps {@link ClusterPresence} (who is present on which node)
 * up to date with {@link Signal}s; and it watches the other nodes' heartbeats: a node silent for
 * {@code nodeTimeout} is taken for dead, and its users leave every room. With {@link Broker#LOCAL} it
 * does nothing.
 *
 * <p>A room's channel carries its stream events ({@link Relayed}) and its typing notices; the cluster's
 * channel carries the signals. Every {@code catchUpInterval} each room with someone present here is
 * checked against the store, which bounds how long a publication lost in a room that then went quiet
 * stays missing.
 */
final class ClusterRelay implements Broker.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRelay.class);
    /** First byte of a typing notice on a room's channel (a stream event starts with its version, 1). */
    private static final int TYPING = 2;

    private final Engine engine;
    private final Broker broker;
    private final ClusterPresence presence = new ClusterPresence();
    private final String node = "n-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private long nodeTimeoutNanos;

    ClusterRelay(Engine engine, Broker broker) {
        this.engine = engine;
        this.broker = broker;
    }

    Broker broker() {
        return broker;
    }

    boolean isClustered() {
        return broker.isClustered();
    }

    ClusterPresence presence() {
        return presence;
    }

    /** This node's id in the cluster (random per start). */
    String node() {
        return node;
    }

    /**
     * Connects the broker. With other nodes: asks them who is present where, sends heartbeats every
     * third of {@code nodeTimeout} and drops nodes silent for longer, and checks rooms against the store
     * every {@code catchUpInterval}.
     */
    void start(ScheduledExecutorService timer, Duration catchUpInterval, Duration nodeTimeout) {
        broker.start(this);
        if (!broker.isClustered()) {
            return;
        }
        nodeTimeoutNanos = nodeTimeout.toNanos();
        broadcast(new Signal.Who(node, ""));
        long beat = Math.max(1, nodeTimeout.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        long sweep = Math.max(1, Math.min(1000, nodeTimeout.toMillis() / 10));
        timer.scheduleWithFixedDelay(this::dropSilentNodes, sweep, sweep, TimeUnit.MILLISECONDS);
        if (!catchUpInterval.isZero()) {
            long every = catchUpInterval.toMillis();
            timer.scheduleWithFixedDelay(engine::catchUpRooms, every, every, TimeUnit.MILLISECONDS);
        }
    }

    // ---- outgoing ----

    /** Publishes a change this node committed; a broker failure loses only the fast path. */
    void publish(RoomId room, Relayed relayed) {
        try {
            broker.publish(room, relayed.encode());
        } catch (RuntimeException e) {
            LOG.warn("Could not publish {} of room {}; other nodes will read it from the store", relayed.event().kind(),
                    room, e);
        }
    }

    /** A user became present in a room on this node (or their membership there changed). */
    void presentHere(Member member) {
        if (broker.isClustered()) { // a single node keeps no second copy of its presence
            presence.presentHere(member);
            broadcast(new Signal.Present(node, member));
        }
    }

    /** A user's presence in a room on this node ended. */
    void absentHere(RoomId room, UserId user, String reason) {
        if (broker.isClustered()) {
            presence.absentHere(room, user);
            broadcast(new Signal.Absent(node, room, user, reason));
        }
    }

    /** Passes a typing notice ({@code frame}, about {@code user}) to the room's connections on other nodes. */
    void typing(RoomId room, UserId user, OutboundFrame frame) {
        if (!broker.isClustered()) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(TYPING);
            out.writeUTF(user.value());
            java.nio.ByteBuffer utf8 = frame.utf8();
            byte[] copy = new byte[utf8.remaining()];
            utf8.get(copy);
            out.write(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            broker.publish(room, bytes.toByteArray());
        } catch (RuntimeException e) {
            LOG.debug("Could not publish a typing notice of room {}", room, e);
        }
    }

    /** Tells the other nodes that this node deleted {@code room}. */
    void roomDeleted(RoomId room) {
        presence.forgetRoom(room);
        if (broker.isClustered()) {
            broadcast(new Signal.RoomDeleted(node, room));
        }
    }

    /** Passes an activity event of this node to the other nodes' feeds (best effort, like the feed itself). */
    void activity(dev.webtalk.ActivityEvent event) {
        if (broker.isClustered()) {
            broadcast(new Signal.Activity(node, event));
        }
    }

    /** Tells the other nodes that this node stored new server settings. */
    void settingsChanged() {
        if (broker.isClustered()) {
            broadcast(new Signal.SettingsChanged(node));
        }
    }

    private void heartbeat() {
        broadcast(new Signal.Heartbeat(node, engine.connectionCount(), engine.usersOnlineHere(), presence.digestHere()));
    }

    private void dropSilentNodes() {
        for (String silent : presence.silentSince(System.nanoTime() - nodeTimeoutNanos)) {
            LOG.warn("Node {} sent nothing for {} ms: its users leave every room", silent,
                    TimeUnit.NANOSECONDS.toMillis(nodeTimeoutNanos));
            engine.presenceChanged(presence.nodeGone(silent));
        }
    }

    private void broadcast(Signal signal) {
        try {
            broker.broadcast(signal.encode());
        } catch (RuntimeException e) {
            LOG.warn("Could not send {} to the other nodes", signal.getClass().getSimpleName(), e);
        }
    }

    // ---- incoming ----

    @Override
    public void onRoomMessage(RoomId room, byte[] payload) {
        if (payload.length > 0 && payload[0] == TYPING) {
            typingElsewhere(room, payload);
            return;
        }
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

    private void typingElsewhere(RoomId room, byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            in.readUnsignedByte();
            UserId user = UserId.of(in.readUTF());
            byte[] frame = in.readAllBytes();
            engine.typingElsewhere(room, user, OutboundFrame.ofUtf8(frame));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Dropped a malformed typing notice for room {}: {}", room, e.toString());
        }
    }

    @Override
    public void onBroadcast(byte[] payload) {
        Signal signal;
        try {
            signal = Signal.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropped a cluster signal this node cannot read: {}", e.getMessage());
            return;
        }
        if (signal.node().equals(node)) {
            return;
        }
        if (signal instanceof Signal.Leaving) {
            engine.presenceChanged(presence.nodeGone(signal.node()));
            return;
        }
        presence.heard(signal.node(), System.nanoTime());
        if (signal instanceof Signal.Heartbeat h) {
            presence.beat(h);
            if (presence.digestOf(h.node()) != h.presence()) {
                // Our view of that node is off (a Present or Absent got lost): ask it for all of it.
                broadcast(new Signal.Who(node, h.node()));
            }
        } else if (signal instanceof Signal.Present p) {
            engine.presenceChanged(presence.present(p.node(), p.member()));
        } else if (signal instanceof Signal.Absent a) {
            engine.presenceChanged(presence.absent(a.node(), a.room(), a.user(), a.reason()));
        } else if (signal instanceof Signal.Who w) {
            if (w.target().isEmpty() || w.target().equals(node)) {
                broadcast(new Signal.Snapshot(node, presence.snapshotHere()));
            }
        } else if (signal instanceof Signal.Snapshot s) {
            engine.presenceChanged(presence.replace(s.node(), s.present()));
        } else if (signal instanceof Signal.SettingsChanged) {
            engine.reloadSettings();
        } else if (signal instanceof Signal.RoomDeleted d) {
            presence.forgetRoom(d.room());
            engine.roomDeletedElsewhere(d.room());
        } else if (signal instanceof Signal.Activity a) {
            engine.recordElsewhere(a.event());
        }
    }

    /**
     * Publications may have been lost both ways: rooms are checked against the store, the other nodes
     * hear again who is here, and are asked again who is there.
     */
    @Override
    public void onGap() {
        engine.catchUpRooms();
        broadcast(new Signal.Snapshot(node, presence.snapshotHere()));
        broadcast(new Signal.Who(node, ""));
    }

    /** Tells the other nodes that this one is going (its users leave at once), then disconnects. */
    void close() {
        if (broker.isClustered()) {
            broadcast(new Signal.Leaving(node));
        }
        try {
            broker.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the broker failed", e);
        }
    }

    /** Members present in {@code room} on other nodes. */
    List<Member> membersElsewhere(RoomId room) {
        return presence.membersElsewhere(room);
    }
}
