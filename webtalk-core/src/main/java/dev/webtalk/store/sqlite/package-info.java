/** A durable {@link dev.webtalk.spi.ChatStore} in a single SQLite file: see {@link dev.webtalk.store.sqlite.SqliteChatStore}. */
package dev.webtalk.store.sqlite;
