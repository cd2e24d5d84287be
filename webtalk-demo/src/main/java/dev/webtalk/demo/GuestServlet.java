package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/guest {"name":"Ana"}} → {@code {"token":…,"user":{"id":…,"name":…}}}: lets a visitor
 * in under a display name of their choice. Anyone may call it; the pass only proves "the same visitor
 * as before", which is all a guest chat needs.
 */
final class GuestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient GuestTokens tokens;

    GuestServlet(GuestTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            error(response, ErrorCode.TOO_LARGE, "The body is over " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Optional<String> name;
        try {
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            name = json == null ? Optional.empty() : GuestTokens.cleanName(json.path("name").asText(null));
        } catch (IOException e) {
            error(response, ErrorCode.INVALID, "Malformed JSON body");
            return;
        }
        if (name.isEmpty()) {
            error(response, ErrorCode.INVALID, "'name' must be 1 to 40 characters, without control characters");
            return;
        }
        GuestTokens.Issued issued = tokens.issue(name.get());
        ObjectNode answer = JSON.createObjectNode().put("token", issued.token());
        answer.putObject("user").put("id", issued.user().id().value()).put("name", issued.user().displayName());
        write(response, 200, answer);
    }

    private static void error(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code.wire()).put("message", message);
        write(response, code.httpStatus(), body);
    }

    private static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
