package dev.webtalk;

import dev.webtalk.protocol.ErrorCode;

/**
 * An upload whose content is not one of the allowed {@link FileType}s. Maps to
 * {@link ErrorCode#UNSUPPORTED_TYPE}.
 */
public class UnsupportedTypeException extends WebTalkException {
    private static final long serialVersionUID = 1L;

    public UnsupportedTypeException(String message) {
        super(message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNSUPPORTED_TYPE;
    }
}
