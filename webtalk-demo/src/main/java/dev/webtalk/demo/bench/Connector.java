package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the bench's connections: guest tokens over HTTP, then WebSocket handshakes through Jetty's core
 * client. With more than one local address, connection {@code i} leaves from {@code 127.0.0.(1 + i % K)}
 * so that many thousands of sockets to one server port do not run out of ephemeral ports (each source
 * address has its own port range). All client threads are named {@code bench-…}, which lets
 * {@link ServerProbe} tell them from the server's threads in an embedded run.
 */
final class Connector implements AutoCloseable {
    static final String THREAD_PREFIX = "bench-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    private final QueuedThreadPool threads;
    private final ScheduledExecutorScheduler scheduler;
    private final List<WebSocketCoreClient> clients = new ArrayList<>();
    private final ExecutorService httpThreads;
    private final java.net.http.HttpClient http;
    private final Configuration.ConfigurationCustomizer socketConfig = new Configuration.ConfigurationCustomizer();

    /**
     * @param localAddresses source addresses to spread over (1 = let the OS choose)
     * @param firstAddress   last byte of the first of them: 127.0.0.{firstAddress}
     * @param concurrency    handshakes the caller keeps in flight at once
     */
    Connector(int localAddresses, int firstAddress, int concurrency) throws Exception {
        // Each source address has its own connector, whose selector holds one pool thread for good.
        threads = new QueuedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()) + localAddresses, 2);
        threads.setName(THREAD_PREFIX + "client");
        threads.setDaemon(true);
        scheduler = new ScheduledExecutorScheduler(THREAD_PREFIX + "scheduler", true);
        threads.start();
        scheduler.start();
        for (int k = 0; k < localAddresses; k++) {
            ClientConnector connector = new ClientConnector();
            connector.setExecutor(threads);
            connector.setScheduler(scheduler);
            connector.setSelectors(1);
            if (localAddresses > 1 || firstAddress > 1) {
                connector.setBindAddress(new InetSocketAddress("127.0.0." + (firstAddress + k), 0));
            }
            HttpClient httpClient = new HttpClient(new HttpClientTransportOverHTTP(connector));
            httpClient.setExecutor(threads);
            httpClient.setScheduler(scheduler);
            httpClient.setMaxConnectionsPerDestination(concurrency + 8);
            httpClient.setMaxRequestsQueuedPerDestination(Math.max(1024, 2 * concurrency));
            httpClient.setConnectTimeout(HANDSHAKE_TIMEOUT.toMillis());
            WebSocketCoreClient client = new WebSocketCoreClient(httpClient, null);
            client.start();
            if (!httpClient.isStarted()) {
                httpClient.start();
            }
            clients.add(client);
        }
        // Long runs: the client never times out an idle socket; the bench sends protocol pings instead.
        socketConfig.setIdleTimeout(Duration.ofHours(2));
        socketConfig.setMaxFrameSize(4L << 20);
        socketConfig.setMaxTextMessageSize(4L << 20);
        AtomicInteger httpThreadCount = new AtomicInteger();
        httpThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + "http-" + httpThreadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .executor(httpThreads).connectTimeout(HANDSHAKE_TIMEOUT).build();
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
    CompletableFuture<CoreSession> connect(BenchClient client, URI url) {
        WebSocketCoreClient via = clients.get(client.index % clients.size());
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(via, url, client);
        request.setConfiguration(socketConfig);
        request.timeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return via.connect(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (WebSocketCoreClient client : clients) {
            client.stop();
            client.getHttpClient().stop();
        }
        scheduler.stop();
        threads.stop();
        httpThreads.shutdownNow();
    }
}
