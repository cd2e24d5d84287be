package dev.webtalk.demo.bench;

import java.util.Locale;

/** Which WebSocket client the bench's connections use ({@code --client}). */
enum ClientKind {
    /** The tool's own: a few threads, each reading and scanning many connections ({@code ws://} only). */
    NIO,
    /** Jetty's core WebSocket client: a thread pool; needed for {@code wss://}. */
    JETTY;

    /** The name on the command line. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ClientKind parse(String raw) {
        for (ClientKind k : values()) {
            if (k.wireName().equals(raw)) {
                return k;
            }
        }
        throw new BenchOptions.UsageException("--client must be nio or jetty, got '" + raw + "'");
    }
}
