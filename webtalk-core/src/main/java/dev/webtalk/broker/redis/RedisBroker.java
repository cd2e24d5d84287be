package dev.webtalk.broker.redis;

import dev.webtalk.RoomId;
import dev.webtalk.spi.Broker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Broker} on Redis pub/sub, through Lettuce: nodes sharing a store relay their committed room
 * events and cluster-wide signals through one Redis.
 *
 * <p>Each room has a channel {@code <prefix>:room:<roomId>}, broadcasts go to {@code <prefix>:all}, and
 * every publication carries this node's id so that it never receives its own. Publications go out on
 * one connection, in the order {@link #publish} was called (Lettuce keeps one connection's commands in
 * order); subscriptions live on a second, pub/sub connection. Nothing blocks: a publication that cannot be
 * sent, because Redis is unreachable or {@link RedisBrokerOptions#maxQueuedCommands()} commands already
 * wait for its answer, is dropped and counted, and the receivers fill the hole from the store. When the
 * pub/sub connection comes back after a loss, its rooms are subscribed again and then
 * {@link Receiver#onGap()} is called once. Publications this node dropped are not signalled: the other
 * nodes notice the hole when the room's next event reaches them.
 *
 * <p>Owns its Lettuce client and threads (two I/O, two computation); {@link #close()} stops them.
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final RedisBrokerOptions options;
    private final Channels channels;
    private final Framing framing;
    private final Counters counters = new Counters();
    private final Subscriptions subscriptions;
    private final ClientResources resources;
    private final RedisClient client;
    private final Reconnector<StatefulRedisConnection<byte[], byte[]>> publisher;
    private final Reconnector<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the last publication failed: a failure is logged only when it starts a run of them. */
    private final AtomicBoolean dropping = new AtomicBoolean();

    private RedisBroker(RedisBrokerOptions options) {
        this.options = options;
        this.channels = new Channels(options.channelPrefix());
        this.framing = new Framing(options.nodeId());
        this.subscriptions = new Subscriptions(channels, framing, counters);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(clientOptions(options));
        RedisURI redis = RedisURI.create(options.uri());
        redis.setTimeout(options.commandTimeout());
        RedisURI publishUri = named(redis, "pub");
        RedisURI subscribeUri = named(redis, "sub");
        this.publisher = new Reconnector<>("publish connection " + publishUri.getClientName(),
                () -> client.connectAsync(ByteArrayCodec.INSTANCE, publishUri),
                new Reconnector.Listener<>() {
                }, resources.eventExecutorGroup());
        this.subscriber = new Reconnector<>("pub/sub connection " + subscribeUri.getClientName(),
                () -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE, subscribeUri),
                subscriptions, resources.eventExecutorGroup());
    }

    /** A broker for the Redis at {@code redisUri} ({@code redis://host:port}), with the default options. */
    public static RedisBroker create(URI redisUri) {
        return create(RedisBrokerOptions.builder(redisUri).build());
    }

    /** A broker with these options. It connects when the engine {@linkplain #start starts} it. */
    public static RedisBroker create(RedisBrokerOptions options) {
        return new RedisBroker(Objects.requireNonNull(options, "options"));
    }

    private static ClientOptions clientOptions(RedisBrokerOptions options) {
        return ClientOptions.builder()
                // The Reconnector reopens connections (see there why not Lettuce).
                .autoReconnect(false)
                // Never buffer while disconnected: a publication that cannot go out now is dropped.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // Bounds the commands waiting for Redis' answer, hence memory while Redis stalls.
                .requestQueueSize(options.maxQueuedCommands())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.commandTimeout()).build())
                .build();
    }

    private RedisURI named(RedisURI redis, String role) {
        RedisURI named = RedisURI.builder(redis).build();
        named.setTimeout(options.commandTimeout());
        named.setClientName(options.channelPrefix() + ":" + options.nodeId() + ":" + role);
        return named;
    }

    /** The options this broker was built with, its node id among them. */
    public RedisBrokerOptions options() {
        return options;
    }

    /** Counters since creation. */
    public RedisBrokerStats stats() {
        return counters.snapshot();
    }

    /**
     * Whether both connections are open and the subscriptions confirmed. While not, publications are
     * dropped and nothing is received; the broker keeps reconnecting by itself.
     */
    public boolean isConnected() {
        return publisher.current() != null && subscriptions.isSubscribed();
    }

    @Override
    public void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (closed.get()) {
            throw new IllegalStateException("RedisBroker is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("RedisBroker already started");
        }
        subscriptions.start(receiver, subscriber::reopen);
        publisher.start();
        subscriber.start();
    }

    @Override
    public void subscribe(RoomId room) {
        subscriptions.subscribe(Objects.requireNonNull(room, "room"));
    }

    @Override
    public void unsubscribe(RoomId room) {
        subscriptions.unsubscribe(Objects.requireNonNull(room, "room"));
    }

    @Override
    public void publish(RoomId room, byte[] payload) {
        send(channels.room(Objects.requireNonNull(room, "room")), payload);
    }

    @Override
    public void broadcast(byte[] payload) {
        send(channels.all(), payload);
    }

    private void send(byte[] channel, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        StatefulRedisConnection<byte[], byte[]> connection = publisher.current();
        if (connection == null) {
            drop("no connection to Redis");
            return;
        }
        RedisFuture<Long> sent;
        try {
            sent = connection.async().publish(channel, framing.frame(payload));
        } catch (RuntimeException e) {
            drop(e.toString());
            return;
        }
        sent.whenComplete((receivers, error) -> {
            if (error == null) {
                counters.sent.increment();
                dropping.set(false);
            } else {
                drop(error.toString());
            }
        });
    }

    private void drop(String why) {
        counters.dropped.increment();
        if (!closed.get() && dropping.compareAndSet(false, true)) {
            LOG.warn("Dropping publications to Redis until it takes them again ({}); receivers read the "
                    + "missed events from the store", why);
        }
    }

    /** Disconnects and stops Lettuce's threads, waiting for them up to about 4 s. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        publisher.close();
        subscriber.close();
        try {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("Redis client did not shut down cleanly", e);
        }
        try {
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Redis client threads did not stop in time", e);
        }
    }

    @Override
    public String toString() {
        URI uri = options.uri();
        return "RedisBroker[" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort())
                + ", prefix " + options.channelPrefix() + ", node " + options.nodeId() + "]";
    }
}
