package dev.webtalk.jetty;

import dev.webtalk.jetty.internal.ServletAuthRequest;
import jakarta.servlet.http.HttpServletRequest;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * The parts of an incoming HTTP request an {@link Authenticator} may look at. A narrow view rather than
 * the servlet request, so authenticators are easy to unit test and cannot consume the request body.
 */
public interface AuthRequest {

    /**
     * The view of a servlet request, for hosts that authenticate their own servlets (say, a login
     * endpoint) the same way the adapter does.
     */
    static AuthRequest of(HttpServletRequest request) {
        return new ServletAuthRequest(request);
    }


    /** The first value of a request header, if present. Names are case-insensitive. */
    Optional<String> header(String name);

    /** The first value of a query-string parameter, if present. */
    Optional<String> queryParameter(String name);

    /** The value of a cookie, if present. */
    Optional<String> cookie(String name);

    /**
     * The bearer token of an {@code Authorization: Bearer …} header, else the {@code token} query
     * parameter. The query form is deprecated: a credential in a URL ends up in logs and the browser
     * console. Browsers, which cannot set headers on a WebSocket handshake, should connect with a
     * ticket from {@code POST <api>/ws-ticket} instead (docs/PROTOCOL.md, "Connecting"); a handshake
     * with a ticket never reaches the authenticator.
     */
    default Optional<String> bearerToken() {
        Optional<String> header = header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
        return header.isPresent() ? header : queryParameter("token").filter(t -> !t.isEmpty());
    }

    /**
     * The HTTP method, e.g. {@code GET} (a WebSocket handshake is a {@code GET}); empty when the
     * implementation does not know it. Authenticators that accept cookies must demand proof against
     * cross-site requests (e.g. a CSRF header) for anything but {@code GET} and {@code HEAD}.
     */
    default Optional<String> method() {
        return Optional.empty();
    }

    /**
     * The request path from the server root, without the query, e.g. {@code /api/admin/stats}, as the server
     * routed it: decoded, with dot segments resolved and {@code ;} parameters dropped, so a check on it holds
     * for what is served ({@code /api/admin/../rooms} is {@code /api/rooms}). The adapter answers
     * {@code 400 invalid} to raw paths with dot or empty segments, parameters or encoded separators before
     * any authenticator runs. Empty when unknown.
     */
    default Optional<String> path() {
        return Optional.empty();
    }

    /** The peer's address; may be {@code null} when unknown. */
    SocketAddress remoteAddress();
}
