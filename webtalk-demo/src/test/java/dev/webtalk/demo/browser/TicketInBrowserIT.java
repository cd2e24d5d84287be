package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest token stays out of WebSocket URLs: the page connects with single-use tickets, so the
 * console lines Chromium prints for every failed reconnect name a dead ticket, never the token.
 */
class TicketInBrowserIT {
    /** Records the URL of every WebSocket the page opens. */
    private static final String SPY = "(() => { const Real = window.WebSocket; window.__wsUrls = [];"
            + " window.WebSocket = class extends Real { constructor(url, p) { super(url, p); window.__wsUrls.push(String(url)); } }; })();";

    @TempDir
    Path dataDir;
    private DemoServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static void awaitState(Browser browser, String state) {
        browser.until(d -> state.equals(d.findElement(By.cssSelector("#connection-state")).getAttribute("data-state")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> socketUrls(Browser browser) {
        return new ArrayList<>((List<String>) browser.script("return window.__wsUrls || []"));
    }

    @Test
    void aFailedReconnectShowsATicketNeverTheGuestToken() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
        int port = server.uri().getPort();
        try (Browser ana = Browser.signedIn(server.uri(), "Ana")) {
            ana.createRoom("Quiet corner", null);
            String token = (String) ana.script("return localStorage.getItem('webtalk.token')");
            assertTrue(token != null && token.length() > 20, "signed in with a guest token");
            ana.beforeEveryPage(SPY);
            ana.open(server.uri());
            awaitState(ana, "connected");
            ana.awaitText("#room-title", "Quiet corner");
            ana.say("still here");
            ana.awaitText(".message[data-seq] .message-text", "still here");

            // The server goes away: every attempt to reach it fails, and Chromium says so in the console.
            server.close();
            server = null;
            awaitState(ana, "reconnecting");
            ana.script("window.__wsUrls.length = 0");
            server = DemoServer.start(new DemoConfig(port, dataDir));
            awaitState(ana, "connected");
            ana.awaitText(".message[data-seq] .message-text", "still here");

            List<String> urls = socketUrls(ana);
            assertFalse(urls.isEmpty(), "the page reconnected through a WebSocket");
            for (String url : urls) {
                assertTrue(url.contains("?ticket="), url);
                assertFalse(url.contains(token) || url.contains("token="), "no token in " + url);
            }
            List<String> console = ana.consoleMessages();
            assertTrue(console.stream().anyMatch(line -> line.contains("ws-ticket") || line.contains("/ws")),
                    "the failed attempts were logged (else this test would prove nothing): " + console);
            for (String line : console) {
                assertFalse(line.contains(token), "the console shows the token: " + line);
            }
        }
    }
}
