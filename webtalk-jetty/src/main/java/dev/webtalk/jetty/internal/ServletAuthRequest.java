package dev.webtalk.jetty.internal;

import dev.webtalk.Principal;
import dev.webtalk.jetty.AuthRequest;
import dev.webtalk.jetty.Authenticator;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * An {@link AuthRequest} over a servlet request. Reads only headers, the query string, cookies and the
 * routed (normalised) path.
 */
public final class ServletAuthRequest implements AuthRequest {
    private final HttpServletRequest request;

    public ServletAuthRequest(HttpServletRequest request) {
        this.request = request;
    }

    /**
     * Asks the host's authenticator who made {@code request}. {@link Principal#system()} is the server's own
     * identity, never a caller's: an authenticator that returns it is a host fault (answered {@code internal}).
     */
    public static Optional<Principal> authenticate(Authenticator authenticator, HttpServletRequest request) {
        Optional<Principal> principal = authenticator.authenticate(new ServletAuthRequest(request));
        if (principal.isPresent() && principal.get().isSystem()) {
            throw new IllegalStateException("The authenticator returned Principal.system(), which no caller may be");
        }
        return principal;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public Optional<String> queryParameter(String name) {
        // getParameter would read a form body; the query string is all we want here.
        String query = request.getQueryString();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name)) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> method() {
        return Optional.ofNullable(request.getMethod());
    }

    /** The path the request was routed by: decoded, dot segments resolved, {@code ;} parameters dropped. */
    @Override
    public Optional<String> path() {
        String servletPath = request.getServletPath();
        if (servletPath == null) {
            return Optional.empty();
        }
        String pathInfo = request.getPathInfo();
        return Optional.of(request.getContextPath() + servletPath + (pathInfo == null ? "" : pathInfo));
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddressOf(request);
    }

    static SocketAddress remoteAddressOf(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        return address == null ? null : InetSocketAddress.createUnresolved(address, request.getRemotePort());
    }
}
