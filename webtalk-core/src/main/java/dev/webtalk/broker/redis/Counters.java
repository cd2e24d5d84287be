package dev.webtalk.broker.redis;

import java.util.concurrent.atomic.LongAdder;

/** The broker's counters, updated from any thread; {@link #snapshot()} reads them for {@link RedisBrokerStats}. */
final class Counters {
    final LongAdder sent = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder gaps = new LongAdder();

    RedisBrokerStats snapshot() {
        return new RedisBrokerStats(sent.sum(), dropped.sum(), received.sum(), gaps.sum());
    }
}
