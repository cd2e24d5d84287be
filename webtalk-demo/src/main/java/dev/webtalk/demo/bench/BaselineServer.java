package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw-transport baseline for {@code --baseline}: the same Jetty 12 ee10 Jakarta WebSocket stack
 * WebTalk runs on, with a broadcast endpoint that has no engine and no store. It speaks just enough
 * of protocol v2 for the bench ({@code create_room}, {@code join}, {@code send}, {@code ping}): a room
 * is a list of sockets and a counter; a send takes the next seq, encodes the push once and queues the
 * same bytes to every socket of the room, as WebTalk's adapter does. What it leaves out — validation,
 * per-room actors, SQLite group commit, presence, limits — is what the ratio measures.
 *
 * <p>Part of the tool, not of the library; it trusts its clients and bounds nothing.
 */
final class BaselineServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final URI url;

    private BaselineServer(Server server, URI url) {
        this.server = server;
        this.url = url;
    }

    /** Starts on a random loopback port. */
    static BaselineServer start() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        Hub hub = new Hub();
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
                container.addEndpoint(ServerEndpointConfig.Builder.create(BroadcastEndpoint.class, "/ws")
                        .configurator(new ServerEndpointConfig.Configurator() {
                            @Override
                            public <T> T getEndpointInstance(Class<T> endpointClass) {
                                return endpointClass.cast(new BroadcastEndpoint(hub));
                            }
                        }).build()));
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();
        return new BaselineServer(server, URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws"));
    }

    URI url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Rooms by id; each a seq counter and its sockets. */
    static final class Hub {
        private final Map<String, Room> rooms = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final AtomicLong users = new AtomicLong();
    }

    static final class Room {
        final String id;
        final String name;
        final List<CoreSession> sockets = new CopyOnWriteArrayList<>();
        long seq;

        Room(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** One socket. Jetty calls it for one frame at a time. */
    public static final class BroadcastEndpoint extends Endpoint {
        private final Hub hub;
        private CoreSession core;
        private String userId;
        private String userName;

        BroadcastEndpoint(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            core = ((JakartaWebSocketSession) session).getCoreSession();
            userId = "u-" + hub.users.incrementAndGet();
            userName = "user " + userId;
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
            ObjectNode welcome = JSON.createObjectNode().put("type", "welcome").put("protocol", 2);
            welcome.putObject("user").put("id", userId).put("name", userName).put("admin", false);
            send(core, welcome);
        }

        private void onText(String text) {
            JsonNode frame;
            try {
                frame = JSON.readTree(text);
            } catch (IOException e) {
                send(core, error(null, "invalid"));
                return;
            }
            String id = frame.path("id").asText(null);
            switch (frame.path("type").asText("")) {
                case "create_room" -> {
                    Room room = new Room("b" + hub.ids.incrementAndGet(), frame.path("name").asText());
                    hub.rooms.put(room.id, room);
                    ObjectNode result = result(id);
                    result.putObject("result").set("room", roomJson(room));
                    send(core, result);
                }
                case "join" -> {
                    Room room = hub.rooms.get(frame.path("room").asText());
                    if (room == null) {
                        send(core, error(id, "room_not_found"));
                        return;
                    }
                    room.sockets.add(core);
                    ObjectNode result = result(id);
                    ObjectNode body = result.putObject("result");
                    body.set("room", roomJson(room));
                    body.put("role", "member");
                    body.putArray("members");
                    body.putArray("history");
                    body.put("hasMore", false);
                    send(core, result);
                }
                case "send" -> send(id, frame);
                case "ping" -> {
                    if (id != null) {
                        ObjectNode result = result(id);
                        result.putObject("result");
                        send(core, result);
                    }
                }
                default -> send(core, error(id, "unknown_type"));
            }
        }

        private void send(String id, JsonNode frame) {
            Room room = hub.rooms.get(frame.path("room").asText());
            if (room == null) {
                send(core, error(id, "room_not_found"));
                return;
            }
            ObjectNode message = JSON.createObjectNode().put("room", room.id);
            ObjectNode push = JSON.createObjectNode().put("type", "message").put("room", room.id);
            // One lock per room keeps seq order and fan-out order the same, like WebTalk's room lane.
            synchronized (room) {
                message.put("seq", ++room.seq);
                push.put("pos", room.seq); // a room of posts only: each seq is its stream position
                message.putObject("author").put("id", userId).put("name", userName);
                message.put("kind", "text").put("text", frame.path("text").asText())
                        .put("clientMsgId", frame.path("clientMsgId").asText(null))
                        .put("createdAt", System.currentTimeMillis()).put("deleted", false);
                push.set("message", message);
                ByteBuffer bytes = ByteBuffer.wrap(bytes(push));
                for (CoreSession socket : room.sockets) {
                    if (socket.isOutputOpen()) {
                        socket.sendFrame(new Frame(OpCode.TEXT, true, bytes.slice()), Callback.NOOP, false);
                    }
                }
            }
            if (id != null) {
                ObjectNode result = result(id);
                result.putObject("result").set("message", message);
                send(core, result);
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            for (Room room : hub.rooms.values()) {
                room.sockets.remove(core);
            }
        }

        private static ObjectNode roomJson(Room room) {
            return JSON.createObjectNode().put("id", room.id).put("name", room.name).put("hasPassword", false);
        }

        private static ObjectNode result(String id) {
            return JSON.createObjectNode().put("type", "result").put("id", id);
        }

        private static ObjectNode error(String id, String code) {
            ObjectNode error = JSON.createObjectNode().put("type", "error");
            if (id != null) {
                error.put("id", id);
            }
            return error.put("code", code).put("message", code);
        }

        private static void send(CoreSession socket, ObjectNode frame) {
            socket.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(bytes(frame))), Callback.NOOP, false);
        }

        private static byte[] bytes(ObjectNode frame) {
            try {
                return JSON.writeValueAsBytes(frame);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
