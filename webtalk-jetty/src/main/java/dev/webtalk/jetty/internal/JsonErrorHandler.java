package dev.webtalk.jetty.internal;

import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.protocol.ProtocolCodec;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's own error answers (a path Jetty refuses as ambiguous, a malformed request line, headers too
 * large, no servlet for a path) in the adapter's form: {@code {"error":{"code":…,"message":…}}} with the
 * status's stable code, the standard reason (or Jetty's fixed reason for a refused request) and headers
 * that stop browsers from sniffing, running or framing it. Unlike Jetty's page, it neither echoes the
 * request URI nor names the server and its version.
 */
public final class JsonErrorHandler implements Request.Handler {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private final ProtocolCodec codec;

    public JsonErrorHandler(ProtocolCodec codec) {
        this.codec = codec;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = HttpStatus.getMessage(status);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException refusal) {
            status = refusal.getCode();
            response.setStatus(status);
            if (refusal.getReason() != null) {
                message = refusal.getReason();
            }
        }
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = codec.write(codec.errorBody(code(status), message)).getBytes(StandardCharsets.UTF_8);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The stable code for an HTTP status Jetty answered by itself. */
    static ErrorCode code(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413, 414, 431 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.OVERLOADED;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID;
        };
    }
}
