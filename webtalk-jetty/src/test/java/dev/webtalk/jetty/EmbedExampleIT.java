package dev.webtalk.jetty;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.support.WsClient;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static dev.webtalk.jetty.support.WsClient.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The "embed it in your app" example from README.md, kept compiling and working. */
class EmbedExampleIT {
    @TempDir
    Path dir;

    @Test
    void readmeExampleServesChat() throws Exception {
        Path dbFile = dir.resolve("chat.db");
        int port = 0; // README: 8080

        // --- README example starts here ---
        try (WebTalk chat = WebTalk.builder().store(SqliteChatStore.open(dbFile)).build()) {
            Server server = new Server(port);
            ServletContextHandler context = new ServletContextHandler();
            WebTalkJetty.install(context, chat, JettyOptions.builder(
                    request -> request.bearerToken().flatMap(EmbedExampleIT::lookUpUser)).build());
            server.setHandler(context);
            server.start();
            // --- README example ends here ---

            int actualPort = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + actualPort + "/ws?token=t-ana"), null)) {
                String room = client.ok(frame("create_room").put("name", "Embedded")).path("room").path("id").asText();
                client.ok(frame("join").put("room", room));
                assertEquals("Ana", client.ok(frame("send").put("room", room).put("text", "hi"))
                        .path("message").path("author").path("name").asText());
            } finally {
                server.stop();
            }
        }
    }

    /** Stands in for the host application's own user lookup. */
    private static Optional<Principal> lookUpUser(String token) {
        return token.equals("t-ana") ? Optional.of(Principal.user("u-1", "Ana")) : Optional.empty();
    }
}
