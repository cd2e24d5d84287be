/**
 * Stores in PostgreSQL, for several WebTalk nodes sharing one database: {@link
 * dev.webtalk.store.postgres.PostgresChatStore} (rooms, members, messages, the event stream) and {@link
 * dev.webtalk.store.postgres.PostgresAttachmentStore} (the bytes of shared files), both on one {@link
 * dev.webtalk.store.postgres.PostgresDatabase} connection pool; {@link
 * dev.webtalk.store.postgres.PostgresMaintenance} checks, wipes and backs up such a store.
 *
 * <p>The only package of webtalk-core that uses the PostgreSQL driver and HikariCP, both optional
 * dependencies: a host that uses these classes adds {@code org.postgresql:postgresql} and
 * {@code com.zaxxer:HikariCP} to its own dependencies.
 */
package dev.webtalk.store.postgres;
