package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's side of the engine: statistics, activity, archiving, settings and room expiry. */
class WebTalkAdminTest extends ChatTestSupport {
    private static final Principal ADMIN = Principal.admin("u-admin", "Root");

    @TempDir
    Path dir;

    private static List<String> listed(TestClient client) {
        return client.ok("list_rooms").path("rooms").findValuesAsText("id");
    }

    // ---- statistics and activity ----

    @Test
    void statsCountRoomsPresenceConnectionsMessagesAndUptime() {
        TestClient ana = connect("u-ana", "Ana");
        connect("u-ana", "Ana"); // a second tab: one user, two connections
        TestClient bo = connect("u-bo", "Bo");
        String general = createRoom(ana, "General");
        createRoom(bo, "Quiet");
        ana.ok("join", "room", general);
        say(ana, general, "one");
        say(ana, general, "two");
        clock.advance(Duration.ofDays(1));
        say(ana, general, "three");

        ServerStats stats = chat.stats();

        assertEquals(2, stats.roomsTotal());
        assertEquals(1, stats.roomsActive(), "only General has someone present");
        assertEquals(2, stats.usersOnline());
        assertEquals(3, stats.connections());
        assertEquals(1, stats.messagesToday(), "two of the messages were sent yesterday");
        assertEquals(3, stats.messagesTotal());
        assertEquals(Duration.ofDays(1), stats.uptime());
        assertEquals(0, stats.files());
    }

    @Test
    void recentActivityIsNewestFirstAndBounded() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String general = createRoom(ana, "General");
        bo.ok("join", "room", general);
        chat.deleteRoom(ADMIN, RoomId.of(general));

        List<ActivityEvent> events = chat.stats().recentActivity();
        assertEquals(List.of(ActivityEvent.Type.ROOM_DELETED, ActivityEvent.Type.MEMBER_JOINED,
                ActivityEvent.Type.ROOM_CREATED), events.stream().map(ActivityEvent::type).toList());
        assertEquals("Root", events.get(0).actorName());
        assertEquals("Bo", events.get(1).actorName());
        assertEquals("General", events.get(2).roomName());

        for (int i = 0; i < 60; i++) {
            createRoom(ana, "Room " + i);
        }
        events = chat.stats().recentActivity();
        assertEquals(50, events.size());
        assertEquals("Room 59", events.get(0).roomName());
    }

    // ---- archive ----

    @Test
    void anArchivedRoomIsHiddenFromTheListAndReadOnlyButStillReadable() {
        TestClient ana = connect("u-ana", "Ana");
        String general = createRoom(ana, "General");
        String other = createRoom(ana, "Other");
        ana.ok("join", "room", general);
        say(ana, general, "before");

        chat.archiveRoom(ADMIN, RoomId.of(general));

        assertEquals(List.of(other), listed(ana));
        assertEquals(List.of(other), chat.rooms().stream().map(r -> r.room().id().value()).toList());
        assertEquals("room_archived", ana.error("send", "room", general, "text", "after"));
        assertEquals("room_archived", ana.error("delete_message", "room", general, "seq", 1));
        TestClient bo = connect("u-bo", "Bo");
        JsonNode joined = bo.ok("join", "room", general);
        assertEquals("before", joined.path("history").get(0).path("text").asText(), "an archived room can be read");
        assertTrue(chat.roomOverviews().stream().anyMatch(r -> r.room().id().value().equals(general) && r.archived()));
        assertEquals(1, chat.stats().roomsArchived());

        chat.unarchiveRoom(ADMIN, RoomId.of(general));

        assertEquals(java.util.Set.of(general, other), java.util.Set.copyOf(listed(ana)));
        say(ana, general, "after");
    }

    @Test
    void onlyAdminsArchiveAndUnknownRoomsAreNotFound() {
        TestClient ana = connect("u-ana", "Ana");
        RoomId general = RoomId.of(createRoom(ana, "General"));

        assertThrows(ForbiddenException.class, () -> chat.archiveRoom(ana.principal(), general));
        assertThrows(RoomNotFoundException.class, () -> chat.archiveRoom(ADMIN, RoomId.of("nowhere1")));
        assertFalse(chat.roomOverviews().get(0).archived());
    }

    // ---- settings ----

    @Test
    void settingsApplyAtOnceAndAreStored() {
        start();
        TestClient ana = connect("u-ana", "Ana");
        createRoom(ana, "One");

        ServerSettings set = chat.updateSettings(chat.settings().withMaxRooms(1)
                .withRoomInactivityTimeout(Duration.ofMinutes(90)).withMaxFileBytes(1000));

        assertEquals(set, chat.settings());
        assertEquals("conflict", ana.error("create_room", "name", "Two"));
        assertEquals(1000, chat.maxFileBytes());
        assertEquals("5400", store.settings().get("roomInactivityTimeoutSeconds"));
        assertThrows(InvalidRequestException.class,
                () -> chat.updateSettings(chat.settings().withMaxFileBytes(chat.fileSizeCeiling() + 1)));
        assertThrows(InvalidRequestException.class, () -> chat.settings().withMaxRooms(0));
    }

    @Test
    void settingsAndArchivedRoomsSurviveARestartOnSqlite() {
        Path db = dir.resolve("chat.db");
        RoomId room;
        try (WebTalk first = WebTalk.builder().store(SqliteChatStore.open(db)).clock(clock).build()) {
            room = first.createRoom(Principal.user("u-ana", "Ana"), "General", null).id();
            first.archiveRoom(ADMIN, room);
            first.updateSettings(first.settings().withMaxRooms(3).withRoomInactivityTimeout(Duration.ofHours(2)));
        }
        try (WebTalk second = WebTalk.builder().store(SqliteChatStore.open(db)).clock(clock).build()) {
            assertEquals(3, second.settings().maxRooms());
            assertEquals(Duration.ofHours(2), second.settings().roomInactivityTimeout());
            assertEquals(List.of(), second.rooms());
            assertTrue(second.roomOverviews().get(0).archived());
        }
    }

    // ---- expiry ----

    @Test
    void purgeDeletesOnlyRoomsIdleForTheTimeout() {
        start();
        chat.updateSettings(chat.settings().withRoomInactivityTimeout(Duration.ofHours(1)));
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String idle = createRoom(ana, "Idle");
        String chatty = createRoom(ana, "Chatty");
        String kept = createRoom(ana, "Archived");
        String occupied = createRoom(bo, "Occupied");
        chat.archiveRoom(ADMIN, RoomId.of(kept));
        bo.ok("join", "room", occupied);
        clock.advance(Duration.ofMinutes(50));
        ana.ok("join", "room", chatty);
        say(ana, chatty, "still here");
        ana.ok("leave", "room", chatty);
        clock.advance(Duration.ofMinutes(20));

        assertEquals(List.of(RoomId.of(idle)), chat.purgeInactiveRooms());

        assertTrue(chat.room(RoomId.of(idle)).isEmpty());
        assertEquals(java.util.Set.of(chatty, kept, occupied),
                chat.roomOverviews().stream().map(r -> r.room().id().value()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(ActivityEvent.Type.ROOM_EXPIRED, chat.stats().recentActivity().get(0).type());

        clock.advance(Duration.ofMinutes(45)); // chatty's last message is now 65 minutes old
        assertEquals(List.of(RoomId.of(chatty)), chat.purgeInactiveRooms());
    }

    @Test
    void roomsNeverExpireWithAZeroTimeout() {
        TestClient ana = connect("u-ana", "Ana");
        createRoom(ana, "Old");
        clock.advance(Duration.ofDays(5000));

        assertEquals(List.of(), chat.purgeInactiveRooms());
        assertEquals(1, chat.roomOverviews().size());
    }

    @Test
    void theExpiryJobRunsOnItsOwn() throws InterruptedException {
        chat = WebTalk.builder().store(store).clock(clock).roomThreads(2).passwordIterations(1000)
                .roomInactivityTimeout(Duration.ofMinutes(10)).expiryCheckInterval(Duration.ofMillis(20)).build();
        chat.createRoom(Principal.user("u-ana", "Ana"), "Soon gone", null);
        clock.advance(Duration.ofMinutes(11));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!chat.roomOverviews().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling for the background job, not timing it
        }
        assertEquals(List.of(), chat.roomOverviews());
    }

    // ---- deleting a room deletes its files ----

    @Test
    void deletingARoomDeletesItsFilesAndTellsThoseInIt() throws Exception {
        FileSystemAttachmentStore files = FileSystemAttachmentStore.open(dir.resolve("attachments"));
        chat = WebTalk.builder().store(store).clock(clock).roomThreads(2).passwordIterations(1000)
                .attachments(files).build();
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        RoomId room = RoomId.of(createRoom(ana, "General"));
        ana.ok("join", "room", room.value());
        bo.ok("join", "room", room.value());
        chat.uploadFile(ana.principal(), room, "a.png", new ByteArrayInputStream(padded(PNG_HEAD, 300)));
        chat.uploadFile(ana.principal(), room, "b.png", new ByteArrayInputStream(padded(PNG_HEAD, 400)));
        assertEquals(2, chat.stats().files());
        assertEquals(700, chat.stats().bytesStored());

        chat.deleteRoom(ADMIN, room);

        bo.connection().awaitFrame(f -> f.path("type").asText().equals("room_deleted"));
        try (var left = Files.list(files.directory())) {
            assertEquals(0, left.count());
        }
        assertEquals(0, chat.stats().files());
        assertEquals("room_not_found", bo.error("send", "room", room.value(), "text", "hello?"));
    }

    @Test
    void anUploadToAnArchivedRoomIsRefused() {
        FileSystemAttachmentStore files = FileSystemAttachmentStore.open(dir.resolve("attachments"));
        chat = WebTalk.builder().store(store).clock(clock).roomThreads(2).passwordIterations(1000)
                .attachments(files).build();
        TestClient ana = connect("u-ana", "Ana");
        RoomId room = RoomId.of(createRoom(ana, "General"));
        chat.archiveRoom(ADMIN, room);

        RoomArchivedException e = assertThrows(RoomArchivedException.class, () -> chat.uploadFile(
                ana.principal(), room, "a.png", new ByteArrayInputStream(padded(PNG_HEAD, 300))));
        assertEquals("room_archived", e.code().wire());
        assertTrue(Instant.EPOCH.isBefore(chat.roomOverviews().get(0).archivedAt()));
    }
}
