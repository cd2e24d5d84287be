package dev.webtalk.store.fs;

import dev.webtalk.StoreException;
import dev.webtalk.TooLargeException;
import dev.webtalk.spi.AttachmentStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An {@link AttachmentStore} in one directory, which must not be served by any web server: the bytes
 * are only handed out through the engine, which checks membership and sets safe headers.
 *
 * <p>Each entry is one file named by a random 128-bit key (22 base64url characters), so names the
 * users chose never reach the file system. A write streams into a temporary file in the same directory
 * (names starting with {@code .}), counts the bytes as they arrive, syncs, and then renames it into place
 * atomically: readers see a whole file or none, and a write over the size cap or one that fails leaves
 * nothing behind. Temporary files left by a crash are deleted when the store opens.
 *
 * <p>Thread-safe.
 */
public final class FileSystemAttachmentStore implements AttachmentStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final String TEMP_PREFIX = ".upload-";
    private static final int BUFFER = 64 * 1024;
    /** A temporary file untouched this long belongs to a crashed write. */
    static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    private FileSystemAttachmentStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating it with its parents if needed) the store in {@code dir} and deletes temporary
     * files a crashed run left behind (those untouched for an hour).
     *
     * @throws StoreException if the directory cannot be created or read
     */
    public static FileSystemAttachmentStore open(Path dir) {
        Path absolute = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        try {
            Files.createDirectories(absolute);
            // Only old ones: another process (a maintenance command next to a running server) may be
            // writing a fresh one right now.
            FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(absolute, TEMP_PREFIX + "*")) {
                for (Path p : temps) {
                    if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot open attachment directory " + absolute + ": " + e.getMessage(), e);
        }
        return new FileSystemAttachmentStore(absolute);
    }

    /** The directory the files live in. */
    public Path directory() {
        return dir;
    }

    @Override
    public StoredFile write(InputStream content, long maxBytes) {
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
            long size = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = content.read(buffer)) != -1) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException("A file may have at most " + maxBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                channel.force(true);
            }
            String key = newKey();
            Path target = dir.resolve(key);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            return new StoredFile(key, size, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw new StoreException("cannot store an attachment in " + dir + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // deleted at the next open
                }
            }
        }
    }

    private String newKey() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Optional<InputStream> open(String key) {
        if (!isKey(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(dir.resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read attachment " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String key) {
        if (!isKey(key)) {
            return false;
        }
        try {
            return Files.deleteIfExists(dir.resolve(key));
        } catch (IOException e) {
            throw new StoreException("cannot delete attachment " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredFile> list() {
        List<StoredFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> isKey(p.getFileName().toString()))) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                    if (attrs.isRegularFile()) {
                        files.add(new StoredFile(p.getFileName().toString(), attrs.size(),
                                attrs.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while listing
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list attachments in " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }
}
