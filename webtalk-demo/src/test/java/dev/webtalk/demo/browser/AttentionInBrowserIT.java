package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unread counts in the tab title, and keyboard use of the rooms list and dialogs. */
class AttentionInBrowserIT {
    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String title(Browser browser) {
        return (String) browser.script("return document.title");
    }

    @Test
    void aMessageForARoomNotOpenCountsInTheTitleUntilTheRoomIsOpened() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            String alpha = ana.createRoom("Alpha", null);
            ana.createRoom("Beta", null); // Ana now has Beta open and Alpha joined
            assertEquals("Beta · WebTalk", title(ana));

            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + alpha + "']");
            bo.awaitText("#room-title", "Alpha");
            bo.type("#composer-input", "one");
            bo.click("#composer-send");
            bo.awaitText(".message[data-seq] .message-text", "one");
            bo.type("#composer-input", "two");
            bo.click("#composer-send");

            ana.until(d -> title(ana).equals("(2) Beta · WebTalk") ? true : null);
            ana.awaitText(".room-item[data-room-id='" + alpha + "'] .room-unread", "2");
            ana.screenshot("unread-title");

            ana.click(".room-item[data-room-id='" + alpha + "'] .room-open");
            ana.awaitText("#room-title", "Alpha");
            ana.until(d -> title(ana).equals("Alpha · WebTalk") ? true : null);
            assertTrue(ana.all(".room-unread").isEmpty(), "nothing is unread once seen");
        }
    }

    @Test
    void theRoomsListIsOneTabStopWalkedWithArrowKeysAndDialogsKeepAndReturnFocus() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana")) {
            ana.createRoom("First", null);
            ana.createRoom("Second", null);
            ana.createRoom("Third", null);
            // Three rooms, "Third" open: its button is the list's only tab stop.
            assertEquals(1L, ana.script("return document.querySelectorAll('#room-list .room-open[tabindex=\"0\"]').length"));
            WebElement stop = ana.find("#room-list .room-open[tabindex='0']");
            assertTrue(stop.getText().contains("Third"), stop.getText());

            stop.sendKeys(Keys.HOME);
            assertEquals("First", focusedRoomName(ana));
            active(ana).sendKeys(Keys.ARROW_DOWN);
            assertEquals("Second", focusedRoomName(ana));
            assertEquals(0L, ana.script("return document.activeElement.tabIndex"), "the tab stop moves along");
            active(ana).sendKeys(Keys.ENTER);
            ana.awaitText("#room-title", "Second");
            assertEquals(1L, ana.script("return document.querySelectorAll('#room-list .room-open[tabindex=\"0\"]').length"));

            // The confirmation dialog: focus starts inside, Tab wraps around, Escape closes it and
            // focus goes back to the button that opened it.
            ana.click("#delete-room");
            ana.until(d -> "confirm-ok".equals(ana.script("return document.activeElement.id")) ? true : null);
            active(ana).sendKeys(Keys.TAB);
            assertEquals("confirm-cancel", ana.script("return document.activeElement.id"), "Tab stays in the dialog");
            active(ana).sendKeys(Keys.ESCAPE);
            ana.until(d -> Boolean.FALSE.equals(ana.script("return document.getElementById('confirm-dialog').open")) ? true : null);
            ana.until(d -> "delete-room".equals(ana.script("return document.activeElement.id")) ? true : null);
            ana.awaitText("#room-title", "Second");
        }
    }

    private static WebElement active(Browser browser) {
        return (WebElement) browser.script("return document.activeElement");
    }

    private static String focusedRoomName(Browser browser) {
        return (String) browser.script(
                "return document.activeElement.closest('.room-item')?.querySelector('.room-name')?.textContent");
    }
}
