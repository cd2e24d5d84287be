package dev.webtalk.metrics.micrometer;

import dev.webtalk.EngineLoad;
import dev.webtalk.WebTalk;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.spi.EngineObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The engine's meters for Micrometer: connections, rooms, messages and frames, fan-out deliveries, store
 * batches and commit time, queue depths, dropped slow consumers, rate-limit refusals and errors by code,
 * all named {@code webtalk.*} (the table in docs/METRICS.md). The host registers it with its registry:
 *
 * <pre>{@code
 * new WebTalkMetrics(chat).bindTo(registry);
 * }</pre>
 *
 * <p>Gauges read {@link WebTalk#load()} when the registry is read; counters, the summary and the timer are
 * fed by an {@link EngineObserver} that {@link #bindTo} attaches to the engine, so they count what happens
 * from then on. Binding to several registries counts into each; {@link #close()} detaches the observers.
 * Micrometer is an optional dependency of webtalk-core: only this package refers to it.
 */
public final class WebTalkMetrics implements MeterBinder, AutoCloseable {
    private final WebTalk webTalk;
    private final Tags tags;
    private final List<EngineObserver> attached = new CopyOnWriteArrayList<>();

    /** Meters for {@code webTalk}, without extra tags. */
    public WebTalkMetrics(WebTalk webTalk) {
        this(webTalk, Tags.empty());
    }

    /** Meters for {@code webTalk}, each with {@code tags} (e.g. the node's name in a cluster). */
    public WebTalkMetrics(WebTalk webTalk, Iterable<Tag> tags) {
        this.webTalk = Objects.requireNonNull(webTalk, "webTalk");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "webtalk.connections", "Open connections", EngineLoad::connections);
        gauge(registry, "webtalk.rooms.loaded", "Rooms whose live state is in memory", EngineLoad::roomsLoaded);
        gauge(registry, "webtalk.rooms.active", "Loaded rooms with at least one user present", EngineLoad::roomsActive);
        gauge(registry, "webtalk.store.queued", "Write groups waiting for the store writer", EngineLoad::pendingWrites);
        gauge(registry, "webtalk.rooms.queued", "Tasks waiting on the rooms' lanes", EngineLoad::queuedRoomTasks);
        gauge(registry, "webtalk.connections.queued", "Frames queued for clients and not yet written",
                EngineLoad::queuedOutboundFrames);
        Observer observer = new Observer(registry);
        attached.add(observer);
        webTalk.addObserver(observer);
    }

    /** Stops counting: detaches every observer {@link #bindTo} attached. The meters stay registered. */
    @Override
    public void close() {
        for (EngineObserver observer : attached) {
            webTalk.removeObserver(observer);
        }
        attached.clear();
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<EngineLoad> value) {
        Gauge.builder(name, webTalk, w -> value.applyAsDouble(w.load()))
                .description(description).tags(tags).register(registry);
    }

    /** The meters of one registry, fed by the engine. */
    private final class Observer implements EngineObserver {
        private final Counter opened;
        private final Counter droppedSlow;
        private final Counter droppedSilent;
        private final Counter droppedOther;
        private final Counter received;
        private final Counter frames;
        private final Counter deliveries;
        private final DistributionSummary batchSize;
        private final Counter writes;
        private final Timer commit;
        private final Map<Limit, Counter> refusals = new EnumMap<>(Limit.class);
        private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

        Observer(MeterRegistry registry) {
            opened = counter(registry, "webtalk.connections.opened", "Connections accepted", Tags.empty());
            droppedSlow = dropped(registry, "slow_consumer");
            droppedSilent = dropped(registry, "not_responding");
            droppedOther = dropped(registry, "other");
            received = counter(registry, "webtalk.messages.received", "Messages accepted from users", Tags.empty());
            frames = counter(registry, "webtalk.frames.sent", "Frames handed to connections, replies and pushes",
                    Tags.empty());
            deliveries = counter(registry, "webtalk.fanout.deliveries",
                    "Pushes handed to connections (one per recipient)", Tags.empty());
            batchSize = DistributionSummary.builder("webtalk.store.batch.size")
                    .description("Write groups committed together in one store transaction")
                    .tags(tags).register(registry);
            writes = counter(registry, "webtalk.store.writes", "Single writes committed to the store", Tags.empty());
            commit = Timer.builder("webtalk.store.commit")
                    .description("Time the store takes to commit one batch")
                    .tags(tags).register(registry);
            for (Limit limit : Limit.values()) {
                refusals.put(limit, counter(registry, "webtalk.rate.limited",
                        "Requests refused rate_limited, by the limit that refused them", Tags.of("limit", limit.tag())));
            }
            for (ErrorCode code : ErrorCode.values()) {
                errors.put(code, counter(registry, "webtalk.errors", "Error frames sent to clients, by code",
                        Tags.of("code", code.wire())));
            }
        }

        private Counter dropped(MeterRegistry registry, String reason) {
            return counter(registry, "webtalk.connections.dropped",
                    "Connections the transport gave up on because the client did not read", Tags.of("reason", reason));
        }

        private Counter counter(MeterRegistry registry, String name, String description, Tags extra) {
            return Counter.builder(name).description(description).tags(tags.and(extra)).register(registry);
        }

        @Override
        public void connectionOpened() {
            opened.increment();
        }

        @Override
        public void connectionDropped(int closeCode) {
            switch (closeCode) {
                case CloseCodes.SLOW_CONSUMER -> droppedSlow.increment();
                case CloseCodes.NOT_RESPONDING -> droppedSilent.increment();
                default -> droppedOther.increment();
            }
        }

        @Override
        public void messageReceived() {
            received.increment();
        }

        @Override
        public void frameSent(boolean reply) {
            frames.increment();
            if (!reply) {
                deliveries.increment();
            }
        }

        @Override
        public void pushesSent(int count) {
            frames.increment(count);
            deliveries.increment(count);
        }

        @Override
        public void storeBatchCommitted(int groups, int writeCount, long nanos) {
            batchSize.record(groups);
            writes.increment(writeCount);
            commit.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void rateLimited(Limit limit) {
            refusals.get(limit).increment();
        }

        @Override
        public void errorSent(ErrorCode code) {
            errors.get(code).increment();
        }

        @Override
        public String toString() {
            return "WebTalkMetrics.Observer";
        }
    }
}
