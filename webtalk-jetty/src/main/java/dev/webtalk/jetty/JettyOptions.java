package dev.webtalk.jetty;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link WebTalkJetty#install} mounts the engine. Build with {@link #builder(Authenticator)}; every
 * setter validates at once, so a bad configuration fails at start-up rather than on the first user.
 *
 * @param authenticator     decides who each handshake and REST caller is
 * @param webSocketPath     the WebSocket endpoint's path inside the context, e.g. {@code /ws}
 * @param apiPath           the REST API's path prefix inside the context, e.g. {@code /api}
 * @param allowedOrigins    exact {@code Origin} values allowed besides the server's own origin
 * @param idleTimeout       a WebSocket with no traffic for this long is closed
 * @param pingInterval      how long after a client's last answer the server sends it a WebSocket ping
 *                          (default 25 s); browsers and conforming clients answer with a pong by themselves
 * @param pongTimeout       how long a ping may wait for its pong (default 20 s) before the client is taken
 *                          to have stopped reading: it is closed with {@code 4005} and leaves presence at
 *                          once, so a dead reader is gone within {@code pingInterval + pongTimeout}
 * @param maxRequestBodyBytes the largest REST request body accepted
 * @param maxOutboundBytes  the most bytes a connection may have queued unsent before it is closed
 *                          with {@code 4003 slow consumer}; protects memory from a client that stops reading
 *                          (default 4 MiB; a frame is always accepted when nothing is queued)
 * @param maxOutboundFrames the most frames a connection may have queued unsent before it is closed
 *                          with {@code 4003} (default 1024); bounds the per-frame overhead that the
 *                          byte bound does not see
 * @param permessageDeflate whether to negotiate WebSocket compression (off by default: it costs a
 *                          native deflater per connection)
 * @param maxConnectionsPerIp open WebSockets allowed from one remote IP address (default 100); past it
 *                          the handshake is refused with {@code 429 rate_limited}. Behind a reverse
 *                          proxy every client shares the proxy's address: raise it there.
 * @param adminApi          whether the admin REST API ({@code <apiPath>/admin/…}) is served to principals
 *                          whose {@link dev.webtalk.Principal#isAdmin()} is true (off by default: without it
 *                          every admin path answers {@code 404 not_found}, admins included)
 * @param stopTimeout       how long a server stop waits for every WebSocket to be closed with {@code 1001}
 *                          when the host gave the server no stop timeout of its own (default 5 s)
 * @param closeEngineOnStop whether stopping the context closes the engine after its sockets are gone
 *                          (default true), so a server stop alone flushes the store; turn it off when the
 *                          engine outlives the context (e.g. one engine installed on several contexts)
 */
public record JettyOptions(Authenticator authenticator, String webSocketPath, String apiPath,
                           Set<String> allowedOrigins, Duration idleTimeout, Duration pingInterval,
                           Duration pongTimeout, int maxRequestBodyBytes,
                           long maxOutboundBytes, int maxOutboundFrames, boolean permessageDeflate,
                           int maxConnectionsPerIp, boolean adminApi, Duration stopTimeout,
                           boolean closeEngineOnStop) {

    public JettyOptions {
        Objects.requireNonNull(authenticator, "authenticator");
        webSocketPath = requirePath(webSocketPath, "webSocketPath");
        apiPath = requirePath(apiPath, "apiPath");
        if (webSocketPath.equals(apiPath)) {
            throw new IllegalArgumentException("webSocketPath and apiPath must differ: " + apiPath);
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (origin.isBlank() || origin.endsWith("/") || !origin.contains("://")) {
                throw new IllegalArgumentException(
                        "an allowed origin is scheme://host[:port] with no path, got: " + origin);
            }
        }
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(pingInterval, "pingInterval");
        requirePositive(pongTimeout, "pongTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        if (maxRequestBodyBytes < 1) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be positive: " + maxRequestBodyBytes);
        }
        if (maxOutboundBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxOutboundBytes must be at least 64 KiB: " + maxOutboundBytes);
        }
        if (maxOutboundFrames < 1) {
            throw new IllegalArgumentException("maxOutboundFrames must be positive: " + maxOutboundFrames);
        }
        if (maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("maxConnectionsPerIp must be positive: " + maxConnectionsPerIp);
        }
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
    }

    private static String requirePath(String path, String what) {
        Objects.requireNonNull(path, what);
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("*")) {
            throw new IllegalArgumentException(what + " must look like /name (no trailing slash, no *): " + path);
        }
        return path;
    }

    /**
     * Starts options with the defaults: {@code /ws}, {@code /api}, no admin API, same-origin only, 2 min idle
     * timeout, a ping 25 s after the last pong, answered within 20 s, a 5 s graceful stop that then closes
     * the engine.
     */
    public static Builder builder(Authenticator authenticator) {
        return new Builder(authenticator);
    }

    /** Builds {@link JettyOptions}. */
    public static final class Builder {
        private final Authenticator authenticator;
        private String webSocketPath = "/ws";
        private String apiPath = "/api";
        private Set<String> allowedOrigins = Set.of();
        private Duration idleTimeout = Duration.ofMinutes(2);
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(20);
        private int maxRequestBodyBytes = 64 * 1024;
        private long maxOutboundBytes = 4L * 1024 * 1024;
        private int maxOutboundFrames = 1024;
        private boolean permessageDeflate;
        private int maxConnectionsPerIp = 100;
        private boolean adminApi;
        private Duration stopTimeout = Duration.ofSeconds(5);
        private boolean closeEngineOnStop = true;

        private Builder(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /**
         * Where the WebSocket endpoint is mounted inside the context (default {@code /ws}), e.g.
         * {@code /chat/ws} when the application owns {@code /ws}.
         */
        public Builder webSocketPath(String path) {
            this.webSocketPath = path;
            return this;
        }

        /**
         * The REST API's prefix inside the context (default {@code /api}); the adapter maps
         * {@code <path>/*}, so an application that owns {@code /api/*} mounts WebTalk at, say, {@code /chat/api}.
         * Shared files are served under it too ({@code <path>/rooms/{id}/files/{fileId}}).
         */
        public Builder apiPath(String path) {
            this.apiPath = path;
            return this;
        }

        /**
         * Serves the admin REST API ({@code <apiPath>/admin/…}: statistics, every room, settings, moderation
         * as the server) to principals the authenticator marks {@linkplain dev.webtalk.Principal#isAdmin()
         * admin}. Off by default: every admin path then answers {@code 404 not_found}, whoever asks.
         */
        public Builder adminApi(boolean enabled) {
            this.adminApi = enabled;
            return this;
        }

        /**
         * How long a server stop waits for every WebSocket to be closed with {@code 1001 going away} (default
         * 5 s). Applies when the host left the server's own stop timeout at Jetty's default of 0, which
         * would drop sockets without a close frame; a stop timeout the host set on the server wins.
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Whether stopping the context (a {@code server.stop()}, or Jetty's shutdown hook) closes the
         * engine once its sockets are closed (default true). Turn it off when the engine must outlive the
         * context, e.g. one engine installed on several contexts; then the host closes it.
         */
        public Builder closeEngineOnStop(boolean close) {
            this.closeEngineOnStop = close;
            return this;
        }

        /**
         * Origins (e.g. {@code https://app.example.com}) allowed to open WebSockets and call the API
         * from a browser, compared exactly. The server's own origin is always allowed.
         */
        public Builder allowedOrigins(Set<String> origins) {
            this.allowedOrigins = Set.copyOf(origins);
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** How long after a client's last pong the server pings it again (default 25 s). */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /** How long a ping may wait for its pong before the client is closed with 4005 (default 20 s). */
        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = timeout;
            return this;
        }

        public Builder maxRequestBodyBytes(int bytes) {
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        public Builder maxOutboundBytes(long bytes) {
            this.maxOutboundBytes = bytes;
            return this;
        }

        /** Frames a connection may have queued unsent before it is closed with 4003 (default 1024). */
        public Builder maxOutboundFrames(int frames) {
            this.maxOutboundFrames = frames;
            return this;
        }

        public Builder permessageDeflate(boolean enabled) {
            this.permessageDeflate = enabled;
            return this;
        }

        /** Open WebSockets allowed per remote IP address (default 100). */
        public Builder maxConnectionsPerIp(int connections) {
            this.maxConnectionsPerIp = connections;
            return this;
        }

        /** Validates and returns the options. */
        public JettyOptions build() {
            return new JettyOptions(authenticator, webSocketPath, apiPath, allowedOrigins, idleTimeout,
                    pingInterval, pongTimeout, maxRequestBodyBytes, maxOutboundBytes, maxOutboundFrames, permessageDeflate, maxConnectionsPerIp,
                    adminApi, stopTimeout, closeEngineOnStop);
        }
    }
}
