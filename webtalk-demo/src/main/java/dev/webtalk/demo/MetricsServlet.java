package dev.webtalk.demo;

import dev.webtalk.protocol.ErrorCode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: every meter of the demo's registry (the engine's {@code webtalk.*} meters, JVM and
 * process meters) in Prometheus text format, for a scraper that sends {@code Authorization: Bearer TOKEN}
 * with the configured {@code --metrics-token}; anyone else gets {@code 401}. Metrics name rooms' load and
 * the server's internals, so they are not public.
 */
final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry;
    private final byte[] expected;

    MetricsServlet(PrometheusMeterRegistry registry, String token) {
        this.registry = registry;
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String authorization = request.getHeader("Authorization");
        // Constant time, so the answer's timing tells nothing about the token.
        if (authorization == null
                || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            JsonExchange.error(response, ErrorCode.UNAUTHORIZED, "Send the metrics token as a bearer token");
            return;
        }
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(registry.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
