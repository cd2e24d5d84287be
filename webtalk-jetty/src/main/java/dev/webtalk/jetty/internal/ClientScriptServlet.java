package dev.webtalk.jetty.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves the JavaScript client shipped in this jar ({@code META-INF/resources/webtalk/client.js}), the way
 * Socket.IO serves its client: pages load it from the chat server they talk to, so the client always
 * matches the server's protocol. Public and static, so any origin may load it (an ES module is fetched
 * with CORS); revalidated by its ETag on every use.
 */
public final class ClientScriptServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Where the script sits on the class path. */
    static final String RESOURCE = "/META-INF/resources/webtalk/client.js";

    private final byte[] script;
    private final String etag;

    public ClientScriptServlet() {
        this.script = source();
        this.etag = "\"" + sha256(script).substring(0, 32) + "\"";
    }

    private static byte[] source() {
        try (InputStream in = ClientScriptServlet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the JS client is missing from the class path: " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/javascript;charset=utf-8");
        response.setContentLength(script.length);
        response.getOutputStream().write(script);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
