package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * A {@link dev.webtalk.spi.MessageFilter} refused the message; its reason is the error message. Maps to
 * {@link ErrorCode#REJECTED}.
 */
public class RejectedException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public RejectedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.REJECTED;
    }
}
