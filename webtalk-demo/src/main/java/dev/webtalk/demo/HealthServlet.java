package dev.webtalk.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.StoreUnavailableException;
import dev.webtalk.WebTalk;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes for an orchestrator (open to anyone, no detail disclosed):
 * <ul>
 *   <li>{@code GET /health} (liveness): {@code 200 {"status":"up"}} while the process serves HTTP;</li>
 *   <li>{@code GET /ready} (readiness): {@code 200 {"status":"ready"}} when the store answers a ping
 *       within {@link #READY_TIMEOUT}, otherwise {@code 503 {"status":"unavailable","reason":…}} with
 *       reason {@code store_unreachable}, {@code store_error} or {@code store_timeout}.</li>
 * </ul>
 * One store check runs at a time: probes that arrive meanwhile share its answer, so a store that hangs
 * does not pile up threads.
 */
final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);
    /** How long {@code /ready} waits for the store before it answers 503. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(3);

    private final transient WebTalk chat;
    private final transient AtomicReference<CompletableFuture<Void>> check = new AtomicReference<>();

    HealthServlet(WebTalk chat) {
        this.chat = chat;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/ready".equals(request.getServletPath())) {
            ready(response);
        } else {
            JsonExchange.write(response, 200, JsonExchange.object().put("status", "up"));
        }
    }

    private void ready(HttpServletResponse response) throws IOException {
        String reason;
        try {
            storeCheck().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            JsonExchange.write(response, 200, JsonExchange.object().put("status", "ready"));
            return;
        } catch (TimeoutException e) {
            reason = "store_timeout";
        } catch (ExecutionException e) {
            reason = e.getCause() instanceof StoreUnavailableException ? "store_unreachable" : "store_error";
            LOG.debug("Readiness: the store did not answer", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "store_timeout";
        }
        ObjectNode body = JsonExchange.object().put("status", "unavailable").put("reason", reason);
        JsonExchange.write(response, 503, body);
    }

    /** The store check in flight, or a new one. */
    private CompletableFuture<Void> storeCheck() {
        while (true) {
            CompletableFuture<Void> running = check.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (check.compareAndSet(null, mine)) {
                Thread thread = new Thread(() -> {
                    try {
                        chat.checkStore();
                        mine.complete(null);
                    } catch (RuntimeException e) {
                        mine.completeExceptionally(e);
                    } finally {
                        check.compareAndSet(mine, null);
                    }
                }, "webtalk-ready-check");
                thread.setDaemon(true);
                thread.start();
                return mine;
            }
        }
    }
}
