package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.memory.InMemoryChatStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where {@link WebTalkJetty#install} mounts the engine, and that the admin API is there only when asked for. */
class InstallOptionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private WebTalk chat;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (chat != null) {
            chat.close();
        }
    }

    /** The application's own API, which owns {@code /api/*} and {@code /ws}. */
    static final class AppApi extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("app:" + request.getPathInfo());
        }
    }

    private int start(UnaryOperator<JettyOptions.Builder> options) throws Exception {
        return start(options, false);
    }

    private int start(UnaryOperator<JettyOptions.Builder> options, boolean appOwnsApiAndWs) throws Exception {
        chat = WebTalk.builder().store(new InMemoryChatStore()).passwordIterations(1_000).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        if (appOwnsApiAndWs) {
            context.addServlet(new ServletHolder("app-api", new AppApi()), "/api/*");
            context.addServlet(new ServletHolder("app-ws", new AppApi()), "/ws");
        }
        WebTalkJetty.install(context, chat, options.apply(JettyOptions.builder(TestServer.authenticator())).build());
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anApplicationThatOwnsApiAndWsMountsWebTalkUnderItsOwnPrefix() throws Exception {
        int port = start(options -> options.apiPath("/chat/api").webSocketPath("/chat/ws"), true);

        assertEquals("app:/hello", get(port, "/api/hello", "u-ana:Ana").body(), "the application keeps /api/*");
        try (WsClient ana = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/chat/ws?token=u-ana:Ana"), null)) {
            String room = ana.ok(frame("create_room").put("name", "Side by side")).path("room").path("id").asText();
            HttpResponse<String> rooms = get(port, "/chat/api/rooms", "u-ana:Ana");
            assertEquals(200, rooms.statusCode(), rooms.body());
            assertEquals(room, JSON.readTree(rooms.body()).path("rooms").path(0).path("id").asText(), rooms.body());
        }
    }

    @Test
    void theAdminApiIsAbsentUnlessEnabledEvenForAnAdmin() throws Exception {
        int port = start(UnaryOperator.identity());

        for (String path : new String[] {"/api/admin/stats", "/api/admin/rooms", "/api/admin"}) {
            HttpResponse<String> answer = get(port, path, "admin-1:Root");
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertEquals("not_found", error.path("code").asText(), answer.body());
        }
        assertEquals(200, get(port, "/api/rooms", "admin-1:Root").statusCode(), "the rest of the API is there");
    }

    @Test
    void theAdminApiServesAdminsWhenEnabled() throws Exception {
        int port = start(options -> options.adminApi(true));

        assertEquals(200, get(port, "/api/admin/stats", "admin-1:Root").statusCode());
        assertEquals(403, get(port, "/api/admin/stats", "u-ana:Ana").statusCode(), "and only admins");
    }
}
