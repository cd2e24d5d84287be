package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import dev.webtalk.spi.StoreWrite;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static dev.webtalk.testing.SampleFiles.GIF_HEAD;
import static dev.webtalk.testing.SampleFiles.PDF_HEAD;
import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.SVG;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharing files: FILE messages, who may read the bytes, and nothing left behind on failure. */
class WebTalkFilesTest extends ChatTestSupport {
    private static final long MAX = 64 * 1024;
    private static final Instant FAR_FUTURE = Instant.parse("3000-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private FileSystemAttachmentStore files;
    private TestClient ana;
    private TestClient bo;
    private RoomId room;

    private void twoInARoom() {
        files = FileSystemAttachmentStore.open(dir.resolve("attachments"));
        chat = WebTalk.builder().store(store).clock(clock).roomThreads(2).passwordIterations(1000)
                .attachments(files).maxFileBytes(MAX).build();
        ana = connect("u-ana", "Ana");
        bo = connect("u-bo", "Bo");
        room = RoomId.of(createRoom(ana, "General"));
        ana.ok("join", "room", room.value());
        bo.ok("join", "room", room.value());
    }

    private Message upload(TestClient who, String name, byte[] content) {
        return chat.uploadFile(who.principal(), room, name, new ByteArrayInputStream(content));
    }

    private List<String> storedNames() throws IOException {
        try (Stream<Path> list = Files.list(files.directory())) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void anUploadBecomesAFileMessageThatEveryoneGetsAndHistoryKeeps() throws Exception {
        twoInARoom();
        say(ana, room.value(), "look");
        byte[] png = padded(PNG_HEAD, 5000);

        Message message = upload(ana, "holiday.png", png);

        assertEquals(MessageKind.FILE, message.kind());
        assertEquals(2, message.seq());
        Attachment attachment = message.attachment();
        assertEquals("holiday.png", attachment.name());
        assertEquals("image/png", attachment.mediaType());
        assertEquals(5000, attachment.size());
        for (TestClient c : List.of(ana, bo)) {
            JsonNode push = c.connection().awaitFrames(f -> FakeConnection.ofType("message").test(f)
                    && f.path("message").path("kind").asText().equals("file"), 1).get(0).path("message");
            assertEquals(2, push.path("seq").asLong());
            assertEquals(attachment.id(), push.path("file").path("id").asText());
            assertEquals("holiday.png", push.path("file").path("name").asText());
            assertEquals("image/png", push.path("file").path("type").asText());
            assertEquals(5000, push.path("file").path("size").asLong());
        }
        JsonNode history = bo.ok("history", "room", room.value()).path("messages");
        assertEquals("file", history.get(1).path("kind").asText());
        assertEquals(attachment.id(), history.get(1).path("file").path("id").asText());
        try (FileDownload download = chat.openFile(bo.principal(), room, attachment.id())) {
            assertEquals(attachment, download.attachment());
            assertArrayEquals(png, download.content().readAllBytes());
        }
    }

    @Test
    void theTypeComesFromTheContentNeverFromTheName() {
        twoInARoom();

        assertEquals("image/gif", upload(ana, "report.pdf", padded(GIF_HEAD, 100)).attachment().mediaType());
        assertEquals("application/pdf", upload(ana, "photo.jpg", padded(PDF_HEAD, 100)).attachment().mediaType());
    }

    @Test
    void svgAndUnknownContentAreRefusedAndNothingIsStored() throws Exception {
        twoInARoom();

        UnsupportedTypeException svg = assertThrows(UnsupportedTypeException.class, () -> upload(ana, "cat.png", SVG));
        assertEquals("unsupported_type", svg.code().wire());
        assertThrows(UnsupportedTypeException.class, () -> upload(ana, "notes.pdf", "plain text".getBytes()));
        assertThrows(UnsupportedTypeException.class, () -> upload(ana, "tiny.png", new byte[] {(byte) 0x89, 'P', 'N'}));
        InvalidRequestException empty = assertThrows(InvalidRequestException.class, () -> upload(ana, "empty.png", new byte[0]));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());

        assertEquals(List.of(), storedNames());
        assertEquals(0, store.lastSeq(room));
    }

    @Test
    void anOverLimitUploadIsRefusedAndLeavesNoFile() throws Exception {
        twoInARoom();

        upload(ana, "exact.png", padded(PNG_HEAD, (int) MAX));
        assertThrows(TooLargeException.class, () -> upload(ana, "big.png", padded(PNG_HEAD, (int) MAX + 1)));

        assertEquals(1, storedNames().size());
        assertEquals(1, store.lastSeq(room));
    }

    @Test
    void onlyMembersMayUploadAndOnlyMembersAndAdminsMayDownload() throws Exception {
        twoInARoom();
        TestClient eve = connect("u-eve", "Eve");
        String id = upload(ana, "a.png", PNG_HEAD).attachment().id();

        assertThrows(NotMemberException.class, () -> upload(eve, "b.png", PNG_HEAD));
        assertThrows(NotMemberException.class, () -> chat.openFile(eve.principal(), room, id));
        try (FileDownload d = chat.openFile(Principal.admin("u-root", "Root"), room, id)) {
            assertArrayEquals(PNG_HEAD, d.content().readAllBytes());
        }
        assertThrows(RoomNotFoundException.class,
                () -> chat.uploadFile(ana.principal(), RoomId.of("nowhere1"), "a.png", new ByteArrayInputStream(PNG_HEAD)));
        assertEquals(1, storedNames().size());
    }

    @Test
    void aFileOfAnotherRoomOrAMadeUpIdIsNotFound() {
        twoInARoom();
        String id = upload(ana, "a.png", PNG_HEAD).attachment().id();
        RoomId other = RoomId.of(createRoom(bo, "Other"));

        assertThrows(AttachmentNotFoundException.class, () -> chat.openFile(bo.principal(), other, id));
        assertThrows(AttachmentNotFoundException.class, () -> chat.openFile(bo.principal(), room, "AAAAAAAAAAAAAAAAAAAAAA"));
        assertThrows(AttachmentNotFoundException.class, () -> chat.openFile(bo.principal(), room, "../webtalk.db"));
    }

    @Test
    void deletingAFileMessageRemovesTheBytesAndAccessToThem() throws Exception {
        twoInARoom();
        Message message = upload(ana, "a.png", PNG_HEAD);

        ana.ok("delete_message", "room", room.value(), "seq", message.seq());

        assertThrows(AttachmentNotFoundException.class, () -> chat.openFile(ana.principal(), room, message.attachment().id()));
        assertEquals(List.of(), storedNames());
        JsonNode deleted = bo.ok("history", "room", room.value()).path("messages").get(0);
        assertTrue(deleted.path("deleted").asBoolean());
        assertTrue(deleted.path("text").isNull());
        assertFalse(deleted.has("file"), "a deleted message still shows its file: " + deleted);
    }

    @Test
    void fileNamesLoseTheirPathAndControlCharacters() {
        twoInARoom();

        assertEquals("passwd.png", upload(ana, "../../etc/passwd.png", PNG_HEAD).attachment().name());
        assertEquals("evil.png", upload(ana, "C:\\temp\\evil.png", PNG_HEAD).attachment().name());
        assertEquals("a b.png", upload(ana, "a\u0000 b.png\n", PNG_HEAD).attachment().name());
        assertEquals("file", upload(ana, "", PNG_HEAD).attachment().name());
        assertEquals("file", upload(ana, null, PNG_HEAD).attachment().name());
        assertThrows(InvalidRequestException.class, () -> upload(ana, "x".repeat(256), PNG_HEAD));
    }

    @Test
    void orphansAreFoundAndPurgedWhileLiveFilesStay() throws Exception {
        twoInARoom();
        String live = upload(ana, "live.png", PNG_HEAD).attachment().id();
        StoredFile stray = files.write(new ByteArrayInputStream(PNG_HEAD), MAX); // an upload that never became a message
        RoomId doomed = RoomId.of(createRoom(bo, "Doomed"));
        bo.ok("join", "room", doomed.value());
        String inDeletedRoom = chat.uploadFile(bo.principal(), doomed, "x.png", new ByteArrayInputStream(PNG_HEAD))
                .attachment().id();
        bo.ok("delete_room", "room", doomed.value());

        assertEquals(List.of(), chat.orphanedFiles(Instant.EPOCH), "files newer than the cutoff count as in progress");
        List<String> orphans = chat.orphanedFiles(FAR_FUTURE).stream().map(StoredFile::key).sorted().toList();
        // Deleting the room deleted its files at once; only the stray upload is left over.
        assertEquals(List.of(stray.key()), orphans);
        assertFalse(storedNames().contains(inDeletedRoom));

        assertEquals(1, chat.purgeOrphanedFiles(FAR_FUTURE));

        assertEquals(List.of(live), storedNames());
        assertEquals(List.of(), chat.orphanedFiles(FAR_FUTURE));
    }

    @Test
    void aFailedStoreWriteLeavesNoFileBehind() throws Exception {
        twoInARoom();
        store.failWrites(w -> w instanceof StoreWrite.AppendMessage);

        assertThrows(StoreException.class, () -> upload(ana, "a.png", PNG_HEAD));

        assertEquals(List.of(), storedNames());
    }

    @Test
    void withoutAnAttachmentStoreUploadsAreForbidden() {
        start();
        TestClient cy = connect("u-cy", "Cy");
        RoomId own = RoomId.of(createRoom(cy, "Mine"));

        assertFalse(chat.filesEnabled());
        assertThrows(ForbiddenException.class,
                () -> chat.uploadFile(cy.principal(), own, "a.png", new ByteArrayInputStream(PNG_HEAD)));
    }

    @Test
    void aFailingUploadStreamIsNotStored() throws Exception {
        twoInARoom();
        InputStream broken = new InputStream() {
            private int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return left >= 1000 - PNG_HEAD.length ? PNG_HEAD[999 - left] & 0xFF : 0;
                }
                throw new IOException("client went away");
            }
        };

        assertThrows(WebTalkException.class, () -> chat.uploadFile(ana.principal(), room, "a.png", broken));

        assertEquals(List.of(), storedNames());
        assertNull(store.message(room, 1).orElse(null));
    }
}
