package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.jetty.AuthRequest;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/admin/login {"password":…}} → {@code {"csrfToken":…}} plus the session cookie;
 * {@code POST /api/admin/logout} (with the cookie and the CSRF header) ends the session.
 */
final class AdminLoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient AdminLogin login;

    AdminLoginServlet(AdminLogin login) {
        this.login = login;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("POST")) {
            response.setHeader("Allow", "POST");
            error(response, ErrorCode.METHOD_NOT_ALLOWED, "Use POST");
            return;
        }
        if (request.getRequestURI().endsWith("/logout")) {
            logout(request, response);
        } else {
            login(request, response);
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String address = String.valueOf(request.getRemoteAddr());
        if (!login.tryAttempt(address)) {
            response.setHeader("Retry-After", Long.toString(AdminLogin.ATTEMPT_WINDOW.toSeconds()));
            error(response, ErrorCode.RATE_LIMITED, "Too many login attempts; wait a minute");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            error(response, ErrorCode.TOO_LARGE, "The body is over " + MAX_BODY_BYTES + " bytes");
            return;
        }
        String password;
        try {
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            password = json == null ? null : json.path("password").asText(null);
        } catch (IOException e) {
            error(response, ErrorCode.INVALID, "Malformed JSON body");
            return;
        }
        Optional<AdminLogin.Issued> issued = login.login(password);
        if (issued.isEmpty()) {
            error(response, ErrorCode.WRONG_PASSWORD, "Wrong admin password");
            return;
        }
        response.addHeader("Set-Cookie", cookie(issued.get().sessionId(), AdminLogin.SESSION_LIFETIME.toSeconds(),
                request.isSecure()));
        write(response, 200, JSON.createObjectNode().put("csrfToken", issued.get().csrfToken()));
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!login.logout(AuthRequest.of(request))) {
            error(response, ErrorCode.UNAUTHORIZED, "No admin session, or a missing CSRF token");
            return;
        }
        response.addHeader("Set-Cookie", cookie("", 0, request.isSecure()));
        write(response, 200, JSON.createObjectNode());
    }

    /** Written by hand: the Servlet API's Cookie has no SameSite. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return AdminLogin.COOKIE + "=" + value + "; Path=/api/admin; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
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
