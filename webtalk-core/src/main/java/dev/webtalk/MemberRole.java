package dev.webtalk;

/** A member's role within one room. */
public enum MemberRole {
    /** Created the room; may delete it. */
    OWNER,
    /** Helps the owner moderate. */
    MODERATOR,
    /** Joined the room. */
    MEMBER
}
