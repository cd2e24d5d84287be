package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * The store could not be reached (its database is down or restarting, the network to it failed): the
 * operation did not take effect and may be retried later. Maps to {@link ErrorCode#UNAVAILABLE}, whose
 * message is neutral; {@link #toString()} keeps what went wrong for the log.
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;
    /** What the client is told. */
    public static final String MESSAGE = "The server cannot reach its storage right now; nothing was stored. Retry later.";

    private final String detail;

    /** {@code detail} says what failed (for the log, never for clients). */
    public StoreUnavailableException(String detail, Throwable cause) {
        super(MESSAGE, cause);
        this.detail = detail;
    }

    /** What failed, for the log. */
    public String detail() {
        return detail;
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNAVAILABLE;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + detail;
    }
}
