package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Small JSON bodies in and out for the demo's own servlets (guest sign-in, admin login), with the same
 * error body and codes as the library's REST API.
 */
final class JsonExchange {
    /** The largest request body these endpoints read. */
    static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonExchange() {
    }

    /** A new empty JSON object. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Reads the request body as JSON; on a body too large or malformed, answers the error itself and
     * returns empty.
     */
    static Optional<JsonNode> readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            error(response, ErrorCode.TOO_LARGE, "The body is over " + MAX_BODY_BYTES + " bytes");
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            return Optional.of(json == null ? JSON.missingNode() : json);
        } catch (IOException e) {
            error(response, ErrorCode.INVALID, "Malformed JSON body");
            return Optional.empty();
        }
    }

    /** {@code {"error":{"code":…,"message":…}}} with the code's HTTP status. */
    static void error(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        ObjectNode body = object();
        body.putObject("error").put("code", code.wire()).put("message", message);
        write(response, code.httpStatus(), body);
    }

    static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
