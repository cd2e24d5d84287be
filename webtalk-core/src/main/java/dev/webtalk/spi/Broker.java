package dev.webtalk.spi;

import dev.webtalk.RoomId;

/**
 * Relays what one engine commits to the other engines (nodes) that share its store: the cluster SPI.
 *
 * <p>A broker is a fast path, never the truth. Each node publishes every room event it commits, once,
 * already encoded; the nodes with members present in that room deliver it to their own connections.
 * A publication may be lost (the broker restarts, a node reconnects): receivers notice the hole in the
 * room's stream positions, or are told by {@link Receiver#onGap()}, and read what they missed from the
 * store. So a broker needs no persistence and no acknowledgements; it must only keep the publications
 * of one room from one node in the order they were published, and never deliver a node its own.
 *
 * <p>{@link #broadcast} carries cluster-wide signals that belong to no room's stream (presence, typing,
 * a user's connections to close): best effort, in order per publishing node.
 *
 * <p>The default is {@link #LOCAL}: one node, nothing to relay. Threading: every method may be called
 * from any thread and must not block (queue and return); the receiver may be called from the broker's
 * own threads, one publication at a time per room.
 */
public interface Broker extends AutoCloseable {

    /** The broker of a single node: relays nothing. */
    Broker LOCAL = new Broker() {
        @Override
        public void start(Receiver receiver) {
        }

        @Override
        public void subscribe(RoomId room) {
        }

        @Override
        public void unsubscribe(RoomId room) {
        }

        @Override
        public void publish(RoomId room, byte[] payload) {
        }

        @Override
        public void broadcast(byte[] payload) {
        }

        @Override
        public boolean isClustered() {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "Broker.LOCAL";
        }
    };

    /**
     * Connects and starts delivering other nodes' publications to {@code receiver}. Called once, by the
     * engine as it starts, before any other method.
     */
    void start(Receiver receiver);

    /** Delivers the room's publications from now on. Idempotent. */
    void subscribe(RoomId room);

    /** Stops delivering the room's publications. Idempotent. */
    void unsubscribe(RoomId room);

    /**
     * Sends {@code payload} to every other node subscribed to {@code room}, after every earlier
     * publication of this node for that room. Never blocks; a publication that cannot be sent is dropped
     * (the receivers fill the hole from the store).
     */
    void publish(RoomId room, byte[] payload);

    /** Sends {@code payload} to every other node. Never blocks; best effort. */
    void broadcast(byte[] payload);

    /**
     * Whether other nodes may exist: {@code false} only for {@link #LOCAL}, which lets a single engine
     * skip the work of being one of several.
     */
    default boolean isClustered() {
        return true;
    }

    /** Disconnects. Idempotent. */
    @Override
    void close();

    /** Where a broker hands what other nodes published. */
    interface Receiver {
        /** A publication of another node for {@code room}, which this node subscribed to. */
        void onRoomMessage(RoomId room, byte[] payload);

        /** A {@link #broadcast} of another node. */
        void onBroadcast(byte[] payload);

        /**
         * Publications may have been lost (the connection to the broker dropped and came back): every
         * subscribed room must be checked against the store.
         */
        void onGap();
    }
}
