package dev.webtalk.demo.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket connection, as a {@link BenchClient} writes to it. Any thread may call these
 * methods. What arrives goes to the client: {@link BenchClient#onText}, {@link BenchClient#onClosed}.
 */
interface ClientSocket {
    /** Sends one text frame; the future completes once it has been handed to the network. */
    CompletableFuture<Void> sendText(byte[] utf8);

    /** Starts the closing handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);

    /** Whether frames may still be sent. */
    boolean isOpen();
}
