package dev.webtalk;

import java.util.Objects;

/**
 * The file a {@link MessageKind#FILE} message carries: what the user sees (name, type, size) and the
 * key of its bytes in the {@link dev.webtalk.spi.AttachmentStore}.
 *
 * @param id the bytes' key in the attachment store; random, so it also serves as the file's public id
 * @param name the file name the uploader gave, cleaned of paths and control characters
 * @param mediaType the type detected from the file's content (never from its name), e.g. {@code image/png}
 * @param size the size in bytes
 */
public record Attachment(String id, String name, String mediaType, long size) {
    public Attachment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }

    /** Whether browsers may show it inline as an image. */
    public boolean isImage() {
        return mediaType.startsWith("image/");
    }
}
