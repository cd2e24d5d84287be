package dev.webtalk.protocol;

/**
 * Stable, machine-readable error codes shared by every transport (WebSocket {@code error} frames and
 * REST error bodies). The wire form is {@link #wire()}; clients switch on it, so a code never changes
 * meaning once released. Mirrored in docs/PROTOCOL.md.
 */
public enum ErrorCode {
    /** The request is malformed: bad JSON, a missing or ill-typed field, a value out of range. */
    INVALID("invalid", 400),
    /** The frame's {@code type} is not part of the protocol. */
    UNKNOWN_TYPE("unknown_type", 400),
    /** No credentials, or credentials the host did not accept (REST only). */
    UNAUTHORIZED("unauthorized", 401),
    /** The user may not do this. */
    FORBIDDEN("forbidden", 403),
    /** The room password was missing or wrong. */
    WRONG_PASSWORD("wrong_password", 403),
    /** The action needs membership of (or presence in) the room. */
    NOT_MEMBER("not_member", 403),
    /** The room is archived: it can be read but not written to. */
    ROOM_ARCHIVED("room_archived", 403),
    /** The user is banned from the room (until the ban expires). */
    BANNED("banned", 403),
    /** The user is muted in the room: may read, may not post (until the mute expires). */
    MUTED("muted", 403),
    /** A message filter refused the message; the error message says why. */
    REJECTED("rejected", 422),
    /** No such room (never existed, or deleted). */
    ROOM_NOT_FOUND("room_not_found", 404),
    /** No such message in the room. */
    MESSAGE_NOT_FOUND("message_not_found", 404),
    /** The message was deleted: it can no longer be edited (or otherwise acted on). */
    MESSAGE_DELETED("message_deleted", 410),
    /** No such shared file in the room (never uploaded, or its message was deleted). */
    FILE_NOT_FOUND("file_not_found", 404),
    /** No such REST endpoint (REST only). */
    NOT_FOUND("not_found", 404),
    /** The REST endpoint exists but not with this HTTP method (REST only). */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** A name conflicts or a limit on how many exist was reached. */
    CONFLICT("conflict", 409),
    /** Text, frame or upload over its size limit. */
    TOO_LARGE("too_large", 413),
    /** An upload whose content (checked by its leading bytes) is not an allowed file type. */
    UNSUPPORTED_TYPE("unsupported_type", 415),
    /** Too many requests; retry later. */
    RATE_LIMITED("rate_limited", 429),
    /** The server is saturated (e.g. too many pending writes); retry later. */
    OVERLOADED("overloaded", 503),
    /** The server cannot reach its storage (a database outage); nothing was stored; retry later. */
    UNAVAILABLE("unavailable", 503),
    /** A server fault; the request may or may not have taken effect. */
    INTERNAL("internal", 500);

    private final String wire;
    private final int httpStatus;

    ErrorCode(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    /** The code as sent on the wire, e.g. {@code "wrong_password"}. */
    public String wire() {
        return wire;
    }

    /** The HTTP status REST endpoints answer with. */
    public int httpStatus() {
        return httpStatus;
    }
}
