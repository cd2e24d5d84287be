package dev.webtalk.internal;

import dev.webtalk.HistoryPage;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.RoomSummary;

import java.util.List;

/**
 * What a successful join answers: the room, the joiner's membership, who is in it, and either the
 * messages missed since the client's last seq ({@code missed}, a resume) or the newest history page
 * ({@code history}; {@code resync} when a resume was asked for but could not be served).
 */
record JoinResult(RoomSummary room, Member self, List<MemberView> members, HistoryPage history,
                  List<Message> missed, boolean resync) {

    static JoinResult page(RoomSummary room, Member self, List<MemberView> members, HistoryPage history,
                           boolean resync) {
        return new JoinResult(room, self, members, history, null, resync);
    }

    static JoinResult resumed(RoomSummary room, Member self, List<MemberView> members, List<Message> missed) {
        return new JoinResult(room, self, members, null, List.copyOf(missed), false);
    }

    /** A member and whether they are present now. */
    record MemberView(Member member, boolean online) {
    }
}
