package dev.webtalk;

/** What a message carries. */
public enum MessageKind {
    /** Text written by a user. */
    TEXT,
    /** A shared file. */
    FILE,
    /** A notice posted by the server or the host application. */
    SYSTEM
}
