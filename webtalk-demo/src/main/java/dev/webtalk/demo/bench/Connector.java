package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the bench's connections: guest tokens over HTTP, then WebSocket handshakes through the chosen
 * {@link Transport}. With more than one local address, connection {@code i} leaves from
 * {@code 127.0.0.(1 + i % K)} so that many thousands of sockets to one server port do not run out of
 * ephemeral ports (each source address has its own port range). All client threads are named
 * {@code bench-…}, which lets {@link ServerProbe} tell them from the server's threads in an embedded run.
 */
final class Connector implements AutoCloseable {
    static final String THREAD_PREFIX = "bench-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    private final Transport transport;
    private final ExecutorService httpThreads;
    private final java.net.http.HttpClient http;

    /**
     * @param client         which WebSocket client serves the connections
     * @param clientThreads  {@link ClientKind#NIO}: its I/O threads
     * @param localAddresses source addresses to spread over (1 = let the OS choose)
     * @param firstAddress   last byte of the first of them: 127.0.0.{firstAddress}
     * @param concurrency    handshakes the caller keeps in flight at once
     */
    Connector(ClientKind client, int clientThreads, int localAddresses, int firstAddress, int concurrency)
            throws Exception {
        transport = client == ClientKind.NIO ? new NioTransport(clientThreads, localAddresses, firstAddress)
                : new JettyTransport(localAddresses, firstAddress, concurrency);
        AtomicInteger httpThreadCount = new AtomicInteger();
        httpThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + "http-" + httpThreadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .executor(httpThreads).connectTimeout(HANDSHAKE_TIMEOUT).build();
    }

    Transport transport() {
        return transport;
    }

    /** Asks the demo's {@code POST /api/guest} for a token for {@code name}. */
    CompletableFuture<String> guestToken(URI tokenUrl, String name) {
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(HANDSHAKE_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("name", name).toString()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + tokenUrl + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            try {
                JsonNode token = JSON.readTree(response.body()).path("token");
                if (!token.isTextual()) {
                    throw new IllegalStateException("POST " + tokenUrl + " gave no token: " + response.body());
                }
                return token.asText();
            } catch (IOException e) {
                throw new IllegalStateException("POST " + tokenUrl + " answered non-JSON: " + response.body(), e);
            }
        });
    }

    /** The WebSocket URL with {@code ?token=…} added (or as is without a token). */
    static URI withToken(URI url, String token) {
        if (token == null) {
            return url;
        }
        String s = url.toString();
        return URI.create(s + (url.getRawQuery() == null ? "?" : "&") + "token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** Starts the handshake for {@code client}; the future completes when the socket is open. */
    CompletableFuture<Void> connect(BenchClient client, URI url) {
        return transport.connect(client, url);
    }

    @Override
    public void close() throws Exception {
        try {
            transport.close();
        } finally {
            httpThreads.shutdownNow();
        }
    }
}
