package dev.webtalk;

/**
 * A room with its live counts, as listed to users.
 *
 * @param room the room
 * @param memberCount users who joined it and did not leave
 * @param onlineCount distinct users with at least one connection present in it now
 */
public record RoomSummary(Room room, int memberCount, int onlineCount) {
}
