package dev.webtalk.internal;

import dev.webtalk.HistoryPage;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Pin;
import dev.webtalk.ReadState;
import dev.webtalk.RoomSummary;

import java.util.List;

/**
 * What a successful join answers: the room, the joiner's membership, the first page of who is in it
 * ({@link MemberPages}; {@code membersNext} pages on, {@code null} when that was everyone), the room's stream
 * position the answer is current to ({@code pos}), its pinned messages, how far the joiner has read it,
 * and either the messages changed since the client's position ({@code missed}, a resume) or the newest
 * history page ({@code history}; {@code resync} when a resume was asked for but could not be served).
 */
record JoinResult(RoomSummary room, Member self, MemberPages.Page members, long pos, List<PinnedMessage> pins,
                  ReadState read, HistoryPage history, List<Message> missed, boolean resync) {

    static JoinResult page(RoomSummary room, Member self, MemberPages.Page members, long pos, List<PinnedMessage> pins,
                           ReadState read, HistoryPage history, boolean resync) {
        return new JoinResult(room, self, members, pos, pins, read, history, null, resync);
    }

    static JoinResult resumed(RoomSummary room, Member self, MemberPages.Page members, long pos,
                              List<PinnedMessage> pins, ReadState read, List<Message> missed) {
        return new JoinResult(room, self, members, pos, pins, read, null, List.copyOf(missed), false);
    }

    /** A member and whether they are present now. */
    record MemberView(Member member, boolean online) {
    }

    /** A pin with the message it pins. */
    record PinnedMessage(Pin pin, Message message) {
    }
}
