/** A file-system {@link dev.webtalk.spi.AttachmentStore}: one file per shared file, under generated names. */
package dev.webtalk.store.fs;
