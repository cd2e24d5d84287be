package dev.webtalk.store.postgres;

import dev.webtalk.StoreException;
import dev.webtalk.TooLargeException;
import dev.webtalk.spi.AttachmentStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * An {@link AttachmentStore} that keeps the bytes in PostgreSQL, so every node of a cluster serves every
 * file with no shared directory to set up, and a database backup holds the files with their messages.
 *
 * <p>Each entry is a row of {@code attachments} (random 128-bit key, 22 base64url characters; size; when
 * stored) and its bytes in rows of {@code attachment_chunks} of {@value #CHUNK} bytes. A write streams
 * the upload chunk by chunk into one transaction, reading at most {@code maxBytes + 1} bytes, so the
 * entry becomes visible whole when it commits, and a write that is too long or fails leaves nothing. A
 * read ({@link #open}) fetches one chunk at a time, each with its own short query on the pool, so a slow
 * download neither holds a connection nor loads the file into memory. A write holds one connection
 * while it copies; the Jetty adapter hands it a body already spooled to local disk, so that is quick.
 *
 * <p>Thread-safe. After {@link #close()} every method throws {@link StoreException}.
 */
public final class PostgresAttachmentStore implements AttachmentStore {
    /** Bytes per chunk row: big enough for few rows per file, small enough to stream. */
    static final int CHUNK = 256 * 1024;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final PostgresDatabase db;
    private final boolean ownsDatabase;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SecureRandom random = new SecureRandom();

    PostgresAttachmentStore(PostgresDatabase db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /**
     * Opens the store on a pool of its own, which {@link #close()} closes (see {@link
     * PostgresDatabase#open(PostgresDatabase.Options)}). ({@code open(String)} reads an entry: with just
     * a URL, use {@code open(Options.of(url))}.)
     *
     * @throws StoreException if the database cannot be reached, migrated or written
     */
    public static PostgresAttachmentStore open(PostgresDatabase.Options options) {
        return new PostgresAttachmentStore(PostgresDatabase.open(options), true);
    }

    /** The database the store keeps the bytes in. */
    public PostgresDatabase database() {
        return db;
    }

    @Override
    public StoredFile write(InputStream content, long maxBytes) {
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        ensureOpen();
        String key = newKey();
        return db.transaction(c -> {
            try (PreparedStatement entry = c.prepareStatement(
                    "INSERT INTO attachments (key, size, stored_at) VALUES (?, 0, now())")) {
                entry.setString(1, key);
                entry.executeUpdate();
            }
            long size = 0;
            byte[] buffer = new byte[(int) Math.min(CHUNK, maxBytes + 1)];
            try (PreparedStatement chunk = c.prepareStatement(
                    "INSERT INTO attachment_chunks (key, n, bytes) VALUES (?, ?, ?)")) {
                for (int n = 0; ; n++) {
                    int limit = (int) Math.min(buffer.length, maxBytes + 1 - size);
                    int filled = fill(content, buffer, limit);
                    size += filled;
                    if (size > maxBytes) {
                        throw new TooLargeException("A file may have at most " + maxBytes + " bytes");
                    }
                    if (filled > 0) {
                        chunk.setString(1, key);
                        chunk.setInt(2, n);
                        chunk.setBytes(3, filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled));
                        chunk.executeUpdate();
                    }
                    if (filled < limit) {
                        break; // the end of the content
                    }
                }
            }
            // The time it became complete, so an orphan purge's cutoff never takes an upload in progress.
            try (PreparedStatement done = c.prepareStatement("UPDATE attachments SET size = ?, "
                    + "stored_at = date_trunc('milliseconds', clock_timestamp()) WHERE key = ? RETURNING stored_at")) {
                done.setLong(1, size);
                done.setString(2, key);
                try (ResultSet rs = done.executeQuery()) {
                    rs.next();
                    return new StoredFile(key, size, Sql.instant(rs, 1));
                }
            }
        }, e -> {
            if (e instanceof TooLargeException tooLarge) {
                return tooLarge;
            }
            Throwable cause = e instanceof UncheckedIOException io ? io.getCause() : e;
            return new StoreException("cannot store an attachment in PostgreSQL " + db.describe() + ": "
                    + PostgresDatabase.rootMessage(cause), cause);
        });
    }

    /** Reads into {@code buffer} until {@code limit} bytes or the end of the content; returns how many. */
    private static int fill(InputStream content, byte[] buffer, int limit) {
        int filled = 0;
        try {
            while (filled < limit) {
                int n = content.read(buffer, filled, limit - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return filled;
    }

    private String newKey() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Optional<InputStream> open(String key) {
        ensureOpen();
        if (!isKey(key)) {
            return Optional.empty();
        }
        Long size = db.read("attachment " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT size FROM attachments WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        return size == null ? Optional.empty() : Optional.of(new ChunkStream(key, size));
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        if (!isKey(key)) {
            return false;
        }
        return db.write("attachment " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM attachments WHERE key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<StoredFile> list() {
        ensureOpen();
        return db.read("attachments", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key, size, stored_at FROM attachments");
                 ResultSet rs = ps.executeQuery()) {
                List<StoredFile> files = new ArrayList<>();
                while (rs.next()) {
                    files.add(new StoredFile(rs.getString(1), rs.getLong(2), Sql.instant(rs, 3)));
                }
                return files;
            }
        });
    }

    /** Closes the store; one opened with {@link #open} also closes its pool. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsDatabase) {
            db.close();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StoreException("PostgreSQL attachment store " + db.describe() + " is closed", null);
        }
        db.ensureOpen();
    }

    private static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** An entry's bytes, fetched a chunk at a time as they are read. */
    private final class ChunkStream extends InputStream {
        private final String key;
        private final long size;
        private long delivered;
        private int nextChunk;
        private byte[] chunk = new byte[0];
        private int offset;

        ChunkStream(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (offset == chunk.length && !fetch()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - offset);
            System.arraycopy(chunk, offset, b, off, n);
            offset += n;
            delivered += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - offset;
        }

        /** Loads the next chunk; false at the end of the entry. */
        private boolean fetch() throws IOException {
            if (delivered >= size) {
                return false;
            }
            byte[] next;
            try {
                ensureOpen();
                next = db.read("attachment " + key, c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT bytes FROM attachment_chunks WHERE key = ? AND n = ?")) {
                        ps.setString(1, key);
                        ps.setInt(2, nextChunk);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getBytes(1) : null;
                        }
                    }
                });
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (next == null || next.length == 0) {
                throw new IOException("attachment " + key + " was deleted while it was read (" + delivered + " of "
                        + size + " bytes read)");
            }
            nextChunk++;
            chunk = next;
            offset = 0;
            return true;
        }
    }
}
