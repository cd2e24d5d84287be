package dev.webtalk.broker.redis;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link RedisBroker} connects and names what it publishes. Build with {@link #builder(URI)};
 * {@link Builder#build()} validates, so a bad configuration fails at start-up.
 *
 * @param uri               the Redis server, {@code redis://[:password@]host[:port]} or {@code rediss://…};
 *                          a database number in it does not matter (pub/sub ignores databases)
 * @param channelPrefix     starts every channel name (default {@code webtalk}), so several deployments or
 *                          test runs can share one Redis: only nodes with the same prefix hear each other
 * @param nodeId            this node's name in every publication, by which it skips its own; unique per
 *                          broker. Generated (16 hex digits) unless set; set it only to recognise the
 *                          node in Redis' {@code CLIENT LIST}, where its connections are named
 *                          {@code <prefix>:<nodeId>:pub} and {@code …:sub}
 * @param commandTimeout    how long a connection attempt or a command may take (default 5 s); a
 *                          publication not confirmed by then counts as dropped
 * @param maxQueuedCommands commands a connection may have waiting for Redis' answer (default 10,000);
 *                          past it publications are dropped, so a stalled Redis cannot grow memory
 *                          without bound
 */
public record RedisBrokerOptions(URI uri, String channelPrefix, String nodeId, Duration commandTimeout,
                                 int maxQueuedCommands) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RedisBrokerOptions {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException("uri must be redis://host[:port] or rediss://…, got: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("uri has no host: " + uri);
        }
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        if (!PREFIX.matcher(channelPrefix).matches()) {
            throw new IllegalArgumentException(
                    "channelPrefix must be 1..64 of A-Z a-z 0-9 . _ : -, got: " + channelPrefix);
        }
        Objects.requireNonNull(nodeId, "nodeId");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("nodeId must be 1..64 of A-Z a-z 0-9 . _ -, got: " + nodeId);
        }
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
        }
        if (maxQueuedCommands < 1) {
            throw new IllegalArgumentException("maxQueuedCommands must be positive: " + maxQueuedCommands);
        }
    }

    /** Starts options for the Redis at {@code uri}, with the defaults and a generated node id. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Builds {@link RedisBrokerOptions}. */
    public static final class Builder {
        private static final SecureRandom RANDOM = new SecureRandom();

        private final URI uri;
        private String channelPrefix = "webtalk";
        private String nodeId;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int maxQueuedCommands = 10_000;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Starts every channel name (default {@code webtalk}). */
        public Builder channelPrefix(String prefix) {
            this.channelPrefix = prefix;
            return this;
        }

        /** This node's id; unique among the nodes (default: 16 random hex digits). */
        public Builder nodeId(String id) {
            this.nodeId = id;
            return this;
        }

        /** How long a connection attempt or command may take (default 5 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** Commands a connection may have waiting for Redis' answer before it drops more (default 10,000). */
        public Builder maxQueuedCommands(int commands) {
            this.maxQueuedCommands = commands;
            return this;
        }

        /** Validates and returns the options. */
        public RedisBrokerOptions build() {
            String id = nodeId != null ? nodeId : HexFormat.of().toHexDigits(RANDOM.nextLong());
            return new RedisBrokerOptions(uri, channelPrefix, id, commandTimeout, maxQueuedCommands);
        }
    }
}
