package dev.webtalk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A shared file opened for reading: its metadata and a stream of its bytes. The caller must close it.
 *
 * @param attachment what the file is (the served type comes from here, never from the request)
 * @param content the bytes
 */
public record FileDownload(Attachment attachment, InputStream content) implements AutoCloseable {
    public FileDownload {
        Objects.requireNonNull(attachment, "attachment");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
