package dev.webtalk.jetty.internal;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a browser page on another origin may talk to us. A request with no {@code Origin}
 * header is allowed: browsers always send one on WebSocket handshakes and cross-origin calls, so its
 * absence means a non-browser client, which cross-site request forgery cannot drive. Otherwise the
 * origin must be the server's own (scheme, host and port of the request) or one of the configured
 * origins, compared exactly.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** Whether {@code request} may proceed. */
    public boolean permits(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        return allowed.contains(origin) || origin.equalsIgnoreCase(ownOrigin(request));
    }

    private static String ownOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null) {
            return "";
        }
        return request.getScheme().toLowerCase(Locale.ROOT) + "://" + host;
    }
}
