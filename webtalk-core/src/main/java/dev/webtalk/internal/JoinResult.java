package dev.webtalk.internal;

import dev.webtalk.HistoryPage;
import dev.webtalk.Member;
import dev.webtalk.RoomSummary;

import java.util.List;

/** What a successful join answers: the room, the joiner's membership, who is in it, the newest history. */
record JoinResult(RoomSummary room, Member self, List<MemberView> members, HistoryPage history) {

    /** A member and whether they are present now. */
    record MemberView(Member member, boolean online) {
    }
}
