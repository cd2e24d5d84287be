package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moderation over the protocol and the Java API: kick, ban, mute (with expiry on the test clock), roles,
 * ownership, the audit log, and that a banned or muted user gets nothing into history by any path.
 */
class WebTalkModerationTest extends ChatTestSupport {
    @TempDir
    Path dir;
    private TestClient owner;
    private TestClient mod;
    private TestClient bo;
    private TestClient cy;
    private String room;
    private RoomId roomId;

    @BeforeEach
    void ownerModeratorAndTwoMembers() {
        start(builder(Limits.defaults()).attachments(FileSystemAttachmentStore.open(dir.resolve("files"))));
        owner = connect("u-ana", "Ana");
        mod = connect("u-mo", "Mo");
        bo = connect("u-bo", "Bo");
        cy = connect("u-cy", "Cy");
        room = createRoom(owner, "General");
        roomId = RoomId.of(room);
        for (TestClient c : List.of(owner, mod, bo, cy)) {
            c.ok("join", "room", room);
        }
        owner.ok("set_role", "room", room, "user", "u-mo", "role", "moderator");
    }

    @Test
    void aKickedUserLeavesWithAModerationPushAndMayComeBack() {
        JsonNode result = mod.ok("kick", "room", room, "user", "u-bo", "reason", "calm down");
        assertEquals("kick", result.path("entry").path("action").asText());

        JsonNode push = bo.connection().awaitFrame(f -> "moderation".equals(f.path("type").asText())
                && "kick".equals(f.path("action").asText()));
        assertEquals("u-mo", push.path("actor").path("id").asText());
        assertEquals("u-bo", push.path("target").path("id").asText());
        assertEquals("Bo", push.path("target").path("name").asText());
        assertEquals("calm down", push.path("reason").asText());
        JsonNode left = cy.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText())
                && "u-bo".equals(f.path("user").path("id").asText()));
        assertEquals("kicked", left.path("reason").asText());
        assertEquals("not_member", bo.error("send", "room", room, "text", "still here?"));
        assertTrue(chat.room(roomId).orElseThrow().memberCount() == 3);

        bo.ok("join", "room", room);
        say(bo, room, "back");
    }

    @Test
    void aTimedBanKeepsTheUserOutUntilItExpires() {
        owner.ok("ban", "room", room, "user", "u-bo", "reason", "spam", "duration", 600);
        bo.connection().awaitFrame(f -> "ban".equals(f.path("action").asText()));

        JsonNode refused = bo.request("join", "room", room);
        assertEquals("banned", refused.path("code").asText());
        assertEquals(clock.instant().plusSeconds(600).toEpochMilli(), refused.path("until").asLong());
        assertEquals("banned", bo.error("history", "room", room));
        assertEquals("banned", bo.error("send", "room", room, "text", "let me in"));
        assertThrows(BannedException.class, () -> chat.history(bo.principal(), roomId, null, null));

        clock.advance(Duration.ofSeconds(599));
        assertEquals("banned", bo.error("join", "room", room));
        clock.advance(Duration.ofSeconds(1));
        bo.ok("join", "room", room);
        say(bo, room, "I am back");
    }

    @Test
    void aBanWithoutDurationHoldsUntilUnbanned() {
        mod.ok("ban", "room", room, "user", "u-bo");
        clock.advance(Duration.ofDays(3000));
        assertEquals("banned", bo.error("join", "room", room));
        assertEquals(1, chat.restrictions(roomId).size());

        JsonNode listed = mod.ok("restrictions", "room", room).path("restrictions");
        assertEquals(1, listed.size());
        assertEquals("u-bo", listed.get(0).path("user").asText());
        assertEquals("ban", listed.get(0).path("kind").asText());
        assertEquals("forbidden", cy.error("restrictions", "room", room));

        mod.ok("unban", "room", room, "user", "u-bo");
        bo.ok("join", "room", room);
        assertEquals(List.of(), chat.restrictions(roomId));
        assertEquals(0, mod.ok("restrictions", "room", room).path("restrictions").size());
    }

    @Test
    void aMutedUserReadsButCannotSendUntilTheMuteExpires() {
        say(cy, room, "before");
        mod.ok("mute", "room", room, "user", "u-bo", "duration", 60);
        bo.connection().awaitFrame(f -> "mute".equals(f.path("action").asText()));

        JsonNode refused = bo.request("send", "room", room, "text", "hello?");
        assertEquals("muted", refused.path("code").asText());
        assertEquals(clock.instant().plusSeconds(60).toEpochMilli(), refused.path("until").asLong());
        assertEquals(1, bo.ok("history", "room", room).path("messages").size());
        say(cy, room, "others still talk");
        bo.connection().awaitFrame(f -> "message".equals(f.path("type").asText())
                && "others still talk".equals(f.path("message").path("text").asText()));

        clock.advance(Duration.ofSeconds(60));
        say(bo, room, "I can talk again");
    }

    @Test
    void aMutedOrBannedUserGetsNothingIntoHistoryByAnyPath() {
        long before = say(bo, room, "first");
        mod.ok("mute", "room", room, "user", "u-bo");

        // A plain send, a retry that reuses an earlier clientMsgId, a send pipelined without waiting, a file.
        assertEquals("muted", bo.error("send", "room", room, "text", "plain"));
        assertEquals("muted", bo.error("send", "room", room, "text", "retry", "clientMsgId", "c-new"));
        String pipelined = bo.fire("send", "room", room, "text", "pipelined");
        assertEquals("muted", bo.connection().awaitReply(pipelined).path("code").asText());
        assertThrows(MutedException.class, () -> chat.uploadFile(bo.principal(), roomId, "a.png",
                new ByteArrayInputStream(PNG_HEAD)));
        assertThrows(MutedException.class, () -> chat.checkUpload(bo.principal(), roomId));

        owner.ok("ban", "room", room, "user", "u-bo");
        assertEquals("banned", bo.error("send", "room", room, "text", "after ban"));
        assertThrows(BannedException.class, () -> chat.uploadFile(bo.principal(), roomId, "a.png",
                new ByteArrayInputStream(PNG_HEAD)));
        // Leaving and joining again does not shed the ban.
        assertEquals("banned", bo.error("join", "room", room));

        assertEquals(List.of(before), store.appendedMessages().stream()
                .filter(m -> m.authorId().value().equals("u-bo")).map(Message::seq).toList());
    }

    @Test
    void theTableIsEnforcedOverTheProtocol() {
        assertEquals("forbidden", mod.error("kick", "room", room, "user", "u-ana"));
        assertEquals("forbidden", bo.error("kick", "room", room, "user", "u-cy"));
        assertEquals("forbidden", mod.error("mute", "room", room, "user", "u-mo"));
        assertEquals("forbidden", owner.error("ban", "room", room, "user", "u-ana"));
        assertEquals("forbidden", mod.error("set_role", "room", room, "user", "u-bo", "role", "moderator"));
        assertEquals("forbidden", mod.error("transfer_ownership", "room", room, "user", "u-mo"));
        long ownerMessage = say(owner, room, "owner speaks");
        assertEquals("forbidden", mod.error("delete_message", "room", room, "seq", ownerMessage));

        TestClient admin = connect(Principal.admin("u-root", "Root"));
        admin.ok("kick", "room", room, "user", "u-mo");
        assertTrue(store.member(roomId, UserId.of("u-mo")).isEmpty());
    }

    @Test
    void badModerationRequestsAreInvalid() {
        assertEquals("invalid", owner.error("ban", "room", room, "user", "u-bo", "duration", 0));
        assertEquals("invalid", owner.error("kick", "room", room, "user", "u-bo", "duration", 60));
        assertEquals("invalid", owner.error("set_role", "room", room, "user", "u-bo", "role", "owner"));
        assertEquals("invalid", owner.error("kick", "room", room));
        assertEquals("invalid", owner.error("mute", "room", room, "user", "u-bo", "reason", "x".repeat(501)));
        assertEquals("not_member", owner.error("kick", "room", room, "user", "u-nobody"));
        assertEquals("room_not_found", owner.error("kick", "room", "nowhere1", "user", "u-bo"));
    }

    @Test
    void aPromotedModeratorModeratesAndAnOwnerHandsOverTheRoom() {
        owner.ok("set_role", "room", room, "user", "u-bo", "role", "moderator");
        cy.connection().awaitFrame(f -> "set_role".equals(f.path("action").asText())
                && "u-bo".equals(f.path("target").path("id").asText()));
        long cyMessage = say(cy, room, "rude");
        bo.ok("delete_message", "room", room, "seq", cyMessage);

        owner.ok("transfer_ownership", "room", room, "user", "u-cy");
        assertEquals(UserId.of("u-cy"), chat.room(roomId).orElseThrow().room().ownerId());
        assertEquals(MemberRole.OWNER, store.member(roomId, UserId.of("u-cy")).orElseThrow().role());
        assertEquals(MemberRole.MODERATOR, store.member(roomId, UserId.of("u-ana")).orElseThrow().role());
        // The new owner may now act on the old one; the old one no longer on the new.
        assertEquals("forbidden", owner.error("kick", "room", room, "user", "u-cy"));
        cy.ok("set_role", "room", room, "user", "u-ana", "role", "member");
        cy.ok("delete_room", "room", room);
    }

    @Test
    void theAuditLogRecordsEachActionNewestFirstForModeratorsOnly() {
        long seq = say(bo, room, "oops");
        bo.ok("delete_message", "room", room, "seq", say(bo, room, "mine")); // own deletes are not audited
        mod.ok("delete_message", "room", room, "seq", seq);
        mod.ok("mute", "room", room, "user", "u-bo", "reason", "flood", "duration", 300);
        mod.ok("kick", "room", room, "user", "u-cy");

        JsonNode page = mod.ok("audit", "room", room, "limit", 2);
        JsonNode entries = page.path("entries");
        assertEquals(2, entries.size());
        assertTrue(page.path("hasMore").asBoolean());
        assertEquals("kick", entries.get(0).path("action").asText());
        assertEquals("mute", entries.get(1).path("action").asText());
        assertEquals("flood", entries.get(1).path("reason").asText());
        assertEquals(clock.instant().plusSeconds(300).toEpochMilli(), entries.get(1).path("until").asLong());
        assertEquals("u-mo", entries.get(1).path("actor").path("id").asText());

        JsonNode older = mod.ok("audit", "room", room, "before", entries.get(1).path("id").asLong());
        List<String> actions = older.path("entries").findValuesAsText("action");
        assertEquals(List.of("delete_message", "set_role"), actions);
        assertEquals(seq, older.path("entries").get(0).path("seq").asLong());
        assertFalse(older.path("hasMore").asBoolean());

        assertEquals("forbidden", bo.error("audit", "room", room));
        AuditPage hostView = chat.auditLog(roomId, null, 10);
        assertEquals(4, hostView.entries().size());
        assertEquals(ModerationAction.KICK, hostView.entries().get(0).action());
    }

    /**
     * The log and the ban list name the target as they were named when it happened, also once they have
     * left: a kicked, a banned and an unbanned user, and the author of a deleted message.
     */
    @Test
    void theLogAndTheBanListNameTargetsWhoHaveLeft() {
        long seq = say(cy, room, "oops");
        mod.ok("delete_message", "room", room, "seq", seq);
        mod.ok("kick", "room", room, "user", "u-cy");
        owner.ok("ban", "room", room, "user", "u-bo", "reason", "spam");
        owner.ok("ban", "room", room, "user", "u-never-seen");

        JsonNode bans = owner.ok("restrictions", "room", room).path("restrictions");
        assertEquals("Bo", bans.get(0).path("userName").asText());
        assertTrue(bans.get(1).path("userName").isMissingNode(), "no name known for someone never seen");
        owner.ok("unban", "room", room, "user", "u-bo"); // Bo is no member now: named by the ban

        JsonNode entries = owner.ok("audit", "room", room, "limit", 5).path("entries");
        assertEquals(List.of("unban", "ban", "ban", "kick", "delete_message"), entries.findValuesAsText("action"));
        assertEquals("Bo", entries.get(0).path("target").path("name").asText());
        assertEquals("u-never-seen", entries.get(1).path("target").path("id").asText());
        assertTrue(entries.get(1).path("target").path("name").isMissingNode());
        assertEquals("Bo", entries.get(2).path("target").path("name").asText());
        assertEquals("Cy", entries.get(3).path("target").path("name").asText());
        assertEquals("Cy", entries.get(4).path("target").path("name").asText());
        assertEquals("Bo", chat.auditLog(roomId, null, 1).entries().get(0).targetName());
    }

    @Test
    void theJavaApiModeratesLikeTheProtocol() {
        Principal ana = owner.principal();
        chat.mute(ana, roomId, UserId.of("u-bo"), "shh", Duration.ofMinutes(1));
        assertEquals("muted", bo.error("send", "room", room, "text", "x"));
        chat.unmute(ana, roomId, UserId.of("u-bo"));
        say(bo, room, "free");

        chat.kick(ana, roomId, UserId.of("u-cy"), null);
        cy.connection().awaitFrame(f -> "kick".equals(f.path("action").asText()));
        assertThrows(ForbiddenException.class, () -> chat.ban(bo.principal(), roomId, UserId.of("u-mo"), null, null));
        chat.ban(ana, roomId, UserId.of("u-bo"), "bye", Duration.ofHours(1));
        assertThrows(BannedException.class, () -> chat.checkPassword(bo.principal(), roomId, null));
        chat.setRole(ana, roomId, UserId.of("u-mo"), MemberRole.MEMBER);
        assertEquals(MemberRole.MEMBER, store.member(roomId, UserId.of("u-mo")).orElseThrow().role());

        assertEquals(List.of(ModerationAction.SET_ROLE, ModerationAction.BAN, ModerationAction.KICK,
                        ModerationAction.UNMUTE, ModerationAction.MUTE, ModerationAction.SET_ROLE),
                chat.auditLog(roomId, null, null).entries().stream().map(AuditEntry::action).toList());
    }

    @Test
    void anAdminIsNeverHeldOutByABan() {
        TestClient admin = connect(Principal.admin("u-root", "Root"));
        admin.ok("join", "room", room);
        // The owner cannot know the target is a global admin when it bans by id; the ban does not bind them.
        owner.ok("ban", "room", room, "user", "u-root");
        admin.ok("join", "room", room);
        say(admin, room, "still here");
        assertEquals(FakeConnection.class, admin.connection().getClass());
    }

    @Test
    void aSendThatArrivesWhileABanIsBeingStoredIsRefusedNotStoredAfterIt() {
        store.hold();
        String ban = owner.fire("ban", "room", room, "user", "u-bo");
        store.awaitHeld(Duration.ofSeconds(10)); // the ban is with the writer, not yet committed
        JsonNode send = bo.request("send", "room", room, "text", "sneaking in");
        String other = cy.fire("send", "room", room, "text", "others still send"); // queued behind the ban
        store.release();

        assertEquals("banned", send.path("code").asText());
        assertEquals("result", cy.connection().awaitReply(other).path("type").asText());
        assertEquals("result", owner.connection().awaitReply(ban).path("type").asText());
        assertTrue(store.appendedMessages().stream().noneMatch(m -> m.authorId().value().equals("u-bo")));
    }

    @Test
    void aSendThatArrivesWhileAMuteIsBeingStoredIsRefused() {
        store.hold();
        String mute = owner.fire("mute", "room", room, "user", "u-bo");
        store.awaitHeld(Duration.ofSeconds(10));
        JsonNode send = bo.request("send", "room", room, "text", "sneaking in");
        store.release();

        assertEquals("muted", send.path("code").asText());
        assertEquals("result", owner.connection().awaitReply(mute).path("type").asText());
        assertEquals("muted", bo.error("send", "room", room, "text", "after"));
    }

    @Test
    void slowModeSpacesAMembersMessagesButNotAModerators() {
        JsonNode result = mod.ok("set_room", "room", room, "slowMode", 30);
        assertEquals(30, result.path("settings").path("slowMode").asLong());
        JsonNode pushed = bo.connection().awaitFrame(f -> "room_updated".equals(f.path("type").asText()));
        assertEquals(30, pushed.path("settings").path("slowMode").asLong());

        say(bo, room, "one");
        JsonNode refused = bo.request("send", "room", room, "text", "two");
        assertEquals("rate_limited", refused.path("code").asText());
        assertEquals(30_000, refused.path("retryAfterMs").asLong());
        say(cy, room, "others have their own gap");
        say(mod, room, "moderators");
        say(mod, room, "are exempt");

        clock.advance(Duration.ofSeconds(30));
        say(bo, room, "two, later");
        assertEquals(30, bo.ok("join", "room", room).path("settings").path("slowMode").asLong());
    }

    @Test
    void aLockedRoomIsReadOnlyForMembersAndTheTopicIsShared() {
        owner.ok("set_room", "room", room, "locked", true, "topic", "  Announcements only  ");
        assertEquals("forbidden", bo.error("send", "room", room, "text", "can I?"));
        assertThrows(ForbiddenException.class, () -> chat.uploadFile(bo.principal(), roomId, "a.png",
                new ByteArrayInputStream(PNG_HEAD)));
        say(mod, room, "yes, moderators can");
        assertEquals("Announcements only", chat.roomSettings(roomId).topic());
        assertEquals("forbidden", bo.error("set_room", "room", room, "locked", false));
        assertEquals("invalid", owner.error("set_room", "room", room, "slowMode", 3601));
        assertEquals("invalid", owner.error("set_room", "room", room, "locked", "yes"));

        chat.setRoomSettings(owner.principal(), roomId, RoomSettings.DEFAULTS);
        say(bo, room, "open again");
        AuditEntry last = chat.auditLog(roomId, null, 1).entries().get(0);
        assertEquals(ModerationAction.SET_ROOM, last.action());
        assertEquals(RoomSettings.DEFAULTS, last.settings());
        assertEquals(null, last.targetId());
    }

    @Test
    void theJavaApiReturnsEachAuditEntryWithTheIdTheLogGaveIt() {
        AuditEntry ban = chat.ban(owner.principal(), roomId, UserId.of("u-bo"), "spam", null);
        AuditEntry settings = chat.updateRoomSettings(mod.principal(), roomId, null, true, null).orElseThrow();
        AuditEntry unban = chat.unban(owner.principal(), roomId, UserId.of("u-bo")).orElseThrow();

        List<AuditEntry> log = chat.auditLog(roomId, null, 3).entries();
        assertEquals(List.of(unban, settings, ban), log);
        assertTrue(ban.id() > 0);
    }

    @Test
    void anOwnerAnAdminBannedCanNoLongerModerateTheRoom() {
        long own = say(owner, room, "mine");
        long bos = say(bo, room, "bo's");
        TestClient admin = connect(Principal.admin("u-root", "Root"));
        admin.ok("ban", "room", room, "user", "u-ana", "reason", "abuse");
        owner.connection().awaitFrame(f -> "ban".equals(f.path("action").asText()));

        assertEquals("banned", owner.error("kick", "room", room, "user", "u-bo"));
        assertEquals("banned", owner.error("set_room", "room", room, "locked", true));
        assertEquals("banned", owner.error("join", "room", room));
        // Every other action of the banned owner too: nothing read, nothing changed, the room not deleted.
        assertEquals("banned", owner.error("delete_room", "room", room));
        assertEquals("banned", owner.error("audit", "room", room));
        assertEquals("banned", owner.error("restrictions", "room", room));
        assertEquals("banned", owner.error("message_edits", "room", room, "seq", own));
        assertEquals("banned", owner.error("pin", "room", room, "seq", bos));
        assertEquals("banned", owner.error("delete_message", "room", room, "seq", bos));
        assertEquals("banned", owner.error("delete_message", "room", room, "seq", own));
        assertEquals("banned", owner.error("set_role", "room", room, "user", "u-bo", "role", "moderator"));
        assertThrows(BannedException.class, () -> chat.deleteRoom(owner.principal(), roomId));
        assertThrows(BannedException.class, () -> chat.auditLog(owner.principal(), roomId, null, null));
        assertTrue(chat.room(roomId).isPresent());
        assertEquals(2, chat.history(admin.principal(), roomId, null, null).messages().stream()
                .filter(m -> !m.isDeleted()).count());

        admin.ok("transfer_ownership", "room", room, "user", "u-mo");
        mod.ok("kick", "room", room, "user", "u-bo");
    }
}
