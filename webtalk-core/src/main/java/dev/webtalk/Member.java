package dev.webtalk;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's lasting membership of a room: kept until the user leaves, across disconnects.
 *
 * @param roomId the room
 * @param userId the user
 * @param displayName the user's display name when they last joined
 * @param role role in this room
 * @param joinedAt first join
 */
public record Member(RoomId roomId, UserId userId, String displayName, MemberRole role, Instant joinedAt) {
    public Member {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }
}
