package dev.webtalk.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <data-dir>/webtalk.lock}: one server per data directory, and no
 * destructive maintenance while a server runs. The OS drops the lock if the process dies.
 */
public final class DataDirLock implements AutoCloseable {
    static final String LOCK_FILE = "webtalk.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @throws IllegalStateException when another process (or this one) holds it
     */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(dataDir);
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw busy(dataDir);
        } catch (IllegalStateException e) {
            closeQuietly(channel);
            throw e;
        } catch (java.nio.file.AccessDeniedException | java.nio.file.ReadOnlyFileSystemException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(new IOException("the data directory " + dataDir.toAbsolutePath()
                    + " is read-only (permission denied): WebTalk needs to write there", e));
        } catch (IOException e) {
            closeQuietly(channel);
            if (java.nio.file.Files.isDirectory(dataDir) && !java.nio.file.Files.isWritable(dataDir)) {
                throw new UncheckedIOException(new IOException("the data directory " + dataDir.toAbsolutePath()
                        + " is read-only (permission denied): WebTalk needs to write there", e));
            }
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static IllegalStateException busy(Path dataDir) {
        return new IllegalStateException("another WebTalk server is using " + dataDir.toAbsolutePath()
                + "; stop it first");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
