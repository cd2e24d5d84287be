/** A {@link dev.webtalk.spi.ChatStore} kept in memory, for tests, demos and hosts that need no history. */
package dev.webtalk.store.memory;
