package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.filter.WordFilter;
import dev.webtalk.spi.ChatListener;
import dev.webtalk.spi.MessageFilter;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send pipeline around the store: message filters (order, reject, rewrite), listeners (order, a
 * failing one), per-user rate limits and password lockout on the test clock, and bans across a restart.
 */
class WebTalkPolicyTest extends ChatTestSupport {
    @TempDir
    Path dir;

    // ---- filters ----

    @Test
    void filtersRunInOrderEachSeeingThePreviousRewrite() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        MessageFilter upper = (author, room, text) -> {
            seen.add("upper:" + text);
            return MessageFilter.Verdict.rewrite(text.toUpperCase());
        };
        MessageFilter tag = (author, room, text) -> {
            seen.add("tag:" + text);
            return MessageFilter.Verdict.rewrite("[" + author.displayName() + "] " + text);
        };
        start(builder(Limits.defaults()).messageFilter(upper).messageFilter(tag));
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        JsonNode sent = ana.ok("send", "room", room, "text", "hi there").path("message");

        assertEquals("[Ana] HI THERE", sent.path("text").asText());
        assertEquals(List.of("upper:hi there", "tag:HI THERE"), seen);
        assertEquals("[Ana] HI THERE", store.appendedMessages().get(0).text());
    }

    @Test
    void aRejectionStopsTheChainAndStoresNothing() {
        List<String> later = Collections.synchronizedList(new ArrayList<>());
        start(builder(Limits.defaults())
                .messageFilter(WordFilter.rejecting(List.of("spam")))
                .messageFilter((a, r, text) -> {
                    later.add(text);
                    return MessageFilter.Verdict.accept();
                }));
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        JsonNode refused = ana.request("send", "room", room, "text", "buy SPAM now");
        assertEquals("rejected", refused.path("code").asText());
        assertEquals("The message contains a blocked word", refused.path("message").asText());
        say(ana, room, "spammer is a word, not the word");

        assertEquals(List.of("spammer is a word, not the word"), later);
        assertEquals(1, store.appendedMessages().size());
    }

    @Test
    void aThrowingFilterFailsTheSendAndNothingUncheckedIsStored() {
        start(builder(Limits.defaults()).messageFilter((a, r, t) -> {
            throw new IllegalStateException("expected by the test");
        }));
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        assertEquals("internal", ana.error("send", "room", room, "text", "hello"));
        assertEquals(List.of(), store.appendedMessages());
        ana.ok("ping");
    }

    @Test
    void aRewriteToNothingIsARejection() {
        start(builder(Limits.defaults()).messageFilter(WordFilter.masking(List.of("x"))).messageFilter(
                (a, r, t) -> MessageFilter.Verdict.rewrite(t.replace("*", " "))));
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        assertEquals("rejected", ana.error("send", "room", room, "text", "x"));
    }

    // ---- listeners ----

    @Test
    void listenersSeeARoomsEventsInOrderAndAThrowingOneHarmsNothing() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch deleted = new CountDownLatch(1);
        ChatListener failing = e -> {
            throw new IllegalStateException("expected by the test");
        };
        ChatListener recording = e -> {
            events.add(describe(e));
            if (e instanceof ChatEvent.RoomDeleted) {
                deleted.countDown();
            }
        };
        start(builder(Limits.defaults()).listener(failing).listener(recording));
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
        long seq = say(bo, room, "hello");
        ana.ok("delete_message", "room", room, "seq", seq);
        ana.ok("mute", "room", room, "user", "u-bo");
        ana.ok("kick", "room", room, "user", "u-bo");
        ana.ok("delete_room", "room", room);

        assertTrue(deleted.await(10, TimeUnit.SECONDS), "the listener saw the room deleted");
        assertEquals(List.of("created General", "joined u-ana", "joined u-bo", "posted 1 hello",
                "deleted 1 by u-ana", "moderated delete_message u-bo", "moderated mute u-bo",
                "moderated kick u-bo", "left u-bo kicked", "room deleted by u-ana"), events);
    }

    private static String describe(ChatEvent e) {
        if (e instanceof ChatEvent.RoomCreated c) {
            return "created " + c.room().name();
        } else if (e instanceof ChatEvent.MemberJoined j) {
            return "joined " + j.member().userId();
        } else if (e instanceof ChatEvent.MessagePosted p) {
            return "posted " + p.message().seq() + " " + p.message().text();
        } else if (e instanceof ChatEvent.MessageDeleted d) {
            return "deleted " + d.message().seq() + " by " + d.actorId();
        } else if (e instanceof ChatEvent.Moderated m) {
            return "moderated " + m.entry().action().wire() + " " + m.entry().targetId();
        } else if (e instanceof ChatEvent.MemberLeft l) {
            return "left " + l.member().userId() + " " + l.reason();
        } else if (e instanceof ChatEvent.RoomDeleted d) {
            return "room deleted by " + d.actorId();
        }
        return e.toString();
    }

    // ---- rate limits ----

    @Test
    void messagesPastTheBucketAreRateLimitedUntilTheClockMoves() {
        start(Limits.builder().messageRate(new RateLimit(3, Duration.ofSeconds(1))).build());
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        for (int i = 0; i < 3; i++) {
            say(ana, room, "m" + i);
        }

        JsonNode refused = ana.request("send", "room", room, "text", "one too many");
        assertEquals("rate_limited", refused.path("code").asText());
        assertEquals(1000, refused.path("retryAfterMs").asLong());
        clock.advance(Duration.ofMillis(400));
        assertEquals(600, ana.request("send", "room", room, "text", "still").path("retryAfterMs").asLong());
        clock.advance(Duration.ofMillis(600));
        say(ana, room, "one more now");
        assertEquals("rate_limited", ana.error("send", "room", room, "text", "but only one"));

        // Per user, not per connection: another user is not affected, another tab is.
        TestClient bo = connect("u-bo", "Bo");
        bo.ok("join", "room", room);
        say(bo, room, "hi");
        TestClient anaTab = connect("u-ana", "Ana");
        anaTab.ok("join", "room", room);
        assertEquals("rate_limited", anaTab.error("send", "room", room, "text", "other tab"));
        assertEquals(4, store.appendedMessages().stream().filter(m -> m.authorId().value().equals("u-ana")).count());
    }

    @Test
    void aConnectionFloodingCheapRequestsIsRateLimitedAloneAndPingsStillWork() {
        start(Limits.builder().requestRate(new RateLimit(5, Duration.ofSeconds(1))).build());
        TestClient flooder = connect("u-mal", "Mallory");
        for (int i = 0; i < 5; i++) {
            flooder.ok("list_rooms");
        }
        JsonNode refused = flooder.request("list_rooms");
        assertEquals("rate_limited", refused.path("code").asText());
        assertEquals(1000, refused.path("retryAfterMs").asLong());
        flooder.ok("ping"); // keep-alives never count
        assertEquals("rate_limited", flooder.error("history", "room", "NoSuchRm"), "every request counts");

        TestClient otherTab = connect("u-mal", "Mallory");
        otherTab.ok("list_rooms"); // per connection, not per user
        TestClient ana = connect("u-ana", "Ana");
        ana.ok("list_rooms");

        clock.advance(Duration.ofSeconds(1));
        flooder.ok("list_rooms");
        assertFalse(flooder.connection().isClosed(), "refusals do not close the connection");
    }

    @Test
    void joinsPastTheBucketAreRateLimited() {
        start(Limits.builder().joinRate(new RateLimit(2, Duration.ofSeconds(5))).build());
        TestClient ana = connect("u-ana", "Ana");
        String a = createRoom(ana, "A");
        String b = createRoom(ana, "B");
        String c = createRoom(ana, "C");
        ana.ok("join", "room", a);
        ana.ok("join", "room", b);
        JsonNode refused = ana.request("join", "room", c);
        assertEquals("rate_limited", refused.path("code").asText());
        assertEquals(5000, refused.path("retryAfterMs").asLong());
        clock.advance(Duration.ofSeconds(5));
        ana.ok("join", "room", c);
    }

    @Test
    void passwordGuessingLocksTheGuesserOutOfThatRoomForAWhile() {
        start(Limits.builder().passwordFailures(new RateLimit(3, Duration.ofMinutes(1)))
                .passwordLockout(Duration.ofMinutes(10)).build());
        TestClient ana = connect("u-ana", "Ana");
        TestClient eve = connect("u-eve", "Eve");
        TestClient bo = connect("u-bo", "Bo");
        String locked = createRoom(ana, "Locked", "secret");
        String other = createRoom(ana, "Other", "other");
        for (int i = 0; i < 3; i++) {
            assertEquals("wrong_password", eve.error("join", "room", locked, "password", "guess" + i));
        }

        JsonNode lockedOut = eve.request("join", "room", locked, "password", "guess3");
        assertEquals("rate_limited", lockedOut.path("code").asText());
        assertEquals(Duration.ofMinutes(10).toMillis(), lockedOut.path("retryAfterMs").asLong());
        // Even the right password is refused while locked out; other users and rooms are not affected.
        assertEquals("rate_limited", eve.error("join", "room", locked, "password", "secret"));
        bo.ok("join", "room", locked, "password", "secret");
        eve.ok("join", "room", other, "password", "other");

        clock.advance(Duration.ofMinutes(10));
        eve.ok("join", "room", locked, "password", "secret");
    }

    // ---- bans are stored ----

    @Test
    void aBanSurvivesARestartOnSqlite() {
        Path db = dir.resolve("chat.db");
        Principal ana = Principal.user("u-ana", "Ana");
        Principal bo = Principal.user("u-bo", "Bo");
        RoomId room;
        try (WebTalk first = WebTalk.builder().store(SqliteChatStore.open(db)).clock(clock).passwordIterations(1000)
                .build()) {
            room = first.createRoom(ana, "General", null).id();
            first.ban(ana, room, bo.id(), "spam", Duration.ofHours(1));
        }

        try (WebTalk second = WebTalk.builder().store(SqliteChatStore.open(db)).clock(clock).passwordIterations(1000)
                .build()) {
            TestClient boClient = TestClient.connect(second, bo);
            JsonNode refused = boClient.request("join", "room", room.value());
            assertEquals("banned", refused.path("code").asText());
            assertEquals(clock.instant().plus(Duration.ofHours(1)).toEpochMilli(), refused.path("until").asLong());
            assertEquals(ModerationAction.BAN, second.auditLog(room, null, null).entries().get(0).action());

            clock.advance(Duration.ofHours(1));
            boClient.ok("join", "room", room.value());
        }
    }
}
