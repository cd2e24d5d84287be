package dev.webtalk.store.fs;

import dev.webtalk.StoreException;
import dev.webtalk.TooLargeException;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files land whole under generated names, or not at all. */
class FileSystemAttachmentStoreTest {
    @TempDir
    Path dir;

    private FileSystemAttachmentStore open() {
        return FileSystemAttachmentStore.open(dir.resolve("attachments"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWrittenFileReadsBackUnderAGeneratedName() throws Exception {
        FileSystemAttachmentStore store = open();
        byte[] content = padded(PNG_HEAD, 200_000);

        StoredFile stored = store.write(new ByteArrayInputStream(content), content.length);

        assertTrue(stored.key().matches("[A-Za-z0-9_-]{22}"), stored.key());
        assertEquals(content.length, stored.size());
        assertEquals(List.of(stored.key()), names(store.directory()));
        try (InputStream in = store.open(stored.key()).orElseThrow()) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(List.of(stored.key()), store.list().stream().map(StoredFile::key).toList());
        assertNotEquals(stored.key(), store.write(new ByteArrayInputStream(content), content.length).key());
    }

    @Test
    void exactlyTheLimitIsAcceptedAndOneByteMoreLeavesNothingBehind() throws Exception {
        FileSystemAttachmentStore store = open();

        store.write(new ByteArrayInputStream(new byte[1000]), 1000);
        assertThrows(TooLargeException.class, () -> store.write(new ByteArrayInputStream(new byte[1001]), 1000));

        assertEquals(1, names(store.directory()).size(), "only the first file, no temporary left: " + names(store.directory()));
        assertEquals(1, store.list().size());
    }

    @Test
    void anOverLimitStreamIsNotReadToItsEnd() {
        FileSystemAttachmentStore store = open();
        CountingStream endless = new CountingStream(Long.MAX_VALUE);

        assertThrows(TooLargeException.class, () -> store.write(endless, 1_000_000));

        assertTrue(endless.read < 1_200_000, "read " + endless.read + " bytes of an endless upload");
    }

    @Test
    void aFailingUploadLeavesNothingBehind() throws Exception {
        FileSystemAttachmentStore store = open();
        InputStream broken = new CountingStream(10_000) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 5_000) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, len);
            }
        };

        StoreException e = assertThrows(StoreException.class, () -> store.write(broken, 1_000_000));

        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(List.of(), names(store.directory()));
    }

    @Test
    void aReaderNeverSeesAPartFileWhileItIsWritten() throws Exception {
        FileSystemAttachmentStore store = open();
        CountDownLatch halfWay = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        InputStream slow = new CountingStream(200_000) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= 100_000 && halfWay.getCount() > 0) {
                    halfWay.countDown();
                    await(goOn);
                }
                return super.read(b, off, Math.min(len, 10_000));
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<StoredFile> writing = pool.submit(() -> store.write(slow, 1_000_000));
            assertTrue(halfWay.await(10, TimeUnit.SECONDS));

            assertEquals(List.of(), store.list(), "a half-written file is listed");
            assertEquals(1, names(store.directory()).size(), "the upload streams to a temporary file");
            assertTrue(names(store.directory()).get(0).startsWith("."), names(store.directory()).toString());

            goOn.countDown();
            StoredFile stored = writing.get(10, TimeUnit.SECONDS);
            assertEquals(200_000, stored.size());
            assertEquals(List.of(stored.key()), names(store.directory()));
        } finally {
            goOn.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void malformedAndUnknownKeysAreNotFound() throws Exception {
        FileSystemAttachmentStore store = open();
        Files.writeString(dir.resolve("secret.txt"), "outside");

        for (String key : new String[] {"../secret.txt", "..%2Fsecret.txt", "", "AAAAAAAAAAAAAAAAAAAAAA", ".upload-1.tmp"}) {
            assertEquals(Optional.empty(), store.open(key), key);
            assertFalse(store.delete(key), key);
        }
        assertEquals(Optional.empty(), store.open((String) null));
        assertTrue(Files.exists(dir.resolve("secret.txt")));
    }

    @Test
    void deleteRemovesTheBytesOnce() {
        FileSystemAttachmentStore store = open();
        StoredFile stored = store.write(new ByteArrayInputStream(PNG_HEAD), 100);

        assertTrue(store.delete(stored.key()));
        assertFalse(store.delete(stored.key()));
        assertEquals(Optional.empty(), store.open(stored.key()));
        assertEquals(List.of(), store.list());
    }

    @Test
    void openingDeletesOldTemporaryFilesLeftByACrashAndKeepsTheRest() throws Exception {
        FileSystemAttachmentStore first = open();
        StoredFile kept = first.write(new ByteArrayInputStream(PNG_HEAD), 100);
        Path crashed = Files.write(first.directory().resolve(".upload-123.tmp"), new byte[10]);
        Files.setLastModifiedTime(crashed, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(FileSystemAttachmentStore.STALE_TEMP_AGE).minusSeconds(1)));
        Path inProgress = Files.write(first.directory().resolve(".upload-456.tmp"), new byte[10]);

        FileSystemAttachmentStore reopened = open();

        assertEquals(java.util.Set.of(kept.key(), ".upload-456.tmp"), java.util.Set.copyOf(names(reopened.directory())),
                "a recent temporary file may be another process's upload in progress");
        assertTrue(Files.exists(inProgress));
        assertEquals(Set.of(kept.key()), reopened.list().stream().map(StoredFile::key).collect(Collectors.toSet()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream of {@code length} zero bytes that counts what was read. */
    private static class CountingStream extends InputStream {
        private final long length;
        long read;

        CountingStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            if (read >= length) {
                return -1;
            }
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - read);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            read += n;
            return n;
        }
    }
}
