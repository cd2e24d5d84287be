package dev.webtalk.jetty.internal;

import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Locale;

/**
 * Refuses, with {@code 400 invalid} and before any authenticator runs, a request to the adapter's paths
 * whose raw path could be read two ways: dot segments, plain or encoded ({@code /api/admin/../rooms} is
 * routed as {@code /api/rooms}), empty segments, {@code ;} parameters, backslashes (browsers read them as
 * {@code /}) and an encoded {@code /}. An encoded dot inside a name ({@code u%2ex}) is no dot segment and
 * passes. (With its default URI compliance Jetty itself refuses encoded {@code /}, {@code %} and
 * {@code \} and encoded dot segments before this filter; it holds when a host relaxes that.)
 * Browsers never send these; a hand-made request that does would otherwise let a check on
 * one reading of the path (say, "an admin cookie counts under {@code /api/admin/}") pass a request that is
 * served as the other.
 */
public final class AmbiguousPathFilter implements Filter {
    private final HttpJson json;

    private AmbiguousPathFilter(HttpJson json) {
        this.json = json;
    }

    /** The filter for {@code engine}'s adapter, answering in its JSON error form. */
    public static AmbiguousPathFilter create(dev.webtalk.WebTalk engine) {
        return new AmbiguousPathFilter(new HttpJson(engine.codec()));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isAmbiguous(((HttpServletRequest) request).getRequestURI())) {
            json.error((HttpServletResponse) response, ErrorCode.INVALID,
                    "Ambiguous request path: use it without dot or empty segments, ';' parameters or encoded separators");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether a raw (undecoded) request path has a part that decoding or normalising would change the meaning of. */
    static boolean isAmbiguous(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.indexOf(';') >= 0 || lower.indexOf('\\') >= 0 || lower.contains("//")
                || lower.contains("%2f")) {
            return true;
        }
        for (String segment : lower.split("/", -1)) {
            String dots = segment.replace("%2e", "."); // "a%2eb" is a plain name; "%2e%2e" is ".."
            if (dots.equals(".") || dots.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
