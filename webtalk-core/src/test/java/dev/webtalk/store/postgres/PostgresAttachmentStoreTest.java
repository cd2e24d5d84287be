package dev.webtalk.store.postgres;

import dev.webtalk.StoreException;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.AttachmentStore.StoredFile;
import dev.webtalk.store.AttachmentStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PostgreSQL store passes the attachment contract, keeping the bytes in chunk rows read as needed. */
class PostgresAttachmentStoreTest extends AttachmentStoreContract {
    private TestSchemas schemas;
    private String schema;

    @Override
    protected AttachmentStore openStore() {
        schemas = new TestSchemas();
        schema = schemas.newSchema();
        return PostgresAttachmentStore.open(schemas.options(schema));
    }

    @Override
    protected AttachmentStore reopenStore() {
        return PostgresAttachmentStore.open(schemas.options(schema));
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (store() != null) {
            store().close();
        }
        if (schemas != null) {
            schemas.close();
        }
    }

    @Test
    void theBytesLieInChunkRowsOfAFixedSize() throws Exception {
        int size = 2 * PostgresAttachmentStore.CHUNK + 123;
        StoredFile stored = store().write(new ByteArrayInputStream(padded(PNG_HEAD, size)), size);

        try (Connection c = schemas.connect();
             PreparedStatement ps = c.prepareStatement("SELECT n, length(bytes) FROM " + schema
                     + ".attachment_chunks WHERE key = ? ORDER BY n")) {
            ps.setString(1, stored.key());
            try (ResultSet rs = ps.executeQuery()) {
                for (int n = 0; n < 3; n++) {
                    assertTrue(rs.next(), "chunk " + n);
                    assertEquals(n, rs.getInt(1));
                    assertEquals(n < 2 ? PostgresAttachmentStore.CHUNK : 123, rs.getInt(2));
                }
                assertTrue(!rs.next(), "a fourth chunk");
            }
        }
    }

    @Test
    void aStreamFetchesChunksAsItGoesAndSaysSoWhenTheEntryIsDeletedMeanwhile() throws Exception {
        int size = 3 * PostgresAttachmentStore.CHUNK;
        StoredFile stored = store().write(new ByteArrayInputStream(padded(PNG_HEAD, size)), size);

        try (InputStream in = store().open(stored.key()).orElseThrow()) {
            assertEquals(PostgresAttachmentStore.CHUNK, in.readNBytes(PostgresAttachmentStore.CHUNK).length);
            store().delete(stored.key());

            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("deleted while it was read"), e.getMessage());
        }
    }

    @Test
    void everyMethodFailsClearlyAfterClose() {
        StoredFile stored = store().write(new ByteArrayInputStream(PNG_HEAD), 100);
        store().close();

        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> store().write(new ByteArrayInputStream(PNG_HEAD), 100), () -> store().open(stored.key()),
                () -> store().delete(stored.key()), () -> store().list())) {
            StoreException e = assertThrows(StoreException.class, call);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        store().close(); // idempotent
    }
}
