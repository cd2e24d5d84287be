package dev.webtalk.broker.redis;

/**
 * What a {@link RedisBroker} has done since it was created: a snapshot, for tests and admin pages.
 *
 * @param sent          publications and broadcasts that Redis confirmed
 * @param dropped       publications and broadcasts not sent or not confirmed: Redis was unreachable, too
 *                      many commands were waiting, or no answer came within the command timeout. The
 *                      receivers fill the holes from the store.
 * @param received      other nodes' publications and broadcasts handed to the receiver
 * @param gapsSignalled times the receiver was told publications may have been lost
 *                      ({@link dev.webtalk.spi.Broker.Receiver#onGap()}): once per return of the
 *                      subscriber connection
 */
public record RedisBrokerStats(long sent, long dropped, long received, long gapsSignalled) {
}
