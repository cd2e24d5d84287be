package dev.webtalk.spi;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the bytes of shared files live: the attachment storage SPI. Metadata (name, type, which message)
 * stays in the {@link ChatStore}; this store only knows keys and bytes.
 *
 * <p>Threading: every method may be called from any thread, concurrently. {@link #write} and
 * {@link #open} block on I/O and are called on the transport's request thread, never on a room's
 * thread. {@link #delete} may run on a room's thread after a message is deleted, so it must be quick
 * (one file-system delete). Failures are reported as {@link dev.webtalk.StoreException}.
 *
 * <p>The default implementation is {@link dev.webtalk.store.fs.FileSystemAttachmentStore}.
 */
public interface AttachmentStore extends AutoCloseable {

    /**
     * Copies {@code content} to a new entry under a newly generated key, reading at most
     * {@code maxBytes + 1} bytes. The entry becomes visible (to {@link #open} and {@link #list}) only
     * complete; on any failure nothing is left behind.
     *
     * @throws dev.webtalk.TooLargeException if the content is longer than {@code maxBytes}
     * @throws dev.webtalk.StoreException if reading the content or writing fails
     */
    StoredFile write(InputStream content, long maxBytes);

    /** The bytes stored under {@code key}, or empty when there is no such entry (or the key is malformed). */
    Optional<InputStream> open(String key);

    /** Removes an entry; returns whether it existed. A malformed key is simply not found. */
    boolean delete(String key);

    /** Every complete entry, in no particular order (for finding orphans). */
    List<StoredFile> list();

    /** Releases resources; the stored bytes stay. Idempotent. */
    @Override
    default void close() {
    }

    /**
     * One stored entry.
     *
     * @param key the generated key
     * @param size its length in bytes
     * @param storedAt when it was written
     */
    record StoredFile(String key, long size, Instant storedAt) {
        public StoredFile {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(storedAt, "storedAt");
        }
    }
}
