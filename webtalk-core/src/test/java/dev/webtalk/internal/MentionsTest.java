package dev.webtalk.internal;

import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MentionsTest {
    private static final RoomId ROOM = RoomId.of("Room0001");
    private static final List<Member> MEMBERS = List.of(member("u-ana", "Ana"), member("u-am", "Ana Maria"),
            member("u-bo", "Bo"), member("u-bo2", "bo"), member("u-jo", "João"));

    private static Member member(String id, String name) {
        return new Member(ROOM, UserId.of(id), name, MemberRole.MEMBER, Instant.EPOCH);
    }

    private static List<String> users(String text) {
        return Mentions.resolve(text, MEMBERS, false).users().stream().map(UserId::value).toList();
    }

    @Test
    void namesAreMatchedWholeInAnyCaseLongestFirst() {
        assertEquals(List.of("u-ana"), users("@ana, look"));
        assertEquals(List.of("u-am"), users("hi @Ana Maria!"), "the longer name wins");
        assertEquals(List.of("u-bo", "u-bo2"), users("@BO"), "members sharing a name are both mentioned");
        assertEquals(List.of("u-jo", "u-ana"), users("@João and @Ana"), "in the order they appear, each once");
        assertEquals(List.of("u-ana"), users("@Ana @ana"));
    }

    @Test
    void aNameMustEndTheWordAndTheAtMustStartOne() {
        assertEquals(List.of(), users("@Anabel is not Ana"));
        assertEquals(List.of(), users("mail ana@example.org"));
        assertEquals(List.of(), users("@ Ana"));
        assertEquals(List.of(), users("no mention"));
        assertEquals(List.of("u-bo", "u-bo2"), users("(@Bo)"));
    }

    @Test
    void atRoomIsForThoseAllowedOnly() {
        assertTrue(Mentions.resolve("@room lunch!", MEMBERS, true).room());
        assertFalse(Mentions.resolve("@room lunch!", MEMBERS, false).room());
        assertFalse(Mentions.resolve("@roomy", MEMBERS, true).room());
        assertEquals(Mentions.Resolved.NONE, Mentions.resolve("@room", MEMBERS, false));
    }
}
