package dev.webtalk.store;

import dev.webtalk.StoreException;
import dev.webtalk.TooLargeException;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link AttachmentStore} must have: entries land whole under generated keys, or not
 * at all. A store's test passes it by extending this class and saying how to open the store; a durable
 * store also says how to reopen its data after a close.
 *
 * <p>Every test starts from a new, empty store and closes it afterwards.
 */
public abstract class AttachmentStoreContract {
    private AttachmentStore store;

    /** A new, empty, open store. Called before each test. */
    protected abstract AttachmentStore openStore();

    /** Opens a store on the data the last store, now closed, left behind; the default skips the test. */
    protected AttachmentStore reopenStore() {
        Assumptions.abort(getClass().getSimpleName() + " keeps nothing across a close");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    final void openFreshStore() {
        store = openStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** The store under test. */
    protected final AttachmentStore store() {
        return store;
    }

    @Test
    void aWrittenFileReadsBackUnderAGeneratedKey() throws Exception {
        byte[] content = padded(PNG_HEAD, 700_000); // a few hundred KiB: more than one piece in a chunked store
        Instant before = Instant.now().minusSeconds(60);

        StoredFile stored = store.write(new ByteArrayInputStream(content), content.length);

        assertTrue(stored.key().matches("[A-Za-z0-9_-]{22}"), stored.key());
        assertEquals(content.length, stored.size());
        assertTrue(stored.storedAt().isAfter(before) && stored.storedAt().isBefore(Instant.now().plusSeconds(60)),
                "stored at " + stored.storedAt());
        assertArrayEquals(content, readAll(stored.key()));
        assertEquals(List.of(stored), store.list());
        assertNotEquals(stored.key(), store.write(new ByteArrayInputStream(content), content.length).key());
    }

    @Test
    void anEmptyFileIsAnEntryToo() throws Exception {
        StoredFile stored = store.write(new ByteArrayInputStream(new byte[0]), 100);

        assertEquals(0, stored.size());
        assertArrayEquals(new byte[0], readAll(stored.key()));
        assertEquals(List.of(stored.key()), keys());
    }

    @Test
    void singleBytesAndBulkReadsGiveTheSameBytes() throws Exception {
        byte[] content = padded(PNG_HEAD, 300_000);
        StoredFile stored = store.write(new ByteArrayInputStream(content), content.length);

        try (InputStream in = store.open(stored.key()).orElseThrow()) {
            byte[] read = new byte[content.length];
            for (int i = 0; i < 1000; i++) {
                int b = in.read();
                assertTrue(b >= 0, "ended at " + i);
                read[i] = (byte) b;
            }
            int n = 1000;
            while (n < read.length) {
                int got = in.read(read, n, Math.min(77_777, read.length - n));
                assertTrue(got > 0, "ended at " + n);
                n += got;
            }
            assertEquals(-1, in.read());
            assertArrayEquals(content, read);
        }
    }

    @Test
    void exactlyTheLimitIsAcceptedAndOneByteMoreLeavesNothingBehind() {
        StoredFile first = store.write(new ByteArrayInputStream(new byte[1000]), 1000);
        assertThrows(TooLargeException.class, () -> store.write(new ByteArrayInputStream(new byte[1001]), 1000));

        assertEquals(List.of(first.key()), keys());
    }

    @Test
    void anOverLimitStreamIsNotReadToItsEnd() {
        CountingStream endless = new CountingStream(Long.MAX_VALUE);

        assertThrows(TooLargeException.class, () -> store.write(endless, 1_000_000));

        assertTrue(endless.read < 1_200_000, "read " + endless.read + " bytes of an endless upload");
        assertEquals(List.of(), store.list());
    }

    @Test
    void aFailingUploadLeavesNothingBehind() {
        InputStream broken = new CountingStream(1_000_000) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 600_000) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, Math.min(len, 100_000));
            }
        };

        StoreException e = assertThrows(StoreException.class, () -> store.write(broken, 2_000_000));

        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(List.of(), store.list());
    }

    @Test
    void aReaderNeverSeesAPartFileWhileItIsWritten() throws Exception {
        CountDownLatch halfWay = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        InputStream slow = new CountingStream(600_000) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= 300_000 && halfWay.getCount() > 0) {
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

            goOn.countDown();
            StoredFile stored = writing.get(10, TimeUnit.SECONDS);
            assertEquals(600_000, stored.size());
            assertEquals(List.of(stored), store.list());
            assertEquals(600_000, readAll(stored.key()).length);
        } finally {
            goOn.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void malformedAndUnknownKeysAreNotFound() {
        store.write(new ByteArrayInputStream(PNG_HEAD), 100);

        for (String key : new String[] {"../secret.txt", "..%2Fsecret.txt", "", "AAAAAAAAAAAAAAAAAAAAAA",
                ".upload-1.tmp", "'; DROP TABLE x; --", "AAAAAAAAAAAAAAAAAAAAAAA"}) {
            assertEquals(Optional.empty(), store.open(key), key);
            assertFalse(store.delete(key), key);
        }
        assertEquals(Optional.empty(), store.open((String) null));
        assertFalse(store.delete(null));
        assertEquals(1, store.list().size());
    }

    @Test
    void deleteRemovesTheBytesOnce() {
        StoredFile stored = store.write(new ByteArrayInputStream(PNG_HEAD), 100);
        StoredFile other = store.write(new ByteArrayInputStream(PNG_HEAD), 100);

        assertTrue(store.delete(stored.key()));
        assertFalse(store.delete(stored.key()));
        assertEquals(Optional.empty(), store.open(stored.key()));
        assertEquals(List.of(other.key()), keys());
    }

    @Test
    void entriesSurviveAReopen() throws Exception {
        byte[] content = padded(PNG_HEAD, 5000);
        StoredFile stored = store.write(new ByteArrayInputStream(content), content.length);

        store.close();
        store = reopenStore();

        assertEquals(List.of(stored), store.list());
        assertArrayEquals(content, readAll(stored.key()));
    }

    @Test
    void concurrentWritesEachGetTheirOwnEntry() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<StoredFile>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = padded(new byte[] {(byte) i}, 50_000 + i);
                writes.add(pool.submit(() -> store.write(new ByteArrayInputStream(content), 1_000_000)));
            }
            for (int i = 0; i < writers; i++) {
                StoredFile f = writes.get(i).get(30, TimeUnit.SECONDS);
                assertArrayEquals(padded(new byte[] {(byte) i}, 50_000 + i), readAll(f.key()));
            }
            assertEquals(writers, keys().size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The keys listed, sorted: list() promises no order. */
    private List<String> keys() {
        return store.list().stream().map(StoredFile::key).sorted().toList();
    }

    protected final byte[] readAll(String key) throws IOException {
        try (InputStream in = store.open(key).orElseThrow(() -> new AssertionError("no entry " + key))) {
            return in.readAllBytes();
        }
    }

    protected static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream of {@code length} zero bytes that counts what was read. */
    protected static class CountingStream extends InputStream {
        private final long length;
        protected long read;

        protected CountingStream(long length) {
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
