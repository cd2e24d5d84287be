package dev.webtalk.jetty.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.Attachment;
import dev.webtalk.FileDownload;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.Message;
import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.TooLargeException;
import dev.webtalk.WebTalk;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import org.eclipse.jetty.http.MultiPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /rooms/{id}/files} (multipart field {@code file}) and {@code GET /rooms/{id}/files/{fileId}}.
 * Uploads are parsed by the container straight to disk (see {@link #multipartConfig}) and streamed from
 * there into the engine's attachment store; downloads are served with the stored type and headers
 * that stop browsers from sniffing, running or framing the content.
 */
final class FileEndpoints {
    /** What a multipart request may carry beyond the file itself: boundaries, part headers. */
    static final long MULTIPART_OVERHEAD = 16 * 1024;
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";
    /** The most bytes of a refused upload read (and dropped) so the client gets to see the 413. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    /** The longest multipart boundary (RFC 2046). */
    static final int MAX_BOUNDARY_CHARS = 70;

    private final WebTalk engine;
    private final HttpJson json;

    FileEndpoints(WebTalk engine, HttpJson json) {
        this.engine = engine;
        this.json = json;
    }

    /**
     * The container's multipart limits: every part goes to disk at once (threshold 0), and neither the
     * file nor the request may exceed the most the engine's file limit may be set to (plus the multipart
     * framing); the limit in force now is checked per upload.
     */
    static MultipartConfigElement multipartConfig(WebTalk engine) {
        long max = engine.fileSizeCeiling();
        // The part may run MULTIPART_OVERHEAD past the limit: such a body is read to its end and then
        // refused by our own size check, so the client always gets a clean 413 instead of a parser
        // failure mid-body (which can reset the connection before the client reads the answer).
        return new MultipartConfigElement(System.getProperty("java.io.tmpdir"), max + MULTIPART_OVERHEAD,
                max + 2 * MULTIPART_OVERHEAD, 0);
    }

    void upload(Principal caller, RoomId room, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new InvalidRequestException("Send the file as multipart/form-data in the field 'file'");
        }
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_CHARS) {
            throw new InvalidRequestException("multipart/form-data needs a boundary of 1 to " + MAX_BOUNDARY_CHARS
                    + " characters in its Content-Type");
        }
        // Refuse before reading a byte of the body when we can.
        engine.checkUpload(caller, room);
        long max = engine.maxFileBytes();
        if (request.getContentLengthLong() > max + 2 * MULTIPART_OVERHEAD) {
            throw tooLarge(request, response, max);
        }
        Part part = filePart(request, response, max);
        try {
            if (part.getSize() > max) {
                throw tooLarge(max);
            }
            Message message;
            try (InputStream in = part.getInputStream()) {
                message = engine.uploadFile(caller, room, part.getSubmittedFileName(), in);
            }
            ObjectNode answer = engine.codec().empty();
            answer.set("message", engine.codec().message(message));
            json.write(response, 201, answer);
        } finally {
            part.delete();
        }
    }

    private static Part filePart(HttpServletRequest request, HttpServletResponse response, long max)
            throws IOException {
        Part part;
        try {
            part = request.getPart("file");
        } catch (IllegalStateException | ServletException e) {
            if (isSizeFailure(e)) {
                throw tooLarge(request, response, max);
            }
            throw malformed(response);
        }
        if (part == null || part.getSubmittedFileName() == null) {
            throw new InvalidRequestException("'file' is required: a file part of the multipart body");
        }
        return part;
    }

    /**
     * Whether a parse failure is the container's size limit ("max file size exceeded", "max length
     * exceeded", a 413) rather than a malformed body (no boundary, a truncated or broken part).
     */
    private static boolean isSizeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() == 413) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if ((message.contains("max") && message.contains("exceeded")) || message.contains("too large")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The refusal of a body the multipart parser could not read. Its end is unknown (it may still be
     * arriving), so Jetty closes the connection after the answer: say so, so the client does not send its
     * next request on a socket about to close.
     */
    private static InvalidRequestException malformed(HttpServletResponse response) {
        response.setHeader("Connection", "close");
        return new InvalidRequestException("Malformed multipart body");
    }

    /**
     * The refusal of an over-limit upload. Many HTTP clients (browsers included) only read the answer
     * once they have sent the whole body, and see a reset connection instead of a 413 when the server
     * closes early; so a body of up to {@link #DRAIN_LIMIT} more bytes is read and thrown away first.
     * Anything longer is cut off with the connection.
     */
    private static TooLargeException tooLarge(HttpServletRequest request, HttpServletResponse response, long max) {
        long remaining = DRAIN_LIMIT;
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) != -1) {
                remaining -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the body is not readable any more; the connection closes below anyway
        }
        // Always close: after a failed multipart parse Jetty may drop the connection by itself, and a
        // client that reused it for its next request would get no answer at all.
        response.setHeader("Connection", "close");
        return tooLarge(max);
    }

    private static TooLargeException tooLarge(long max) {
        return new TooLargeException("A file may have at most " + max + " bytes");
    }

    void download(Principal caller, RoomId room, String fileId, HttpServletResponse response) throws IOException {
        try (FileDownload download = engine.openFile(caller, room, fileId)) {
            Attachment file = download.attachment();
            response.setStatus(200);
            response.setContentType(file.mediaType());
            response.setContentLengthLong(file.size());
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("Content-Disposition", contentDisposition(file));
            response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
            // Access can end (the message may be deleted), so no shared or lasting copies.
            response.setHeader("Cache-Control", "private, no-store");
            OutputStream out = response.getOutputStream();
            download.content().transferTo(out);
        }
    }

    /** {@code inline} for images, {@code attachment} otherwise, with an ASCII fallback and the RFC 5987 name. */
    static String contentDisposition(Attachment file) {
        String disposition = file.isImage() ? "inline" : "attachment";
        return disposition + "; filename=\"" + asciiFallback(file.name()) + "\"; filename*=UTF-8''"
                + rfc5987(file.name());
    }

    private static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return out.toString();
    }

    private static String rfc5987(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
