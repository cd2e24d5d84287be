package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server restart in the middle of a conversation: the page shows it is reconnecting, a message
 * typed while the server is down is sent once it is back, and nobody sees a duplicate or a gap.
 */
class ReconnectInBrowserIT {
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

    /** The seqs of the stored messages on the page, in page order. */
    private static List<Long> seqs(Browser browser) {
        return browser.all(".message[data-seq]").stream()
                .map(e -> Long.parseLong(e.getAttribute("data-seq"))).toList();
    }

    private static long count(Browser browser, String text) {
        return browser.all(".message .message-text").stream().map(WebElement::getText).filter(text::equals).count();
    }

    @Test
    void aMessageTypedWhileTheServerIsDownArrivesOnceAfterItComesBack() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
        int port = server.uri().getPort();
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            ana.type("#create-room-name", "Resilient");
            ana.click("#create-room-submit");
            ana.awaitText("#room-title", "Resilient");
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id]");
            bo.awaitText("#room-title", "Resilient");
            ana.say("before the restart");
            bo.awaitText(".message .message-text", "before the restart");

            server.close();
            server = null;
            awaitState(ana, "reconnecting");
            awaitState(bo, "reconnecting");
            ana.say("typed while offline");
            ana.find(".message.pending");

            server = DemoServer.start(new DemoConfig(port, dataDir));
            awaitState(ana, "connected");
            awaitState(bo, "connected");
            bo.awaitText(".message[data-seq] .message-text", "typed while offline");
            ana.awaitText(".message[data-seq] .message-text", "typed while offline");
            bo.say("welcome back");
            ana.awaitText(".message .message-text", "welcome back");
            ana.screenshot("reconnected-ana");

            for (Browser browser : List.of(ana, bo)) {
                assertEquals(1, count(browser, "typed while offline"), "no duplicate");
                assertEquals(List.of(1L, 2L, 3L), seqs(browser), "no gap, in order");
                assertEquals(0, browser.all(".message.pending").size(), "nothing left pending");
            }
        }
    }
}
