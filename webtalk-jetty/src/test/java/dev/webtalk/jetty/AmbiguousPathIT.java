package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.jetty.support.TestServer;
import dev.webtalk.store.memory.InMemoryChatStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An authenticator that trusts a cookie only under {@code /api/admin/} (as the demo's admin login does)
 * must not be fooled by a path that is checked one way and served another: over real HTTP, dot segments
 * and other ambiguous raw paths are refused before it runs, and {@link AuthRequest#path()} is the routed path.
 */
class AmbiguousPathIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> seenPaths = new CopyOnWriteArrayList<>();
    private WebTalk chat;
    private Server server;
    private int port;

    /** Admin for the {@code admin=yes} cookie, but only on admin paths; test tokens elsewhere. */
    private Optional<Principal> authenticate(AuthRequest request) {
        seenPaths.add(request.path().orElse("?"));
        boolean adminPath = request.path().map(p -> p.startsWith("/api/admin/")).orElse(false);
        if (adminPath && request.cookie("admin").filter("yes"::equals).isPresent()) {
            return Optional.of(Principal.admin("admin-1", "Root"));
        }
        return TestServer.authenticate(request);
    }

    @BeforeEach
    void start() throws Exception {
        chat = WebTalk.builder().store(new InMemoryChatStore()).passwordIterations(1_000).build();
        chat.createRoom(Principal.user("u-ana", "Ana"), "General", null);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        WebTalkJetty.install(context, chat, JettyOptions.builder(this::authenticate).adminApi(true).build());
        // A host servlet of its own that asks the adapter's view of the request for the path.
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().print(AuthRequest.of(request).path().orElse("?"));
            }
        }), "/host/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            server.stop();
        } finally {
            chat.close();
        }
    }

    private String get(String rawPath) throws IOException {
        return RawHttp.request(port, "GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: admin=yes\r\n"
                + "Connection: close\r\n\r\n");
    }

    @Test
    void theAdminCookieIsHonouredOnAdminPathsOnly() throws Exception {
        assertTrue(get("/api/admin/rooms").startsWith("HTTP/1.1 200 "));
        assertTrue(get("/api/rooms").startsWith("HTTP/1.1 401 "), "no admin outside /api/admin/");
        assertEquals(List.of("/api/admin/rooms", "/api/rooms"), seenPaths);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/admin/../rooms", "/api/admin/./../rooms", "/api/admin/rooms/..", "/api/admin/..",
            "/api/admin;x=1/../rooms", "/api/rooms;jsessionid=1", "/ws/../api/rooms", "/api/admin/./stats"})
    void anAmbiguousPathIsRefusedBeforeAnyAuthenticatorSeesIt(String rawPath) throws Exception {
        String response = get(rawPath);

        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        JsonNode error = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).path("error");
        assertEquals("invalid", error.path("code").asText(), response);
        assertEquals(List.of(), seenPaths, "no authenticator ran");
        assertTrue(!response.contains("\"rooms\""), "nothing was served");
    }

    @Test
    void anEncodedDotInANameIsNoDotSegment() throws Exception {
        String room = chat.rooms().get(0).room().id().value();
        // The admin API's target user "u.x", its dot percent-encoded in the path: it reaches the endpoint.
        String response = RawHttp.request(port, "POST /api/admin/rooms/" + room + "/members/u%2ex/kick HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nCookie: admin=yes\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertTrue(response.contains("\"code\":\"not_member\""), response);
        assertTrue(response.contains("u.x is not in room"), response);
    }

    @Test
    void authRequestPathIsTheRoutedPath() throws Exception {
        String response = get("/host/a/./b/../c;p=1");
        assertTrue(response.endsWith("/host/a/c"), response);
    }
}
