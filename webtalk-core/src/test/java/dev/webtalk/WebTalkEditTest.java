package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.filter.WordFilter;
import dev.webtalk.spi.MessageFilter;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Editing one's own message: {@code edit_message}, its push, its limits, and the kept earlier texts. */
class WebTalkEditTest extends TwoInARoomSupport {
    private long pos(TestClient who) {
        return who.ok("join", "room", room).path("pos").asLong();
    }

    @Test
    void anAuthorEditsTheirMessageAndEveryonePresentSeesIt() {
        twoInARoom();
        long seq = say(bo, room, "see you at 5");
        clock.advance(Duration.ofMinutes(2));

        JsonNode edited = bo.ok("edit_message", "room", room, "seq", seq, "text", "see you at 6").path("message");

        assertEquals("see you at 6", edited.path("text").asText());
        assertEquals(clock.instant().toEpochMilli(), edited.path("editedAt").asLong());
        assertEquals(seq, edited.path("seq").asLong());
        for (TestClient who : List.of(ana, bo)) {
            JsonNode push = who.connection().awaitType("message_edited");
            assertEquals(room, push.path("room").asText());
            assertEquals(edited, push.path("message"));
            assertTrue(push.path("pos").asLong() > 0);
        }
        JsonNode page = bo.ok("history", "room", room);
        assertEquals("see you at 6", page.path("messages").get(0).path("text").asText());
        assertTrue(page.path("messages").get(0).has("editedAt"));
    }

    @Test
    void theEarlierTextsAreForModeratorsOnly() {
        twoInARoom();
        long seq = say(bo, room, "first");
        bo.ok("edit_message", "room", room, "seq", seq, "text", "second");
        clock.advance(Duration.ofSeconds(30));
        bo.ok("edit_message", "room", room, "seq", seq, "text", "third");

        JsonNode edits = ana.ok("message_edits", "room", room, "seq", seq).path("edits");
        assertEquals(2, edits.size());
        assertEquals("first", edits.get(0).path("text").asText());
        assertEquals("second", edits.get(1).path("text").asText());
        assertEquals(clock.instant().toEpochMilli(), edits.get(1).path("replacedAt").asLong());
        assertEquals("forbidden", bo.error("message_edits", "room", room, "seq", seq), "not even the author");
        assertEquals("message_not_found", ana.error("message_edits", "room", room, "seq", 99));
        assertEquals(List.of("first", "second"),
                chat.messageEdits(ana.principal(), RoomId.of(room), seq).stream().map(MessageEdit::text).toList());

        ana.ok("delete_message", "room", room, "seq", seq);
        assertEquals(0, ana.ok("message_edits", "room", room, "seq", seq).path("edits").size(),
                "deleting erases the earlier words too");
    }

    @Test
    void nobodyEditsSomeoneElsesMessageWhateverTheirRank() {
        twoInARoom();
        long seq = say(bo, room, "my words");
        TestClient admin = connect(Principal.admin("u-root", "Root"));
        admin.ok("join", "room", room);

        assertEquals("forbidden", ana.error("edit_message", "room", room, "seq", seq, "text", "owner's words"));
        assertEquals("forbidden", admin.error("edit_message", "room", room, "seq", seq, "text", "admin's words"));
        assertThrows(ForbiddenException.class, () -> chat.editMessage(ana.principal(), RoomId.of(room), seq, "x"));
        assertEquals("my words", store.appendedMessages().get(0).text());
        assertEquals(0, bo.connection().framesOfType("message_edited").size());
    }

    @Test
    void aMissingDeletedOrNonTextMessageCannotBeEdited() {
        twoInARoom();
        long gone = say(ana, room, "soon gone");
        ana.ok("delete_message", "room", room, "seq", gone);
        long system = chat.postSystemMessage(RoomId.of(room), "Maintenance at 6").seq();

        assertEquals("message_not_found", ana.error("edit_message", "room", room, "seq", 42, "text", "x"));
        assertEquals("message_deleted", ana.error("edit_message", "room", room, "seq", gone, "text", "x"));
        assertEquals("forbidden", ana.error("edit_message", "room", room, "seq", system, "text", "x"),
                "a system message is nobody's to edit");
        assertEquals("invalid", ana.error("edit_message", "room", room, "seq", 0, "text", "x"));
        assertEquals("invalid", ana.error("edit_message", "room", room, "text", "x"));
        assertEquals("invalid", ana.error("edit_message", "room", room, "seq", gone));
        assertEquals("room_not_found", ana.error("edit_message", "room", "nosuchrm", "seq", 1, "text", "x"));
    }

    @Test
    void theNewTextPassesTheChecksOfASendAndAFailureChangesNothing() {
        List<String> filtered = Collections.synchronizedList(new ArrayList<>());
        start(builder(Limits.builder().maxMessageChars(20).build())
                .messageFilter(WordFilter.rejecting(List.of("spam")))
                .messageFilter((author, r, text) -> {
                    filtered.add(text);
                    return MessageFilter.Verdict.rewrite(text.replace("darn", "d**n"));
                }));
        twoInARoom();
        long seq = say(bo, room, "hello");
        long before = pos(bo);

        assertEquals("invalid", bo.error("edit_message", "room", room, "seq", seq, "text", "   "));
        assertEquals("too_large", bo.error("edit_message", "room", room, "seq", seq, "text", "x".repeat(21)));
        assertEquals("rejected", bo.error("edit_message", "room", room, "seq", seq, "text", "buy spam"));
        assertEquals("invalid", bo.error("edit_message", "room", room, "seq", seq, "text", "\ud83d"));
        assertEquals(before, pos(bo), "nothing failed was stored");
        assertEquals("hello", chat.history(bo.principal(), RoomId.of(room), null, null).messages().get(0).text());

        JsonNode edited = bo.ok("edit_message", "room", room, "seq", seq, "text", "darn it").path("message");
        assertEquals("d**n it", edited.path("text").asText(), "filters rewrite edits as they rewrite sends");
        assertTrue(filtered.contains("darn it"));
    }

    @Test
    void theSameTextAgainChangesNothing() {
        twoInARoom();
        long seq = say(bo, room, "same");
        long before = pos(bo);

        JsonNode result = bo.ok("edit_message", "room", room, "seq", seq, "text", "same").path("message");

        assertFalse(result.has("editedAt"));
        assertEquals(before, pos(bo));
        assertEquals(0, ana.connection().framesOfType("message_edited").size());
    }

    @Test
    void whoMayNotPostMayNotEdit() {
        twoInARoom();
        long seq = say(bo, room, "before the lock");
        ana.ok("set_room", "room", room, "locked", true);
        assertEquals("forbidden", bo.error("edit_message", "room", room, "seq", seq, "text", "after the lock"));
        long own = say(ana, room, "the owner still may");
        ana.ok("edit_message", "room", room, "seq", own, "text", "and edit too");
        ana.ok("set_room", "room", room, "locked", false);

        ana.ok("mute", "room", room, "user", "u-bo", "duration", 60);
        assertEquals("muted", bo.error("edit_message", "room", room, "seq", seq, "text", "muted"));
        ana.ok("unmute", "room", room, "user", "u-bo");

        bo.ok("leave", "room", room);
        assertEquals("not_member", bo.error("edit_message", "room", room, "seq", seq, "text", "gone"));

        chat.archiveRoom(Principal.admin("u-root", "Root"), RoomId.of(room));
        assertEquals("room_archived", ana.error("edit_message", "room", room, "seq", own, "text", "archived"));
    }

    @Test
    void editsCountAgainstTheMessageRate() {
        start(Limits.builder().messageRate(new RateLimit(2, Duration.ofMinutes(1))).build());
        twoInARoom();
        long seq = say(bo, room, "one");
        bo.ok("edit_message", "room", room, "seq", seq, "text", "two");

        JsonNode refused = bo.request("edit_message", "room", room, "seq", seq, "text", "three");
        assertEquals("rate_limited", refused.path("code").asText());
        assertTrue(refused.path("retryAfterMs").asLong() > 0);
    }

    @Test
    void listenersHearOfTheEditWithTheTextItReplaced() {
        List<ChatEvent> events = Collections.synchronizedList(new ArrayList<>());
        start(builder(Limits.defaults()).listener(events::add));
        twoInARoom();
        long seq = say(bo, room, "draft");

        Message edited = chat.editMessage(bo.principal(), RoomId.of(room), seq, "final");

        assertEquals("final", edited.text());
        dev.webtalk.testing.Await.until("the listener heard of the edit",
                () -> events.stream().anyMatch(ChatEvent.MessageEdited.class::isInstance));
        ChatEvent.MessageEdited e = events.stream().filter(ChatEvent.MessageEdited.class::isInstance)
                .map(ChatEvent.MessageEdited.class::cast).findFirst().orElseThrow();
        assertEquals(edited, e.message());
        assertEquals("draft", e.previousText());
        bo.connection().awaitType("message_edited");
        assertEquals(0, bo.connection().frames(FakeConnection.ofType("error")).size());
    }
}
