package dev.webtalk;

/** Roles a user holds across every room, granted by the host application. */
public enum GlobalRole {
    /** May delete any room and act as owner in every room. */
    ADMIN
}
