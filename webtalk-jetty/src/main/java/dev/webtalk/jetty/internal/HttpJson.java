package dev.webtalk.jetty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.protocol.ProtocolCodec;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes JSON bodies and the standard error body on servlet responses. */
final class HttpJson {
    private final ProtocolCodec codec;

    HttpJson(ProtocolCodec codec) {
        this.codec = codec;
    }

    ProtocolCodec codec() {
        return codec;
    }

    void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = codec.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The error of a failed engine call, with its extra fields (e.g. {@code until}, {@code retryAfterMs});
     * a {@code rate_limited} answer also gets a {@code Retry-After} header in whole seconds.
     */
    void error(HttpServletResponse response, dev.webtalk.WebTalkException e) throws IOException {
        if (e.code() == ErrorCode.INTERNAL) {
            internal(response, e, "REST call");
            return;
        }
        Object retryAfterMs = e.details().get("retryAfterMs");
        if (retryAfterMs instanceof Number ms) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, (ms.longValue() + 999) / 1000)));
        }
        write(response, e.code().httpStatus(), codec.errorBody(e.code(), e.getMessage(), e.details()));
    }

    /** A server fault: {@code 500} with a neutral message and a reference; the detail goes to the log. */
    void internal(HttpServletResponse response, Throwable fault, String context) throws IOException {
        dev.webtalk.protocol.InternalErrors.Report report = dev.webtalk.protocol.InternalErrors.report(fault, context);
        write(response, ErrorCode.INTERNAL.httpStatus(), codec.errorBody(ErrorCode.INTERNAL, report.message(), report.details()));
    }

    /** {@code {"error":{"code":…,"message":…}}} with the code's HTTP status. */
    void error(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        if (code == ErrorCode.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        write(response, code.httpStatus(), codec.errorBody(code, message));
    }
}
