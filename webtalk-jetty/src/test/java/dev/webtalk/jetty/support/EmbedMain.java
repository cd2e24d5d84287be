package dev.webtalk.jetty.support;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.jetty.WebTalkJetty;
import dev.webtalk.store.sqlite.SqliteChatStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The README's embed as a program, for running it in a child JVM on another class path (JettyVersionsIT).
 * Prints {@code READY <port> jetty=<version> jackson=<version>} once it serves, or {@code FAILED <error>};
 * stops when its standard input closes.
 */
public final class EmbedMain {
    private EmbedMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dbFile = Path.of(args[0]);
        try (WebTalk chat = WebTalk.builder().store(SqliteChatStore.open(dbFile)).passwordIterations(1_000).build()) {
            Server server = new Server(0);
            ServletContextHandler context = new ServletContextHandler();
            WebTalkJetty.install(context, chat, JettyOptions.builder(
                    request -> request.bearerToken().flatMap(EmbedMain::lookUpUser)).build());
            server.setHandler(context);
            server.start();
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            System.out.println("READY " + port + " jetty=" + Jetty.VERSION + " jackson="
                    + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
            while (System.in.read() >= 0) {
                // runs until the test closes our standard input
            }
            server.stop();
        } catch (Throwable failure) {
            System.out.println("FAILED " + failure);
            System.exit(3);
        }
    }

    private static Optional<Principal> lookUpUser(String token) {
        return token.equals("t-ana") ? Optional.of(Principal.user("u-1", "Ana")) : Optional.empty();
    }
}
