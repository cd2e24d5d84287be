package dev.webtalk.demo;

import dev.webtalk.jetty.AuthRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/** An {@link AuthRequest} over the demo's own servlets' requests (headers and cookies only). */
final class DemoAuthRequest implements AuthRequest {
    private final HttpServletRequest request;

    DemoAuthRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    return Optional.of(c.getValue());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> method() {
        return Optional.of(request.getMethod());
    }

    @Override
    public Optional<String> path() {
        return Optional.ofNullable(request.getRequestURI());
    }

    @Override
    public SocketAddress remoteAddress() {
        return InetSocketAddress.createUnresolved(request.getRemoteAddr(), request.getRemotePort());
    }
}
