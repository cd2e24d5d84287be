package dev.webtalk.demo.bench;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Jetty's core WebSocket client ({@code --client jetty}; the one for {@code wss://}). Its selectors hand
 * each readable connection to a pool thread, which parses the frames and calls {@link JettySocket}; the
 * pool's threads cannot be told apart, so the report counts the client's CPU as a whole. With more than
 * one local address, each has its own connector (and selector thread).
 */
final class JettyTransport implements Transport {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    private final QueuedThreadPool threads;
    private final ScheduledExecutorScheduler scheduler;
    private final List<WebSocketCoreClient> clients = new ArrayList<>();
    private final Configuration.ConfigurationCustomizer socketConfig = new Configuration.ConfigurationCustomizer();

    /**
     * @param localAddresses source addresses to spread over (1 = let the OS choose)
     * @param firstAddress   last byte of the first of them: 127.0.0.{firstAddress}
     * @param concurrency    handshakes the caller keeps in flight at once
     */
    JettyTransport(int localAddresses, int firstAddress, int concurrency) throws Exception {
        // Each source address has its own connector, whose selector holds one pool thread for good.
        threads = new QueuedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()) + localAddresses, 2);
        threads.setName(Connector.THREAD_PREFIX + "client");
        threads.setDaemon(true);
        scheduler = new ScheduledExecutorScheduler(Connector.THREAD_PREFIX + "scheduler", true);
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
        socketConfig.setMaxFrameSize(NioSocket.MAX_PAYLOAD);
        socketConfig.setMaxTextMessageSize(NioSocket.MAX_PAYLOAD);
    }

    @Override
    public CompletableFuture<Void> connect(BenchClient client, URI url) {
        WebSocketCoreClient via = clients.get(client.index % clients.size());
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(via, url, new JettySocket(client));
        request.setConfiguration(socketConfig);
        request.timeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return via.connect(request).thenApply(session -> null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<Thread> ioThreads() {
        return List.of();
    }

    @Override
    public String description() {
        return "client: jetty (Jetty's core WebSocket client, a pool of up to " + threads.getMaxThreads()
                + " threads bench-client-*)";
    }

    @Override
    public void close() throws Exception {
        for (WebSocketCoreClient client : clients) {
            client.stop();
            client.getHttpClient().stop();
        }
        scheduler.stop();
        threads.stop();
    }
}
