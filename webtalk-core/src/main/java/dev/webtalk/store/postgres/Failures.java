package dev.webtalk.store.postgres;

import dev.webtalk.StoreConflictException;
import dev.webtalk.StoreException;
import dev.webtalk.StoreUnavailableException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * What a failure becomes: {@link StoreConflictException} for a numbering conflict,
 * {@link StoreUnavailableException} when PostgreSQL cannot be reached, else {@link StoreException}.
 */
final class Failures {
    private static final String UNIQUE_VIOLATION = "23505";
    /** The keys of message seqs and stream positions (named in {@link Migrations}). */
    private static final Set<String> NUMBERING_KEYS = Set.of("messages_pkey", "events_pkey");

    private Failures() {
    }

    /** The exception that reports the rollback of a batch of {@code size} writes after {@code e}. */
    static StoreException batchFailed(int size, Exception e) {
        String rolledBack = "batch of " + size + " writes rolled back: ";
        if (e instanceof StoreConflictException) {
            return new StoreConflictException(rolledBack + e.getMessage());
        }
        if (e instanceof StoreException) {
            return new StoreException(rolledBack + e.getMessage(), e);
        }
        if (isUnreachable(e)) {
            return new StoreUnavailableException(rolledBack + "PostgreSQL is unreachable: " + PostgresDatabase.rootMessage(e), e);
        }
        PSQLException server = serverError(e);
        if (server != null && UNIQUE_VIOLATION.equals(server.getSQLState()) && server.getServerErrorMessage() != null
                && NUMBERING_KEYS.contains(server.getServerErrorMessage().getConstraint())) {
            return new StoreConflictException(rolledBack + "a message seq or stream position is taken, another "
                    + "writer numbered the room (" + describe(server) + ")");
        }
        return new StoreException(rolledBack + (server != null ? describe(server) : PostgresDatabase.rootMessage(e)), e);
    }

    /**
     * Whether {@code e} says PostgreSQL could not be reached or went away (down, restarting, the network
     * or the pool timed out), rather than that it refused what was asked.
     */
    static boolean isUnreachable(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SocketException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exception; 57P01-03: shutdown, crash, starting up; 53300: too many connections
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
            Throwable next = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return false;
    }

    /**
     * The server's error behind {@code e}: a JDBC batch reports it as the next exception of a
     * {@link java.sql.BatchUpdateException}, whose own message quotes the statement with its values
     * (message texts have no place in a log line).
     */
    static PSQLException serverError(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p;
            }
            Throwable next = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return null;
    }

    /**
     * The server's message, with its detail when that names a key ("Key (room_id, seq)=(…) already
     * exists"); other details ("Failing row contains …") would put a message's text in a log line.
     */
    static String describe(PSQLException e) {
        ServerErrorMessage m = e.getServerErrorMessage();
        String detail = m.getDetail();
        return m.getMessage() + (detail == null || !detail.startsWith("Key ") ? "" : "; " + detail);
    }
}
