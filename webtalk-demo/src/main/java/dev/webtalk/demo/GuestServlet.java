package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /api/guest {"name":"Ana"}} → {@code {"token":…,"user":{"id":…,"name":…}}}: lets a visitor
 * in under a display name of their choice. Anyone may call it; the pass only proves "the same visitor
 * as before", which is all a guest chat needs.
 */
final class GuestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient GuestTokens tokens;

    GuestServlet(GuestTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<JsonNode> json = JsonExchange.readBody(request, response);
        if (json.isEmpty()) {
            return;
        }
        Optional<String> name = GuestTokens.cleanName(json.get().path("name").asText(null));
        if (name.isEmpty()) {
            JsonExchange.error(response, ErrorCode.INVALID,
                    "'name' must be 1 to 40 characters, without control characters");
            return;
        }
        GuestTokens.Issued issued = tokens.issue(name.get());
        ObjectNode answer = JsonExchange.object().put("token", issued.token());
        answer.putObject("user").put("id", issued.user().id().value()).put("name", issued.user().displayName());
        JsonExchange.write(response, 200, answer);
    }
}
