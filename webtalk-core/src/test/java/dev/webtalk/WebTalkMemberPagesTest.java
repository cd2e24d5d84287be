package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A join answers a first page of the member list, not all of it; {@code members} pages on. Online
 * members come first, then the others, each by name.
 */
class WebTalkMemberPagesTest extends ChatTestSupport {
    private static final int MEMBERS = 250;
    private static final int ONLINE = 30;

    /** A room with {@link #MEMBERS} members, the first {@link #ONLINE} of them still connected. */
    private String crowdedRoom() {
        TestClient owner = connect("u-000", "Member 000");
        String room = owner.ok("create_room", "name", "Crowd").path("room").path("id").asText();
        owner.ok("join", "room", room);
        for (int i = 1; i < MEMBERS; i++) {
            // Names in reverse of the ids, so the order by name is not the order of joining.
            TestClient c = connect(String.format(Locale.ROOT, "u-%03d", i), String.format(Locale.ROOT, "Member %03d", MEMBERS - i));
            c.ok("join", "room", room);
            if (i >= ONLINE) {
                c.disconnect();
            }
        }
        return room;
    }

    @Test
    void aJoinAnswersTheFirstPageOnlineFirstAndMembersPagesThroughEveryoneOnce() {
        String room = crowdedRoom();
        TestClient reader = connect("u-reader", "Reader");

        JsonNode join = reader.ok("join", "room", room);
        assertEquals(100, join.path("members").size(), "the first page, not the whole room");
        assertEquals(MEMBERS + 1, join.path("room").path("members").asInt(), "the count is still the whole room");
        assertFalse(join.path("membersNext").isNull());

        List<JsonNode> all = new ArrayList<>();
        join.path("members").forEach(all::add);
        String next = join.path("membersNext").asText();
        int pages = 1;
        while (next != null) {
            JsonNode page = reader.ok("members", "room", room, "after", next, "limit", 70);
            assertTrue(page.path("members").size() <= 70);
            page.path("members").forEach(all::add);
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        }
        assertEquals(1 + 3, pages, "100, then 70, 70 and the last 11");
        Set<String> ids = new HashSet<>();
        all.forEach(m -> assertTrue(ids.add(m.path("id").asText()), "once: " + m));
        assertEquals(MEMBERS + 1, ids.size(), "everyone");

        int online = ONLINE + 1; // the reader is present too
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i < online, all.get(i).path("online").asBoolean(), "online first, at " + i);
        }
        for (int i = 1; i < all.size(); i++) {
            if (i != online) {
                String before = all.get(i - 1).path("name").asText().toLowerCase(Locale.ROOT);
                String after = all.get(i).path("name").asText().toLowerCase(Locale.ROOT);
                assertTrue(before.compareTo(after) <= 0, "by name within each part, at " + i + ": " + before + " > " + after);
            }
        }
    }

    @Test
    void theFirstPageOfAMembersRequestIsTheJoinsAndASmallRoomHasNoNext() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = ana.ok("create_room", "name", "Small").path("room").path("id").asText();
        ana.ok("join", "room", room);
        JsonNode join = bo.ok("join", "room", room);
        assertTrue(join.path("membersNext").isNull());
        assertEquals(2, join.path("members").size());

        JsonNode page = bo.ok("members", "room", room);
        assertEquals(join.path("members"), page.path("members"));
        assertTrue(page.path("next").isNull());
    }

    @Test
    void badCursorsLimitsAndOutsidersAreRefusedWithStableCodes() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient eve = connect("u-eve", "Eve");
        String room = ana.ok("create_room", "name", "Small").path("room").path("id").asText();
        ana.ok("join", "room", room);

        assertEquals("invalid", ana.error("members", "room", room, "after", "not a cursor!"));
        assertEquals("invalid", ana.error("members", "room", room, "after", "AAAA"));
        assertEquals("invalid", ana.error("members", "room", room, "limit", 0));
        assertEquals("invalid", ana.error("members", "room", room, "limit", 201));
        assertEquals("not_member", eve.error("members", "room", room));
        assertEquals("room_not_found", ana.error("members", "room", "nosuchroom1"));
        assertEquals("result", ana.request("ping").path("type").asText(), "the connection is fine");
    }
}
