package dev.webtalk.demo.bench;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens the bench's WebSocket connections and owns the threads that serve them, all named
 * {@code bench-…}. Two kinds ({@code --client}): {@link NioTransport}, the tool's own non-blocking
 * client where a few threads each serve many connections, and {@link JettyTransport}, Jetty's core
 * WebSocket client (the one for {@code wss://}).
 */
interface Transport extends AutoCloseable {
    /**
     * Starts the handshake of {@code client}'s connection to {@code url}; completes when the socket is
     * open, after {@link BenchClient#onOpen} was called.
     */
    CompletableFuture<Void> connect(BenchClient client, URI url);

    /**
     * The threads that read and parse what arrives (each able to use at most one core), for the report's
     * client CPU; empty when they cannot be told apart from others (a shared pool).
     */
    List<Thread> ioThreads();

    /** How the connections are served, for the report's notes. */
    String description();
}
