package dev.webtalk.jetty.readme;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.Authenticator;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.jetty.WebTalkJetty;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

import java.nio.file.Path;
import java.util.Map;

public final class ChatServer {
    /** Stands in for your own users: a real application checks its session or a signed token here. */
    private static final Map<String, Principal> USERS_BY_TOKEN = Map.of(
            "token-ana", Principal.user("u-1", "Ana"),
            "token-bo", Principal.user("u-2", "Bo"));

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Path dbFile = Path.of(args.length > 1 ? args[1] : "chat.db");

        // WebTalk never decides who a user is: it asks this at every WebSocket handshake and REST call.
        Authenticator users = request -> request.bearerToken().map(USERS_BY_TOKEN::get);

        try (WebTalk chat = WebTalk.builder().store(SqliteChatStore.open(dbFile)).build()) {
            Server server = new Server(port);
            server.setStopAtShutdown(true); // on SIGTERM: clients get 1001 going away, then the engine closes
            ServletContextHandler context = new ServletContextHandler();
            WebTalkJetty.install(context, chat, JettyOptions.builder(users).build());
            server.setHandler(context);
            server.start();
            server.join();
        }
    }
}
