package dev.webtalk.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.webtalk.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * One PostgreSQL database (and schema) that WebTalk keeps its data in, with the connection pool every
 * store opened from it shares: open it once per node, then take the {@link #chatStore()} and the
 * {@link #attachmentStore()} from it.
 *
 * <p>Opening connects, brings the schema to the current version (safe when several nodes open at once:
 * see {@link Migrations}) and checks that the user may write, so a wrong URL, a missing grant or a
 * read-only standby fails at start with a message that says which.
 *
 * <p>Closing the database closes the pool, after letting running write transactions finish; from then
 * on every store opened from it throws {@link StoreException}. Closing a store taken from it leaves the
 * database and its other store open. Both closes are idempotent. Thread-safe.
 */
public final class PostgresDatabase implements AutoCloseable {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Where and how to connect.
     *
     * @param jdbcUrl a {@code jdbc:postgresql://} URL; it may carry the user and password itself
     * @param user the user, or {@code null} for the URL's (default {@code null})
     * @param password the password, or {@code null} for the URL's (default {@code null})
     * @param poolSize connections in the pool, shared by writes, reads and attachments (default 10)
     * @param schema the schema to keep the tables in, created if missing; {@code null} for the
     *     connection's default schema, usually {@code public} (default {@code null}). Lowercase letters,
     *     digits and {@code _}, so several deployments (or tests) can share one database.
     * @param connectTimeout how long to wait for a connection, from the server or from a busy pool
     *     (default 10 s)
     */
    public record Options(String jdbcUrl, String user, String password, int poolSize, String schema,
                          Duration connectTimeout) {
        public Options {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was " + redact(jdbcUrl));
            }
            // The driver lets a URL parameter win over the same property: a second value would be ignored.
            if (user != null && hasParameter(jdbcUrl, "user")) {
                throw new IllegalArgumentException("the user is given twice, in the URL and as an option");
            }
            if (password != null && hasParameter(jdbcUrl, "password")) {
                throw new IllegalArgumentException("the password is given twice, in the URL and as an option");
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
            }
            if (schema != null && !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be 1..63 lowercase letters, digits or _ (not "
                        + "starting with a digit), was " + schema);
            }
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.compareTo(Duration.ofMillis(250)) < 0 || connectTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("connectTimeout must be 250 ms..1 h, was " + connectTimeout);
            }
        }

        /** The URL with the defaults: credentials from the URL, 10 connections, the default schema, 10 s. */
        public static Options of(String jdbcUrl) {
            return new Options(jdbcUrl, null, null, 10, null, Duration.ofSeconds(10));
        }

        public Options withCredentials(String user, String password) {
            return new Options(jdbcUrl, user, password, poolSize, schema, connectTimeout);
        }

        public Options withPoolSize(int v) {
            return new Options(jdbcUrl, user, password, v, schema, connectTimeout);
        }

        public Options withSchema(String v) {
            return new Options(jdbcUrl, user, password, poolSize, v, connectTimeout);
        }

        public Options withConnectTimeout(Duration v) {
            return new Options(jdbcUrl, user, password, poolSize, schema, v);
        }

        /** Like the record's, without the password (also one in the URL). */
        @Override
        public String toString() {
            return "Options[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user + ", password="
                    + (password == null ? null : "***") + ", poolSize=" + poolSize + ", schema=" + schema
                    + ", connectTimeout=" + connectTimeout + "]";
        }
    }

    private final Options options;
    private final HikariDataSource pool;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Write transactions hold it shared; close takes it exclusively, so it waits for them. */
    private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();

    private PostgresDatabase(Options options, HikariDataSource pool) {
        this.options = options;
        this.pool = pool;
    }

    /** Opens the database at {@code jdbcUrl} with default {@link Options}. */
    public static PostgresDatabase open(String jdbcUrl) {
        return open(Options.of(jdbcUrl));
    }

    /**
     * Connects, migrates the schema to the current version and checks that the user can write.
     *
     * @throws StoreException if the server cannot be reached or refuses the login, the schema is newer than
     *     this code or cannot be migrated, or the user may not write it
     */
    public static PostgresDatabase open(Options options) {
        Objects.requireNonNull(options, "options");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(options));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + redact(options.jdbcUrl()) + ": "
                    + rootMessage(e), e);
        }
        try (Connection c = pool.getConnection()) {
            Migrations.migrate(c, options.schema(), Migrations.STEPS);
            Migrations.probe(c);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreException("cannot open the PostgreSQL store at " + redact(options.jdbcUrl())
                    + (options.schema() == null ? "" : " (schema " + options.schema() + ")") + ": " + rootMessage(e), e);
        }
        return new PostgresDatabase(options, pool);
    }

    private static HikariConfig config(Options options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.jdbcUrl());
        if (options.user() != null) {
            config.setUsername(options.user());
        }
        if (options.password() != null) {
            config.setPassword(options.password());
        }
        config.setMaximumPoolSize(options.poolSize());
        config.setConnectionTimeout(options.connectTimeout().toMillis());
        config.setPoolName("webtalk-postgres" + (options.schema() == null ? "" : "-" + options.schema()));
        if (options.schema() != null) {
            config.setSchema(options.schema()); // the search_path of every connection: tables are unqualified
        }
        // A group-commit batch becomes a few multi-row INSERTs instead of one statement per row.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
        config.addDataSourceProperty("ApplicationName", "webtalk");
        // An acknowledged message must survive a server crash: never let a role or URL turn that off.
        // "local", "remote_write" and stronger are left as the server has them.
        config.setConnectionInitSql("SELECT set_config('synchronous_commit', 'on', false) "
                + "WHERE current_setting('synchronous_commit') = 'off'");
        return config;
    }

    /** A store of rooms and messages on this database's pool; closing it leaves the database open. */
    public PostgresChatStore chatStore() {
        ensureOpen();
        return new PostgresChatStore(this, false);
    }

    /** A store of attachment bytes on this database's pool; closing it leaves the database open. */
    public PostgresAttachmentStore attachmentStore() {
        ensureOpen();
        return new PostgresAttachmentStore(this, false);
    }

    /** The options the database was opened with. */
    public Options options() {
        return options;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Waits for running write transactions, then closes the pool. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writes.writeLock().lock();
        try {
            pool.close();
        } finally {
            writes.writeLock().unlock();
        }
    }

    /** What the stores say in errors: the URL (without a password) and the schema. */
    String describe() {
        return redact(options.jdbcUrl()) + (options.schema() == null ? "" : " schema " + options.schema());
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode: one read sees committed data only. */
    <T> T read(String what, Work<T> work) {
        return autoCommit("reading " + what, work);
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode, each statement its own transaction. */
    <T> T write(String what, Work<T> work) {
        return autoCommit("writing " + what, work);
    }

    private <T> T autoCommit(String doing, Work<T> work) {
        ensureOpen();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof StoreException s) {
                throw s;
            }
            ensureOpen(); // a statement cut off by close() says "closed", not what the pool made of it
            if (Failures.isUnreachable(e)) {
                throw new dev.webtalk.StoreUnavailableException(doing + ": PostgreSQL is unreachable: " + rootMessage(e), e);
            }
            throw new StoreException(doing + " in PostgreSQL failed: " + rootMessage(e), e);
        }
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection and commits it; on any failure rolls
     * back and rethrows it as {@code failure} makes it. {@link #close()} waits for it to end.
     */
    <T> T transaction(Work<T> work, Function<Exception, ? extends RuntimeException> failure) {
        writes.readLock().lock();
        try {
            ensureOpen();
            Connection c;
            try {
                c = pool.getConnection();
            } catch (SQLException e) {
                throw new dev.webtalk.StoreUnavailableException("no connection to PostgreSQL at " + describe() + ": "
                        + rootMessage(e), e);
            }
            try (c) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw failure.apply(e);
                } finally {
                    restoreAutoCommit(c);
                }
            } catch (SQLException e) {
                throw failure.apply(e); // setAutoCommit or close: the connection broke
            }
        } finally {
            writes.readLock().unlock();
        }
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new StoreException("PostgreSQL database " + describe() + " is closed", null);
        }
    }

    /**
     * Turns auto-commit back on, quietly: when the connection broke (a server restart), the pool has
     * closed it already and this would fail, hiding why the transaction failed (or reporting a failure
     * after it committed). The pool resets the state of a connection it keeps in any case.
     */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException brokenAndEvicted) {
            // nothing to restore on a connection the pool will not hand out again
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * What went wrong, as the server or the network said it: a {@link StoreException}'s own message,
     * else the first SQL error's in the chain of causes (the driver's are precise, e.g. "Connection to
     * 127.0.0.1:1 refused"), else the innermost cause's.
     */
    static String rootMessage(Throwable e) {
        if (e instanceof StoreException) {
            return e.getMessage();
        }
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (t instanceof SQLException && t.getMessage() != null) {
                return t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return t == null || t.getMessage() == null ? e.toString() : t.getMessage();
    }

    private static boolean hasParameter(String jdbcUrl, String name) {
        return Pattern.compile("[?&]" + name + "=", Pattern.CASE_INSENSITIVE).matcher(jdbcUrl).find();
    }

    /** The URL without the value of a {@code password} parameter. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }
}
