package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.fs.FileSystemAttachmentStore;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.webtalk.jetty.support.WsClient.frame;
import static dev.webtalk.testing.SampleFiles.GIF_HEAD;
import static dev.webtalk.testing.SampleFiles.JPEG_HEAD;
import static dev.webtalk.testing.SampleFiles.PDF_HEAD;
import static dev.webtalk.testing.SampleFiles.PNG_HEAD;
import static dev.webtalk.testing.SampleFiles.SVG;
import static dev.webtalk.testing.SampleFiles.WEBP_HEAD;
import static dev.webtalk.testing.SampleFiles.padded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File uploads and downloads over real HTTP multipart, on SQLite and a real attachment folder. */
class FilesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = 256 * 1024;
    private static final String ANA = "u-ana:Ana";
    private static final String BO = "u-bo:Bo";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;
    private Path attachments;
    private String room;

    @BeforeEach
    void start() throws Exception {
        attachments = dir.resolve("attachments");
        server = TestServer.start(SqliteChatStore.open(dir.resolve("chat.db")),
                engine -> engine.attachments(FileSystemAttachmentStore.open(attachments)).maxFileBytes(MAX),
                options -> options);
        JsonNode created = json(send(HttpRequest.newBuilder(server.http("/api/rooms"))
                .header("Authorization", "Bearer " + ANA).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Photos\"}"))));
        room = created.path("room").path("id").asText();
        try (WsClient bo = WsClient.connect(server, BO)) {
            bo.ok(frame("join").put("room", room));
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    // ---- helpers ----

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String code(HttpResponse<byte[]> response) throws IOException {
        return json(response).path("error").path("code").asText();
    }

    private static final class Multipart {
        final String boundary = "----webtalk" + UUID.randomUUID();

        byte[] head(String field, String fileName, String contentType) {
            return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[] tail() {
            return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[] body(String field, String fileName, String contentType, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head(field, fileName, contentType));
            out.writeBytes(content);
            out.writeBytes(tail());
            return out.toByteArray();
        }
    }

    private HttpResponse<byte[]> upload(String token, String roomId, String fileName, String contentType, byte[] content)
            throws Exception {
        Multipart mp = new Multipart();
        return send(HttpRequest.newBuilder(server.http("/api/rooms/" + roomId + "/files"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + mp.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mp.body("file", fileName, contentType, content))));
    }

    private HttpResponse<byte[]> download(String token, String fileId) throws Exception {
        return send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files/" + fileId))
                .header("Authorization", "Bearer " + token).GET());
    }

    private List<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(attachments)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    // ---- tests ----

    @Test
    void eachAllowedTypeUploadsAndDownloadsByteForByte() throws Exception {
        Object[][] cases = {
                {"photo.jpg", JPEG_HEAD, "image/jpeg"}, {"pic.png", PNG_HEAD, "image/png"},
                {"anim.gif", GIF_HEAD, "image/gif"}, {"new.webp", WEBP_HEAD, "image/webp"},
                {"paper.pdf", PDF_HEAD, "application/pdf"}};
        for (Object[] c : cases) {
            byte[] content = padded((byte[]) c[1], 100_000);

            HttpResponse<byte[]> created = upload(ANA, room, (String) c[0], "application/octet-stream", content);

            assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
            JsonNode message = json(created).path("message");
            assertEquals("file", message.path("kind").asText());
            assertEquals(c[0], message.path("file").path("name").asText());
            assertEquals(c[2], message.path("file").path("type").asText());
            assertEquals(100_000, message.path("file").path("size").asLong());

            HttpResponse<byte[]> got = download(BO, message.path("file").path("id").asText());
            assertEquals(200, got.statusCode());
            assertEquals(c[2], got.headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(content, got.body());
        }
        assertEquals(cases.length, storedFiles().size());
    }

    @Test
    void theUploadIsPushedLiveAndKeptInHistory() throws Exception {
        try (WsClient bo = WsClient.connect(server, BO)) {
            bo.ok(frame("join").put("room", room));

            String id = json(upload(ANA, room, "cat.png", "image/png", padded(PNG_HEAD, 2000)))
                    .path("message").path("file").path("id").asText();

            JsonNode push = bo.await("message");
            assertEquals(id, push.path("message").path("file").path("id").asText());
            assertEquals("cat.png", push.path("message").path("file").path("name").asText());
        }
        JsonNode history = json(send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/messages"))
                .header("Authorization", "Bearer " + BO).GET()));
        assertEquals("image/png", history.path("messages").get(0).path("file").path("type").asText());
    }

    @Test
    void downloadsCarryTheStoredTypeAndSafeHeaders() throws Exception {
        String image = json(upload(ANA, room, "cat.png", "text/html", padded(PNG_HEAD, 500)))
                .path("message").path("file").path("id").asText();
        String pdf = json(upload(ANA, room, "Résumé 2024.pdf", "image/png", padded(PDF_HEAD, 500)))
                .path("message").path("file").path("id").asText();

        HttpResponse<byte[]> png = download(BO, image);
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("nosniff", png.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("default-src 'none'; sandbox", png.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("inline; filename=\"cat.png\"; filename*=UTF-8''cat.png",
                png.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("500", png.headers().firstValue("Content-Length").orElseThrow());

        HttpResponse<byte[]> doc = download(BO, pdf);
        assertEquals("application/pdf", doc.headers().firstValue("Content-Type").orElseThrow());
        String disposition = doc.headers().firstValue("Content-Disposition").orElseThrow();
        assertTrue(disposition.startsWith("attachment; filename=\"R_sum_ 2024.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf"), disposition);
        String encoded = disposition.substring(disposition.indexOf("''") + 2);
        assertEquals("Résumé 2024.pdf", URLDecoder.decode(encoded, StandardCharsets.UTF_8));
        assertTrue(doc.headers().firstValue("Cache-Control").orElseThrow().contains("no-store"));
    }

    @Test
    void svgAndSpoofedFilesAre415AndLeaveNothing() throws Exception {
        HttpResponse<byte[]> svg = upload(ANA, room, "logo.svg", "image/svg+xml", SVG);
        HttpResponse<byte[]> spoofed = upload(ANA, room, "cat.png", "image/png", SVG);
        HttpResponse<byte[]> html = upload(ANA, room, "doc.pdf", "application/pdf",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));

        for (HttpResponse<byte[]> r : List.of(svg, spoofed, html)) {
            assertEquals(415, r.statusCode());
            assertEquals("unsupported_type", code(r));
        }
        assertEquals(List.of(), storedFiles());
    }

    @Test
    void anOverLimitUploadIs413WithNoFileLeft() throws Exception {
        HttpResponse<byte[]> big = upload(ANA, room, "big.png", "image/png", padded(PNG_HEAD, MAX + 1));

        assertEquals(413, big.statusCode());
        assertEquals("too_large", code(big));
        assertEquals(List.of(), storedFiles());
        assertEquals(201, upload(ANA, room, "exact.png", "image/png", padded(PNG_HEAD, MAX)).statusCode());
    }

    @Test
    void aStreamedOverLimitUploadWithoutContentLengthIs413WithNoFileLeft() throws Exception {
        Multipart mp = new Multipart();
        Supplier<InputStream> body = () -> new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(mp.head("file", "huge.png", "image/png")),
                new ByteArrayInputStream(padded(PNG_HEAD, 4 * MAX)),
                new ByteArrayInputStream(mp.tail()))));

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + ANA)
                .header("Content-Type", "multipart/form-data; boundary=" + mp.boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)));

        assertEquals(413, response.statusCode());
        assertEquals("too_large", code(response));
        assertEquals(List.of(), storedFiles());
    }

    @Test
    void nonMembersAre403ForUploadAndDownload() throws Exception {
        String id = json(upload(ANA, room, "cat.png", "image/png", PNG_HEAD)).path("message").path("file").path("id").asText();

        HttpResponse<byte[]> up = upload("u-eve:Eve", room, "x.png", "image/png", PNG_HEAD);
        HttpResponse<byte[]> down = download("u-eve:Eve", id);

        assertEquals(403, up.statusCode());
        assertEquals("not_member", code(up));
        assertEquals(403, down.statusCode());
        assertEquals("not_member", code(down));
        assertEquals(200, download("admin-root:Root", id).statusCode());
        assertEquals(401, download(null + "", id).statusCode());
        assertEquals(1, storedFiles().size());
    }

    @Test
    void aDeletedMessagesFileIs404AndItsBytesAreGone() throws Exception {
        JsonNode message = json(upload(ANA, room, "cat.png", "image/png", PNG_HEAD)).path("message");
        String id = message.path("file").path("id").asText();
        try (WsClient ana = WsClient.connect(server, ANA)) {
            ana.ok(frame("join").put("room", room));
            ana.ok(frame("delete_message").put("room", room).put("seq", message.path("seq").asLong()));
        }

        HttpResponse<byte[]> gone = download(BO, id);

        assertEquals(404, gone.statusCode());
        assertEquals("file_not_found", code(gone));
        assertEquals(List.of(), storedFiles());
        assertEquals(404, download(BO, "AAAAAAAAAAAAAAAAAAAAAA").statusCode());
    }

    @Test
    void aMultipartBodyWithoutBoundaryIs400InvalidNot413() throws Exception {
        Multipart mp = new Multipart();
        HttpResponse<byte[]> noBoundary = send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + ANA).header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mp.body("file", "a.png", "image/png", PNG_HEAD))));

        assertEquals(400, noBoundary.statusCode());
        assertEquals("invalid", code(noBoundary));
        assertTrue(json(noBoundary).path("error").path("message").asText().contains("boundary"));
        assertEquals(List.of(), storedFiles());
    }

    @Test
    void aTruncatedMultipartBodyIs400AndSaysTheConnectionCloses() throws Exception {
        Multipart mp = new Multipart();
        byte[] whole = mp.body("file", "a.png", "image/png", PNG_HEAD);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - mp.tail().length); // no closing boundary
        String head = "POST /api/rooms/" + room + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + ANA + "\r\nContent-Type: multipart/form-data; boundary=" + mp.boundary
                + "\r\nContent-Length: " + cut.length + "\r\n\r\n";

        String response;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(cut);
            // readAllBytes returns only once the server has closed the socket.
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"),
                "a client must not reuse a socket the server closes: " + response);
        assertTrue(response.contains("\"code\":\"invalid\""), response);
        assertEquals(List.of(), storedFiles());
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        HttpResponse<byte[]> notMultipart = send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + ANA).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PNG_HEAD)));
        Multipart mp = new Multipart();
        HttpResponse<byte[]> wrongField = send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + ANA)
                .header("Content-Type", "multipart/form-data; boundary=" + mp.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mp.body("upload", "a.png", "image/png", PNG_HEAD))));
        HttpResponse<byte[]> noRoom = upload(ANA, "nowhere1", "a.png", "image/png", PNG_HEAD);
        HttpResponse<byte[]> getList = send(HttpRequest.newBuilder(server.http("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + ANA).GET());

        assertEquals(400, notMultipart.statusCode());
        assertEquals("invalid", code(notMultipart));
        assertEquals(400, wrongField.statusCode());
        assertEquals("invalid", code(wrongField));
        assertEquals(404, noRoom.statusCode());
        assertEquals("room_not_found", code(noRoom));
        assertEquals(405, getList.statusCode());
        assertEquals(List.of(), storedFiles());
    }
}
