package dev.webtalk.store.fs;

import dev.webtalk.TooLargeException;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import dev.webtalk.store.AttachmentStoreContract;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file-system store passes the contract, one file per entry, with nothing else left in its folder. */
class FileSystemAttachmentStoreTest extends AttachmentStoreContract {
    @TempDir
    Path dir;

    @Override
    protected AttachmentStore openStore() {
        return open();
    }

    @Override
    protected AttachmentStore reopenStore() {
        return open();
    }

    private FileSystemAttachmentStore open() {
        return FileSystemAttachmentStore.open(dir.resolve("attachments"));
    }

    private FileSystemAttachmentStore fs() {
        return (FileSystemAttachmentStore) store();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anEntryIsOneFileNamedByItsKey() throws Exception {
        byte[] content = padded(PNG_HEAD, 200_000);

        StoredFile stored = store().write(new ByteArrayInputStream(content), content.length);

        assertEquals(List.of(stored.key()), names(fs().directory()));
        assertEquals(content.length, Files.size(fs().directory().resolve(stored.key())));
    }

    @Test
    void anUploadOverTheLimitLeavesNoTemporaryFile() throws Exception {
        store().write(new ByteArrayInputStream(new byte[1000]), 1000);
        assertThrows(TooLargeException.class, () -> store().write(new ByteArrayInputStream(new byte[1001]), 1000));

        assertEquals(1, names(fs().directory()).size(), "only the first file, no temporary left: " + names(fs().directory()));
    }

    @Test
    void anUploadStreamsToATemporaryFileInTheSameFolder() throws Exception {
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
            Future<StoredFile> writing = pool.submit(() -> store().write(slow, 1_000_000));
            assertTrue(halfWay.await(10, TimeUnit.SECONDS));

            assertEquals(1, names(fs().directory()).size(), "the upload streams to a temporary file");
            assertTrue(names(fs().directory()).get(0).startsWith("."), names(fs().directory()).toString());

            goOn.countDown();
            StoredFile stored = writing.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(stored.key()), names(fs().directory()));
        } finally {
            goOn.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void keysNeverReachOutsideTheFolder() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "outside");

        for (String key : new String[] {"../secret.txt", "..%2Fsecret.txt"}) {
            assertEquals(Optional.empty(), store().open(key), key);
            assertFalse(store().delete(key), key);
        }
        assertTrue(Files.exists(dir.resolve("secret.txt")));
    }

    @Test
    void openingDeletesOldTemporaryFilesLeftByACrashAndKeepsTheRest() throws Exception {
        FileSystemAttachmentStore first = fs();
        StoredFile kept = first.write(new ByteArrayInputStream(PNG_HEAD), 100);
        Path crashed = Files.write(first.directory().resolve(".upload-123.tmp"), new byte[10]);
        Files.setLastModifiedTime(crashed, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(FileSystemAttachmentStore.STALE_TEMP_AGE).minusSeconds(1)));
        Path inProgress = Files.write(first.directory().resolve(".upload-456.tmp"), new byte[10]);

        FileSystemAttachmentStore reopened = open();

        assertEquals(Set.of(kept.key(), ".upload-456.tmp"), Set.copyOf(names(reopened.directory())),
                "a recent temporary file may be another process's upload in progress");
        assertTrue(Files.exists(inProgress));
        assertEquals(Set.of(kept.key()), reopened.list().stream().map(StoredFile::key).collect(Collectors.toSet()));
    }
}
