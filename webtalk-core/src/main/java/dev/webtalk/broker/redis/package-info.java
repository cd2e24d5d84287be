/**
 * A {@link dev.webtalk.spi.Broker} on Redis pub/sub: see {@link dev.webtalk.broker.redis.RedisBroker}.
 *
 * <p>The only package of webtalk-core that uses Lettuce, an optional dependency: a host that picks this
 * broker adds {@code io.lettuce:lettuce-core} to its own dependencies; every other host never loads it.
 */
package dev.webtalk.broker.redis;
