package dev.webtalk.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.jetty.support.RawHttp;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.store.memory.InMemoryChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An authenticator that throws (its user database is down, say) is a server fault, answered the same way
 * on a WebSocket handshake as on a REST call: a JSON {@code 500 internal} with a reference, no HTML page.
 */
class FailingAuthenticatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        start(request -> {
            throw new IllegalStateException("user database unreachable at db.internal:5432");
        });
    }

    private void start(Authenticator authenticator) throws Exception {
        if (server != null) {
            server.stop();
        }
        WebTalk chat = WebTalk.builder().store(new InMemoryChatStore()).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        WebTalkJetty.install(context, chat, JettyOptions.builder(authenticator).build());
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(); // closes the engine too
    }

    @Test
    void aWebSocketHandshakeGetsTheSameJsonInternalErrorAsRest() throws Exception {
        String handshake = RawHttp.handshake(port, "/ws?token=u-ana:Ana", null);
        String rest = RawHttp.request(port, "GET /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer u-ana:Ana\r\nConnection: close\r\n\r\n");

        for (String answer : new String[] {handshake, rest}) {
            assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
            assertTrue(header(answer, "Content-Type").startsWith("application/json"), answer);
            assertFalse(answer.toLowerCase(Locale.ROOT).contains("<html"), answer);
            assertFalse(answer.contains("db.internal"), "the fault's own text stays in the log");
            JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
            assertEquals("internal", error.path("code").asText(), answer);
            assertTrue(error.path("ref").asText().matches("[0-9a-f]{8}"), answer);
        }
    }

    @Test
    void anAuthenticatorThatReturnsTheSystemPrincipalIsAHostFaultNotAPassForTheServer() throws Exception {
        start(request -> Optional.of(Principal.system()));

        for (String answer : new String[] {RawHttp.handshake(port, "/ws?token=x", null),
                RawHttp.request(port, "GET /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")}) {
            assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
            JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
            assertEquals("internal", error.path("code").asText(), answer);
        }
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
