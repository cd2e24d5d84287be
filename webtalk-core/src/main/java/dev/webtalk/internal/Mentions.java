package dev.webtalk.internal;

import dev.webtalk.Member;
import dev.webtalk.UserId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;


/**
 * Finds the {@code @Name} mentions in a message text, against the room's members at send time, so that
 * highlights and notifications never depend on a client's guess. A mention is an {@code @} at the start
 * or after a character that is not a letter or digit, followed by a member's display name (any case) that
 * ends at the end of the text or before a character that is not a letter or digit; the longest name
 * wins ("@Ana Maria" is Ana Maria, not Ana). Members sharing a name are all mentioned. {@code @room}
 * mentions everyone, for those allowed to.
 */
final class Mentions {
    /** Whom a text mentions: members in the order they first appear, and whether it mentions the room. */
    record Resolved(List<UserId> users, boolean room) {
        static final Resolved NONE = new Resolved(List.of(), false);
    }

    static final String ROOM = "room";

    private Mentions() {
    }

    /**
     * @param mayMentionRoom whether {@code @room} counts (moderators, owners, admins); for others it is text
     */
    static Resolved resolve(String text, List<Member> members, boolean mayMentionRoom) {
        if (text == null || text.indexOf('@') < 0) {
            return Resolved.NONE;
        }
        List<Member> byLongestName = new ArrayList<>(members);
        byLongestName.sort(Comparator.comparingInt((Member m) -> m.displayName().length()).reversed());
        List<UserId> users = new ArrayList<>();
        boolean room = false;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            if (at > 0 && Character.isLetterOrDigit(text.codePointBefore(at))) {
                continue; // an address like ana@example.org
            }
            int start = at + 1;
            int matched = -1;
            for (Member m : byLongestName) {
                String name = m.displayName();
                if (matched >= 0 && name.length() < matched) {
                    break; // only members with the same, longest matching name remain
                }
                if (name.length() > 0 && text.regionMatches(true, start, name, 0, name.length()) && endsWord(text, start + name.length())) {
                    matched = name.length();
                    if (!users.contains(m.userId())) {
                        users.add(m.userId());
                    }
                }
            }
            if (matched < 0 && mayMentionRoom && text.regionMatches(true, start, ROOM, 0, ROOM.length())
                    && endsWord(text, start + ROOM.length())) {
                room = true;
            }
        }
        return users.isEmpty() && !room ? Resolved.NONE : new Resolved(List.copyOf(users), room);
    }

    private static boolean endsWord(String text, int end) {
        return end == text.length() || !Character.isLetterOrDigit(text.codePointAt(end));
    }

}
