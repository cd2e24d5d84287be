package dev.webtalk.jetty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.Principal;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSummary;
import dev.webtalk.TooLargeException;
import dev.webtalk.WebTalk;
import dev.webtalk.WebTalkException;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.protocol.ProtocolCodec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API (see docs/PROTOCOL.md): the same engine operations as the WebSocket, for pages that
 * have not connected yet and for other HTTP clients. Every call is authenticated and origin-checked;
 * every failure is a JSON error body with a stable code.
 */
public final class RestApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern ROOM_ACTION = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/([a-z-]+)");
    private static final Pattern ROOM_FILE = Pattern.compile("/rooms/([A-Za-z0-9]{1,64})/files/([A-Za-z0-9_-]{1,64})");

    private final transient WebTalk engine;
    private final transient JettyOptions options;
    private final transient OriginPolicy origins;
    private final transient ProtocolCodec codec;
    private final transient HttpJson json;
    private final transient FileEndpoints files;
    private final transient AdminEndpoints admin;
    private final transient WsTickets tickets;

    public RestApiServlet(WebTalk engine, JettyOptions options, OriginPolicy origins, WsTickets tickets) {
        this.engine = engine;
        this.options = options;
        this.origins = origins;
        this.codec = engine.codec();
        this.json = new HttpJson(codec);
        this.files = new FileEndpoints(engine, json);
        this.admin = new AdminEndpoints(engine, json);
        this.tickets = tickets;
    }

    /** The multipart limits the servlet's holder must be registered with, for file uploads. */
    public static jakarta.servlet.MultipartConfigElement multipartConfig(WebTalk engine) {
        return FileEndpoints.multipartConfig(engine);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!origins.permits(request)) {
                throw new Refusal(ErrorCode.FORBIDDEN, "Origin not allowed");
            }
            Principal caller = ServletAuthRequest.authenticate(options.authenticator(), request)
                    .orElseThrow(() -> new Refusal(ErrorCode.UNAUTHORIZED, "Missing or invalid credentials"));
            route(caller, request, response);
        } catch (Refusal e) {
            json.error(response, e.code, e.getMessage());
        } catch (WebTalkException e) {
            json.error(response, e);
        } catch (RuntimeException e) {
            json.internal(response, e, "REST " + request.getMethod() + " " + request.getRequestURI());
        }
    }

    private void route(Principal caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            if (!options.adminApi()) {
                throw new Refusal(ErrorCode.NOT_FOUND, "No such endpoint");
            }
            if (!caller.isAdmin()) {
                throw new Refusal(ErrorCode.FORBIDDEN, "Only admins may use the admin API");
            }
            admin.handle(caller, path.substring("/admin".length()), request, response, this);
            return;
        }
        if (path.equals("/ws-ticket")) {
            requireMethod(method, "POST", response);
            WsTickets.Ticket ticket = tickets.issue(caller);
            json.write(response, 200, codec.empty().put("ticket", ticket.value()).put("expiresIn", ticket.expiresInSeconds()));
            return;
        }
        if (path.equals("/rooms")) {
            switch (method) {
                case "GET" -> json.write(response, 200, codec.rooms(engine.rooms()));
                case "POST" -> createRoom(caller, request, response);
                default -> throw methodNotAllowed(response, "GET, POST");
            }
            return;
        }
        Matcher file = ROOM_FILE.matcher(path);
        if (file.matches()) {
            requireMethod(method, "GET", response);
            files.download(caller, RoomId.of(file.group(1)), file.group(2), response);
            return;
        }
        Matcher m = ROOM_ACTION.matcher(path);
        if (m.matches()) {
            RoomId room = RoomId.of(m.group(1));
            switch (m.group(2)) {
                case "password-check" -> {
                    requireMethod(method, "POST", response);
                    ObjectNode body = readBody(request);
                    engine.checkPassword(caller, room, optionalText(body, "password"));
                    json.write(response, 200, codec.empty().put("ok", true));
                }
                case "messages" -> {
                    requireMethod(method, "GET", response);
                    Long before = longParam(request, "before");
                    Long limit = longParam(request, "limit");
                    Integer boundedLimit = limit == null ? null : (int) Math.max(-1, Math.min(limit, 10_000));
                    dev.webtalk.HistoryPage page = engine.history(caller, room, before, boundedLimit);
                    json.write(response, 200, codec.history(page, engine.messageContexts(caller, room, page.messages())));
                }
                case "files" -> {
                    requireMethod(method, "POST", response);
                    files.upload(caller, room, request, response);
                }
                default -> throw new Refusal(ErrorCode.NOT_FOUND, "No such endpoint");
            }
            return;
        }
        throw new Refusal(ErrorCode.NOT_FOUND, "No such endpoint");
    }

    private void createRoom(Principal caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ObjectNode body = readBody(request);
        String name = optionalText(body, "name");
        if (name == null) {
            throw new InvalidRequestException("'name' is required");
        }
        Room room = engine.createRoom(caller, name, optionalText(body, "password"));
        RoomSummary summary = engine.room(room.id()).orElse(new RoomSummary(room, 0, 0));
        ObjectNode answer = codec.empty();
        answer.set("room", codec.room(summary));
        json.write(response, 201, answer);
    }

    ObjectNode readBody(HttpServletRequest request) throws IOException {
        return readBody(request, true);
    }

    /** The JSON body; when {@code required} is false, a missing (empty) body reads as {@code {}}. */
    ObjectNode readBody(HttpServletRequest request, boolean required) throws IOException {
        int max = options.maxRequestBodyBytes();
        if (request.getContentLengthLong() > max) {
            throw new TooLargeException("The request body is over " + max + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new TooLargeException("The request body is over " + max + " bytes");
        }
        if (bytes.length == 0) {
            if (!required) {
                return codec.empty();
            }
            throw new InvalidRequestException("A JSON body is required");
        }
        return codec.readObject(new String(bytes, StandardCharsets.UTF_8));
    }

    static String optionalText(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException("'" + field + "' must be a string");
        }
        return node.textValue();
    }

    static Long longParam(HttpServletRequest request, String name) {
        String raw = new ServletAuthRequest(request).queryParameter(name).orElse(null);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'" + name + "' must be an integer");
        }
    }

    private static void requireMethod(String method, String expected, HttpServletResponse response) {
        if (!method.equals(expected)) {
            throw methodNotAllowed(response, expected);
        }
    }

    static Refusal methodNotAllowed(HttpServletResponse response, String allow) {
        response.setHeader("Allow", allow);
        return new Refusal(ErrorCode.METHOD_NOT_ALLOWED, "Use " + allow);
    }

    /** A refusal decided by the servlet itself rather than the engine. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ErrorCode code;

        Refusal(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
