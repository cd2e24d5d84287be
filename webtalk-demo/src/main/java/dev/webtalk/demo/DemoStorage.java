package dev.webtalk.demo;

import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.store.postgres.PostgresDatabase;
import dev.webtalk.store.sqlite.SqliteChatStore;

import java.nio.file.Path;

/**
 * Where the demo keeps rooms, messages and shared files: SQLite and a folder in the data directory,
 * which belong to one node (the directory is locked while it runs), or a PostgreSQL database, which any
 * number of nodes may share (nothing to lock; the data directory then holds only the guest-token
 * secret and the blocked-words list, and nodes on one machine may share it).
 *
 * @param chat rooms and messages
 * @param files the bytes of shared files
 * @param owner what the stores came from, closed after the engine (the data-directory lock, or the
 *              PostgreSQL pool)
 */
record DemoStorage(ChatStore chat, AttachmentStore files, AutoCloseable owner) {
    static DemoStorage open(DemoConfig config, Path dataDir) {
        if (config.store() != null) {
            PostgresDatabase db = PostgresDatabase.open(config.store());
            return new DemoStorage(db.chatStore(), db.attachmentStore(), db);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            return new DemoStorage(SqliteChatStore.open(dataDir.resolve(DemoServer.DATABASE_FILE),
                    SqliteChatStore.Options.defaults().withSynchronous(config.synchronous())),
                    FileSystemAttachmentStore.open(dataDir.resolve(DemoServer.ATTACHMENTS_DIR)), lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Releases what the stores came from; the engine has closed the stores themselves. */
    void release() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("releasing the demo's storage failed", e);
        }
    }
}
