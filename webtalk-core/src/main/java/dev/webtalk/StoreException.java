package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/** The store failed to read or write; the operation did not take effect. Maps to {@link ErrorCode#INTERNAL}. */
public class StoreException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.INTERNAL;
    }
}
