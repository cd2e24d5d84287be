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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The seconds the banner counts down to, or -1 while it says no number. */
    private static int bannerSeconds(Browser browser) {
        Object text = browser.script("const b = document.getElementById('connection-banner');"
                + " return b.hidden ? '' : document.getElementById('connection-banner-text').textContent");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("in (\\d+) s").matcher(String.valueOf(text));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Waits (up to 30 s of attempts) until the next attempt is at least {@code seconds} away. */
    private static int awaitCountdownOfAtLeast(Browser browser, int seconds) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            int left = bannerSeconds(browser);
            if (left >= seconds) {
                return left;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the banner never counted down from " + seconds + " s or more");
    }

    /**
     * On a phone a lost connection shows a banner (not only the 8 px dot) with a countdown that moves and
     * "Retry now"; the retry, and the browser saying it is online again, reconnect at once instead of
     * after the wait.
     */
    @Test
    void onAPhoneTheBannerCountsDownAndRetryNowOrComingBackOnlineReconnectsAtOnce() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
        int port = server.uri().getPort();
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 390, 844)) {
            ana.createRoom("Patchy signal", null);
            assertEquals(Boolean.TRUE, ana.script("return document.getElementById('connection-banner').hidden"),
                    "no banner while connected");

            server.close();
            server = null;
            awaitState(ana, "reconnecting");
            WebElement banner = ana.find("#connection-banner");
            Map<?, ?> box = (Map<?, ?>) ana.script("const r = arguments[0].getBoundingClientRect();"
                    + " return {top: r.top, bottom: r.bottom, width: r.width, height: r.height};", banner);
            assertTrue(((Number) box.get("height")).doubleValue() >= 32 && ((Number) box.get("width")).doubleValue() >= 380,
                    "a full-width banner: " + box);
            assertTrue(((Number) box.get("top")).doubleValue() >= 0 && ((Number) box.get("bottom")).doubleValue() <= 844,
                    "on screen: " + box);
            assertTrue(banner.getText().contains("Connection lost"), banner.getText());
            ana.find("#connection-retry");
            assertEquals(0L, ana.horizontalOverflow());

            // The countdown moves.
            int from = awaitCountdownOfAtLeast(ana, 3);
            ana.until(d -> bannerSeconds(ana) == from - 1 ? true : null);
            ana.screenshot("reconnect-banner-phone");

            // "Retry now" with the server back: connected well before the countdown would have run out.
            awaitCountdownOfAtLeast(ana, 4);
            server = DemoServer.start(new DemoConfig(port, dataDir));
            assertEquals("reconnecting", ana.find("#connection-state").getAttribute("data-state"), "still waiting");
            long clicked = System.nanoTime();
            ana.click("#connection-retry");
            awaitState(ana, "connected");
            long tookMs = (System.nanoTime() - clicked) / 1_000_000;
            assertTrue(tookMs < 2000, "reconnected " + tookMs + " ms after Retry now, with 2+ s left on the clock");
            ana.until(d -> Boolean.TRUE.equals(ana.script("return document.getElementById('connection-banner').hidden")));

            // The browser's "online" event does the same.
            server.close();
            server = null;
            awaitState(ana, "reconnecting");
            awaitCountdownOfAtLeast(ana, 4);
            server = DemoServer.start(new DemoConfig(port, dataDir));
            assertEquals("reconnecting", ana.find("#connection-state").getAttribute("data-state"), "still waiting");
            long online = System.nanoTime();
            ana.script("window.dispatchEvent(new Event('online'))");
            awaitState(ana, "connected");
            long onlineMs = (System.nanoTime() - online) / 1_000_000;
            assertTrue(onlineMs < 2000, "reconnected " + onlineMs + " ms after the online event");
            ana.screenshot("reconnect-banner-gone-phone");
        }
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
