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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw-transport baseline for {@code --baseline}: the same Jetty 12 ee10 Jakarta WebSocket stack
 * WebTalk runs on, with a broadcast endpoint that has no engine and no store. It speaks just enough
 * of protocol v2 for the bench ({@code create_room}, {@code join}, {@code send}, {@code ping}): a room
 * is a list of sockets and a counter; a send takes the next seq, encodes the push once and queues the
 * same bytes to every socket of the room, as WebTalk's adapter does. What it leaves out — validation,
 * per-room actors, SQLite group commit, presence, limits — is what the ratio measures.
 *
 * <p>With a {@code burst} above 1 it is a <em>firehose</em> for measuring the bench client itself: each
 * {@code send} becomes {@code burst} consecutive messages (the next {@code burst} seqs, same text), each
 * encoded once, queued to every socket in Jetty's batch mode and flushed with one explicit flush per
 * socket, so that several frames leave in one gathered write. The sender's {@code result} (carrying the
 * last of those messages) is sent only once every socket's flush has completed, so a closed-loop client
 * cannot make the server's queues grow without bound: the server's cost per delivery is small and the
 * client's own ceiling shows.
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

    /** Starts on a random loopback port, one frame per message and write (the {@code --baseline} measuring stick). */
    static BaselineServer start() throws Exception {
        return start(0, 1);
    }

    /**
     * Starts on {@code port} of the loopback address (0 = a random one).
     *
     * @param burst messages pushed for each {@code send}: 1 = one frame per write, as WebTalk's adapter
     *              writes today; more = a firehose writing them in batches with one flush per socket
     */
    static BaselineServer start(int port, int burst) throws Exception {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        Hub hub = new Hub(burst);
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
        private final int burst;
        private final Map<String, Room> rooms = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final AtomicLong users = new AtomicLong();

        Hub(int burst) {
            this.burst = burst;
        }
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
            if (hub.burst > 1) {
                sendBurst(id, frame, room);
                return;
            }
            ObjectNode message;
            // One lock per room keeps seq order and fan-out order the same, like WebTalk's room lane.
            synchronized (room) {
                message = message(room, frame);
                ByteBuffer bytes = ByteBuffer.wrap(bytes(push(room, message)));
                for (CoreSession socket : room.sockets) {
                    if (socket.isOutputOpen()) {
                        socket.sendFrame(new Frame(OpCode.TEXT, true, bytes.slice()), Callback.NOOP, false);
                    }
                }
            }
            reply(id, message);
        }

        /** Firehose: {@code burst} messages, batched per socket with one flush, acknowledged once all flushed. */
        private void sendBurst(String id, JsonNode frame, Room room) {
            ByteBuffer[] pushes = new ByteBuffer[hub.burst];
            ObjectNode last = null;
            synchronized (room) {
                for (int k = 0; k < pushes.length; k++) {
                    last = message(room, frame);
                    pushes[k] = ByteBuffer.wrap(bytes(push(room, last)));
                }
                ObjectNode message = last;
                // One count per socket, one for this loop: the reply goes when all flushes are done.
                AtomicInteger unflushed = new AtomicInteger(room.sockets.size() + 1);
                Runnable done = () -> {
                    if (unflushed.decrementAndGet() == 0) {
                        reply(id, message);
                    }
                };
                Callback flushed = Callback.from(done, failure -> done.run());
                for (CoreSession socket : room.sockets) {
                    if (!socket.isOutputOpen()) {
                        flushed.succeeded();
                        continue;
                    }
                    for (ByteBuffer push : pushes) {
                        socket.sendFrame(new Frame(OpCode.TEXT, true, push.slice()), Callback.NOOP, true);
                    }
                    socket.flush(flushed); // a failed flush is a closed socket: it counts as done
                }
                flushed.succeeded();
            }
        }

        /** The room's next message; the caller holds the room's lock. */
        private ObjectNode message(Room room, JsonNode frame) {
            ObjectNode message = JSON.createObjectNode().put("room", room.id);
            message.put("seq", ++room.seq);
            message.putObject("author").put("id", userId).put("name", userName);
            message.put("kind", "text").put("text", frame.path("text").asText())
                    .put("clientMsgId", frame.path("clientMsgId").asText(null))
                    .put("createdAt", System.currentTimeMillis()).put("deleted", false);
            return message;
        }

        private static ObjectNode push(Room room, ObjectNode message) {
            // a room of posts only: each seq is its stream position
            ObjectNode push = JSON.createObjectNode().put("type", "message").put("room", room.id)
                    .put("pos", message.path("seq").asLong());
            push.set("message", message);
            return push;
        }

        private void reply(String id, ObjectNode message) {
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
