package dev.webtalk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.OverloadedException;
import dev.webtalk.StoreUnavailableException;
import dev.webtalk.jetty.AuthRequest;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /api/admin/login {"password":…}} → {@code {"csrfToken":…}} plus the session cookie;
 * {@code POST /api/admin/logout} (with the cookie and the CSRF header) ends the session.
 */
final class AdminLoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient AdminLogin login;

    AdminLoginServlet(AdminLogin login) {
        this.login = login;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("POST")) {
            response.setHeader("Allow", "POST");
            JsonExchange.error(response, ErrorCode.METHOD_NOT_ALLOWED, "Use POST");
            return;
        }
        try {
            if (request.getServletPath().endsWith("/logout")) { // the routed path, not the raw one
                logout(request, response);
            } else {
                login(request, response);
            }
        } catch (StoreUnavailableException e) { // sessions live in the store
            response.setHeader("Retry-After", "1");
            JsonExchange.error(response, ErrorCode.UNAVAILABLE, "The session store is unavailable; retry in a moment");
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String address = String.valueOf(request.getRemoteAddr());
        if (!login.tryAttempt(address)) {
            response.setHeader("Retry-After", Long.toString(AdminLogin.ATTEMPT_WINDOW.toSeconds()));
            JsonExchange.error(response, ErrorCode.RATE_LIMITED, "Too many login attempts; wait a minute");
            return;
        }
        Optional<JsonNode> json = JsonExchange.readBody(request, response);
        if (json.isEmpty()) {
            return;
        }
        String password = json.get().path("password").asText(null);
        Optional<AdminLogin.Issued> issued;
        try {
            issued = login.login(password);
        } catch (OverloadedException e) {
            response.setHeader("Retry-After", "1");
            JsonExchange.error(response, ErrorCode.OVERLOADED, e.getMessage());
            return;
        }
        if (issued.isEmpty()) {
            JsonExchange.error(response, ErrorCode.WRONG_PASSWORD, "Wrong admin password");
            return;
        }
        response.addHeader("Set-Cookie", cookie(issued.get().sessionId(), AdminLogin.SESSION_LIFETIME.toSeconds(),
                request.isSecure()));
        JsonExchange.write(response, 200, JsonExchange.object().put("csrfToken", issued.get().csrfToken()));
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!login.logout(AuthRequest.of(request))) {
            JsonExchange.error(response, ErrorCode.UNAUTHORIZED, "No admin session, or a missing CSRF token");
            return;
        }
        response.addHeader("Set-Cookie", cookie("", 0, request.isSecure()));
        JsonExchange.write(response, 200, JsonExchange.object());
    }

    /** Written by hand: the Servlet API's Cookie has no SameSite. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return AdminLogin.COOKIE + "=" + value + "; Path=/api/admin; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
