package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.spi.MessageFilter;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's server-side API: {@link WebTalk#postSystemMessage} (ordered, stored and pushed like a message,
 * but outside user limits and filters) and {@link WebTalk#onlineUsers}.
 */
class WebTalkSystemMessageTest extends ChatTestSupport {

    @Test
    void aSystemMessageTakesTheNextSeqIsPushedToEveryoneAndStaysInHistory() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        say(ana, room, "hello");

        Message posted = chat.postSystemMessage(RoomId.of(room), "Maintenance at 22:00");

        assertEquals(2, posted.seq());
        assertEquals(MessageKind.SYSTEM, posted.kind());
        assertEquals(WebTalk.SYSTEM_USER, posted.authorId());
        for (TestClient c : List.of(ana, bo)) {
            JsonNode push = c.connection().awaitFrame(f -> "message".equals(f.path("type").asText())
                    && f.path("message").path("seq").asLong() == 2);
            assertEquals("system", push.path("message").path("kind").asText());
            assertEquals("Maintenance at 22:00", push.path("message").path("text").asText());
            assertEquals(WebTalk.SYSTEM_USER.value(), push.path("message").path("author").path("id").asText());
        }
        assertEquals(3, say(bo, room, "ok"), "users continue after the system message's seq");
        List<Message> history = chat.history(ana.principal(), RoomId.of(room), null, null).messages();
        assertEquals(List.of(MessageKind.TEXT, MessageKind.SYSTEM, MessageKind.TEXT),
                history.stream().map(Message::kind).toList());
    }

    @Test
    void userLimitsLockSlowModeAndFiltersDoNotApplyToTheServer() {
        AtomicInteger filtered = new AtomicInteger();
        MessageFilter refuseAll = (author, room, text) -> {
            filtered.incrementAndGet();
            return MessageFilter.Verdict.reject("nothing gets through");
        };
        start(builder(Limits.builder().messageRate(new RateLimit(1, Duration.ofHours(1))).build()).messageFilter(refuseAll));
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        ana.ok("set_room", "room", room, "slowMode", 600, "locked", true);

        chat.postSystemMessage(RoomId.of(room), "one");
        chat.postSystemMessage(RoomId.of(room), "two");
        chat.postSystemMessage(RoomId.of(room), "three");

        assertEquals(List.of("one", "two", "three"), store.appendedMessages().stream().map(Message::text).toList());
        assertEquals(0, filtered.get(), "filters never see system messages");
        assertEquals("rejected", ana.error("send", "room", room, "text", "mine"), "users still go through the filter");
    }

    @Test
    void badTextUnknownAndArchivedRoomsAreRefused() {
        TestClient ana = connect("u-ana", "Ana");
        RoomId room = RoomId.of(createRoom(ana, "General"));

        assertThrows(InvalidRequestException.class, () -> chat.postSystemMessage(room, "   "));
        assertThrows(InvalidRequestException.class, () -> chat.postSystemMessage(room, null));
        assertThrows(TooLargeException.class, () -> chat.postSystemMessage(room, "x".repeat(2001)));
        assertThrows(RoomNotFoundException.class, () -> chat.postSystemMessage(RoomId.of("Nope1234"), "hi"));
        chat.archiveRoom(Principal.admin("u-admin", "Admin"), room);
        assertThrows(RoomArchivedException.class, () -> chat.postSystemMessage(room, "hi"));
        assertTrue(store.appendedMessages().isEmpty());
    }

    @Test
    void theAsyncFormNeverThrowsButFailsItsFuture() {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");

        CompletableFuture<Message> blank = chat.postSystemMessageAsync(RoomId.of(room), "");
        CompletableFuture<Message> missing = chat.postSystemMessageAsync(RoomId.of("Nope1234"), "hi");

        ExecutionException e1 = assertThrows(ExecutionException.class, () -> blank.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InvalidRequestException.class, e1.getCause());
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> missing.get(10, TimeUnit.SECONDS));
        assertInstanceOf(RoomNotFoundException.class, e2.getCause());
    }

    @Test
    void listenersHearOfSystemMessages() throws Exception {
        AtomicReference<Message> heard = new AtomicReference<>();
        CountDownLatch latch = new CountDownLatch(1);
        start(builder(Limits.defaults()).listener(event -> {
            if (event instanceof ChatEvent.MessagePosted posted && posted.message().kind() == MessageKind.SYSTEM) {
                heard.set(posted.message());
                latch.countDown();
            }
        }));
        TestClient ana = connect("u-ana", "Ana");
        RoomId room = RoomId.of(createRoom(ana, "General"));

        chat.postSystemMessage(room, "Welcome");

        assertTrue(latch.await(10, TimeUnit.SECONDS));
        assertEquals("Welcome", heard.get().text());
    }

    @Test
    void onlineUsersListsWhoIsPresentNowOncePerUser() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient anaTab = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        TestClient cy = connect("u-cy", "Cy");
        String room = createRoom(ana, "General");
        RoomId id = RoomId.of(room);
        assertEquals(List.of(), chat.onlineUsers(id), "the creator is a member, not present, until joining");

        ana.ok("join", "room", room);
        anaTab.ok("join", "room", room);
        bo.ok("join", "room", room);
        cy.ok("join", "room", room);
        cy.ok("leave", "room", room);
        List<Member> online = chat.onlineUsers(id);
        assertEquals(List.of("u-ana", "u-bo"), online.stream().map(m -> m.userId().value()).toList());
        assertEquals(MemberRole.OWNER, online.get(0).role());

        bo.disconnect();
        ana.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText())
                && "u-bo".equals(f.path("user").path("id").asText()));
        ana.disconnect();
        assertEquals(List.of("u-ana"), chat.onlineUsers(id).stream().map(m -> m.userId().value()).toList(),
                "Ana is still present on her other tab");
        assertThrows(RoomNotFoundException.class, () -> chat.onlineUsers(RoomId.of("Nope1234")));
    }
}
