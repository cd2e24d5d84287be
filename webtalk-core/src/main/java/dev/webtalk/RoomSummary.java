package dev.webtalk;

/**
 * A room with its live counts, as listed to users.
 *
 * @param room the room
 * @param memberCount users who joined it and did not leave
 * @param onlineCount distinct users with at least one connection present in it now
 * @param ownerName the owner's display name, so rooms of the same name can be told apart; {@code null}
 *     when the owner is not a member
 */
public record RoomSummary(Room room, int memberCount, int onlineCount, String ownerName) {
    /** A summary without the owner's name. */
    public RoomSummary(Room room, int memberCount, int onlineCount) {
        this(room, memberCount, onlineCount, null);
    }
}
