package dev.webtalk.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies committed pages from the WAL into the database file on its own thread and connection, so the
 * store's writer never stops to do it. Left to SQLite, the commit that takes the WAL past 1000 pages
 * runs the checkpoint itself: it copies those pages and, at {@code synchronous=NORMAL}, syncs both
 * files, while the batch behind it waits (docs/PERFORMANCE.md). The writer keeps SQLite's automatic
 * checkpoint only as a far higher backstop ({@link #BACKSTOP_PAGES}) for when this thread falls behind.
 *
 * <p>Checkpoints are {@code PASSIVE}: they never wait for, or block, the writer or a reader; pages that a
 * reader still needs are left for the next one. Durability does not change: a commit is in the WAL,
 * synced as {@code synchronous} says, before it is acknowledged, whoever copies it later.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    /** The writer's own automatic checkpoint threshold: about 40 MB of WAL with 4 KiB pages. */
    static final int BACKSTOP_PAGES = 10_000;

    private final Connection connection;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean dirty;
    private volatile boolean closed;
    /** The message of the last failed checkpoint, until one succeeds; only the checkpoint thread uses it. */
    private String lastFailure;

    /**
     * @param connection a read-write connection of its own; closed by {@link #close}
     * @param interval the least time between two checkpoints while commits keep coming
     */
    Checkpointer(Connection connection, Duration interval, String name) {
        this.connection = connection;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called by the writer after each commit: cheap, never blocks. */
    void committed() {
        if (!dirty) {
            dirty = true;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!closed) {
            if (!dirty) {
                LockSupport.park(this);
                continue;
            }
            dirty = false;
            checkpoint();
            // Let commits gather: one checkpoint per interval copies each hot page once, not per commit.
            long deadline = System.nanoTime() + intervalNanos;
            for (long left = intervalNanos; left > 0 && !closed; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
        }
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            if (lastFailure != null) {
                LOG.info("Background WAL checkpoints work again");
                lastFailure = null;
            }
        } catch (SQLException e) {
            // Not fatal: the writer's backstop checkpoint still bounds the WAL. Said once per cause, not
            // four times a second while, say, the disk stays full.
            String cause = String.valueOf(e.getMessage());
            if (!cause.equals(lastFailure)) {
                LOG.warn("Background WAL checkpoint failed: {}", cause);
                lastFailure = cause;
            }
        }
    }

    /** Stops the thread (waiting for a checkpoint in progress) and closes the connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the checkpoint connection failed: {}", e.getMessage());
        }
    }
}
