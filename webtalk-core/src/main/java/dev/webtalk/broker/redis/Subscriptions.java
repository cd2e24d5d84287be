package dev.webtalk.broker.redis;

import dev.webtalk.RoomId;
import dev.webtalk.spi.Broker.Receiver;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The rooms this node wants, kept subscribed on whichever pub/sub connection is current, and the
 * listener that hands other nodes' publications to the {@link Receiver}.
 *
 * <p>The wanted rooms are the truth; Redis' subscriptions follow them. Each new connection subscribes
 * to all of them (and the cluster-wide channel) in one command, and only once Redis has answered is the
 * receiver told of the gap: so a publication that the receiver's check of the store does not see yet
 * arrives on the new connection. A subscribe or unsubscribe command that fails gives the connection up:
 * the next one starts from the wanted rooms again, and signals a gap.
 *
 * <p>Lettuce calls the listener methods on the connection's event-loop thread, one message at a time,
 * in the order Redis sent them.
 */
final class Subscriptions extends RedisPubSubAdapter<byte[], byte[]>
        implements Reconnector.Listener<StatefulRedisPubSubConnection<byte[], byte[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final Channels channels;
    private final Framing framing;
    private final Counters counters;
    private final Set<RoomId> rooms = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: commands are sent under it, so Redis sees them in the order rooms changed. */
    private StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile Receiver receiver;
    private volatile Consumer<StatefulRedisPubSubConnection<byte[], byte[]>> giveUp;

    Subscriptions(Channels channels, Framing framing, Counters counters) {
        this.channels = channels;
        this.framing = framing;
        this.counters = counters;
    }

    /** Before the first connection: whom to deliver to, and how to give a connection up. */
    void start(Receiver receiver, Consumer<StatefulRedisPubSubConnection<byte[], byte[]>> giveUp) {
        this.receiver = receiver;
        this.giveUp = giveUp;
    }

    /** Whether a connection is open and its subscriptions confirmed. */
    boolean isSubscribed() {
        return subscribed;
    }

    void subscribe(RoomId room) {
        synchronized (lock) {
            if (rooms.add(room) && connection != null) {
                send(connection, c -> c.subscribe(channels.room(room)));
            }
        }
    }

    void unsubscribe(RoomId room) {
        synchronized (lock) {
            if (rooms.remove(room) && connection != null) {
                send(connection, c -> c.unsubscribe(channels.room(room)));
            }
        }
    }

    @Override
    public void opened(StatefulRedisPubSubConnection<byte[], byte[]> opened, boolean first) {
        opened.addListener(this);
        RedisFuture<Void> all;
        synchronized (lock) {
            connection = opened;
            List<byte[]> wanted = new ArrayList<>(rooms.size() + 1);
            wanted.add(channels.all());
            for (RoomId room : rooms) {
                wanted.add(channels.room(room));
            }
            try {
                all = opened.async().subscribe(wanted.toArray(new byte[0][]));
            } catch (RuntimeException e) {
                giveUp(opened, e);
                return;
            }
        }
        // Redis runs one SUBSCRIBE whole before it answers: at its answer every channel is subscribed.
        all.whenComplete((ignored, error) -> {
            if (error != null) {
                giveUp(opened, error);
                return;
            }
            synchronized (lock) {
                if (connection != opened) {
                    return; // lost meanwhile: the next connection signals the gap
                }
            }
            if (!first) {
                counters.gaps.increment();
                try {
                    receiver.onGap();
                } catch (RuntimeException e) {
                    LOG.warn("Broker receiver failed on a gap", e);
                }
            }
            synchronized (lock) {
                subscribed = connection == opened;
            }
        });
    }

    @Override
    public void lost(StatefulRedisPubSubConnection<byte[], byte[]> lost) {
        synchronized (lock) {
            if (connection == lost) {
                connection = null;
                subscribed = false;
            }
        }
    }

    @Override
    public void message(byte[] channel, byte[] frame) {
        byte[] payload = framing.foreignPayload(frame);
        if (payload == null) {
            return;
        }
        try {
            if (channels.isAll(channel)) {
                counters.received.increment();
                receiver.onBroadcast(payload);
                return;
            }
            RoomId room = channels.roomOf(channel);
            // A publication already on its way when the room was unsubscribed is not delivered.
            if (room != null && rooms.contains(room)) {
                counters.received.increment();
                receiver.onRoomMessage(room, payload);
            }
        } catch (RuntimeException e) {
            LOG.warn("Broker receiver failed on a publication", e);
        }
    }

    private void send(StatefulRedisPubSubConnection<byte[], byte[]> on,
                      Function<RedisPubSubAsyncCommands<byte[], byte[]>, RedisFuture<Void>> command) {
        RedisFuture<Void> sent;
        try {
            sent = command.apply(on.async());
        } catch (RuntimeException e) { // Lettuce throws rather than fails the future once shut down
            giveUp(on, e);
            return;
        }
        sent.whenComplete((ignored, error) -> {
            if (error != null) {
                giveUp(on, error);
            }
        });
    }

    private void giveUp(StatefulRedisPubSubConnection<byte[], byte[]> on, Throwable error) {
        LOG.debug("A pub/sub command failed; giving the connection up", error);
        giveUp.accept(on);
    }
}
