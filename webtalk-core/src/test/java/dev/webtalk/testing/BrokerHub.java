package dev.webtalk.testing;

import dev.webtalk.RoomId;
import dev.webtalk.spi.Broker;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Several {@link Broker}s in one JVM, connected to each other: each engine of a test cluster gets its
 * own {@link #node()}. Delivery is asynchronous (one thread per receiving node), in publication order per
 * publisher, never to the publisher itself, like a real broker. Faults on demand: drop chosen
 * publications ({@link #dropWhen}), cut a node off ({@link #disconnect}) and bring it back
 * ({@link #reconnect}, which tells it that it may have missed some), or {@link #sever} it for good, as
 * if its process died (nothing it says reaches anyone any more).
 */
public final class BrokerHub implements AutoCloseable {
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private volatile Predicate<byte[]> dropping = p -> false;
    private volatile Predicate<byte[]> droppingBroadcasts = p -> false;
    private final AtomicLong dropped = new AtomicLong();

    /** A new node's broker. */
    public Broker node() {
        Node node = new Node("node-" + (nodes.size() + 1));
        nodes.add(node);
        return node;
    }

    /** Drops, from now on, every room publication whose payload matches (in every node's delivery). */
    public void dropWhen(Predicate<byte[]> which) {
        this.dropping = Objects.requireNonNull(which, "which");
    }

    /** Drops, from now on, every broadcast (cluster-wide signal) whose payload matches. */
    public void dropBroadcastsWhen(Predicate<byte[]> which) {
        this.droppingBroadcasts = Objects.requireNonNull(which, "which");
    }

    /** Room publications dropped so far (counted once per receiving node). */
    public long dropped() {
        return dropped.get();
    }

    /** Cuts {@code broker} off: it receives nothing until {@link #reconnect}. */
    public void disconnect(Broker broker) {
        ((Node) broker).connected = false;
    }

    /** Connects {@code broker} again and tells it that publications may have been lost meanwhile. */
    public void reconnect(Broker broker) {
        Node node = (Node) broker;
        node.connected = true;
        node.delivery.execute(() -> node.receiver.onGap());
    }

    /** From now on nothing {@code broker}'s node publishes reaches anyone, and nothing reaches it. */
    public void sever(Broker broker) {
        Node node = (Node) broker;
        node.severed = true;
        node.connected = false;
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }

    private final class Node implements Broker {
        final String name;
        final ExecutorService delivery;
        final Set<RoomId> rooms = ConcurrentHashMap.newKeySet();
        volatile Receiver receiver;
        volatile boolean connected = true;
        volatile boolean closed;
        volatile boolean severed;

        Node(String name) {
            this.name = name;
            this.delivery = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "broker-hub-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void start(Receiver receiver) {
            this.receiver = Objects.requireNonNull(receiver, "receiver");
        }

        @Override
        public void subscribe(RoomId room) {
            rooms.add(room);
        }

        @Override
        public void unsubscribe(RoomId room) {
            rooms.remove(room);
        }

        @Override
        public void publish(RoomId room, byte[] payload) {
            if (severed) {
                return;
            }
            for (Node other : nodes) {
                if (other != this && !other.closed) {
                    other.deliver(() -> {
                        if (!other.connected || !other.rooms.contains(room) || other.receiver == null) {
                            return;
                        }
                        if (dropping.test(payload)) {
                            dropped.incrementAndGet();
                            return;
                        }
                        other.receiver.onRoomMessage(room, payload.clone());
                    });
                }
            }
        }

        @Override
        public void broadcast(byte[] payload) {
            if (severed) {
                return;
            }
            for (Node other : nodes) {
                if (other != this && !other.closed) {
                    other.deliver(() -> {
                        if (other.connected && other.receiver != null && !droppingBroadcasts.test(payload)) {
                            other.receiver.onBroadcast(payload.clone());
                        }
                    });
                }
            }
        }

        private void deliver(Runnable task) {
            try {
                delivery.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                // the node closed: like a real broker, nothing reaches it any more
            }
        }

        @Override
        public void close() {
            closed = true;
            delivery.shutdownNow();
        }

        @Override
        public String toString() {
            return "BrokerHub." + name;
        }
    }
}
