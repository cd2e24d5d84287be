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
 */
public record JettyOptions(Authenticator authenticator, String webSocketPath, String apiPath,
                           Set<String> allowedOrigins, Duration idleTimeout, int maxRequestBodyBytes,
                           long maxOutboundBytes, int maxOutboundFrames, boolean permessageDeflate,
                           int maxConnectionsPerIp) {

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
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
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

    private static String requirePath(String path, String what) {
        Objects.requireNonNull(path, what);
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("*")) {
            throw new IllegalArgumentException(what + " must look like /name (no trailing slash, no *): " + path);
        }
        return path;
    }

    /** Starts options with the defaults: {@code /ws}, {@code /api}, same-origin only, 2 min idle timeout. */
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
        private int maxRequestBodyBytes = 64 * 1024;
        private long maxOutboundBytes = 4L * 1024 * 1024;
        private int maxOutboundFrames = 1024;
        private boolean permessageDeflate;
        private int maxConnectionsPerIp = 100;

        private Builder(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        public Builder webSocketPath(String path) {
            this.webSocketPath = path;
            return this;
        }

        public Builder apiPath(String path) {
            this.apiPath = path;
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
                    maxRequestBodyBytes, maxOutboundBytes, maxOutboundFrames, permessageDeflate, maxConnectionsPerIp);
        }
    }
}
