package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open room's header as its owner sees it (the most buttons anyone gets): on a phone the room actions
 * sit behind an overflow menu and the title, the member count and the buttons never overlap; on a
 * desktop they stay in the row.
 */
class RoomHeaderInBrowserIT {
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

    private static boolean displayed(Browser browser, String css) {
        return (Boolean) browser.script("const e = document.querySelector(arguments[0]);"
                + " return !!e && !e.hidden && e.getClientRects().length > 0;", css);
    }

    /**
     * The boxes of the header's visible parts, and of the title's, topic's and meta line's text, as
     * {name, left, top, right, bottom}: what the eye sees side by side in the row.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> headerBoxes(Browser browser) {
        return (List<Map<String, Object>>) browser.script("""
                const parts = [...document.querySelectorAll('.chat-head > *, #room-title, #room-meta')]
                  .filter((e) => !e.classList.contains('chat-title') && e.getClientRects().length > 0
                    && getComputedStyle(e).visibility !== 'hidden');
                return parts.map((e) => { const r = e.getBoundingClientRect();
                  return { name: e.id || e.className, left: r.left, top: r.top, right: r.right, bottom: r.bottom }; });
                """);
    }

    private static double num(Map<String, Object> box, String key) {
        return ((Number) box.get(key)).doubleValue();
    }

    private static void assertNoOverlap(List<Map<String, Object>> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                Map<String, Object> a = boxes.get(i);
                Map<String, Object> b = boxes.get(j);
                boolean apart = num(a, "right") <= num(b, "left") + 0.5 || num(b, "right") <= num(a, "left") + 0.5
                        || num(a, "bottom") <= num(b, "top") + 0.5 || num(b, "bottom") <= num(a, "top") + 0.5;
                assertTrue(apart, a.get("name") + " overlaps " + b.get("name") + ": " + a + " / " + b);
            }
        }
    }

    @Test
    void anOwnersHeaderOnAPhoneKeepsTheTitleAndCountReadableWithActionsInAMenu() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 390, 844)) {
            ana.createRoom("Second-hand books", null);
            assertTrue(displayed(ana, "#delete-room") || displayed(ana, "#room-menu-toggle"), "the page is ready");

            // The title shows in full and the count takes one line.
            Map<?, ?> title = (Map<?, ?>) ana.script("const t = document.getElementById('room-title');"
                    + " return {scroll: t.scrollWidth, client: t.clientWidth};");
            assertTrue(((Number) title.get("scroll")).longValue() <= ((Number) title.get("client")).longValue(),
                    "the title is not cut: " + title);
            Map<?, ?> meta = (Map<?, ?>) ana.script("const m = document.getElementById('room-meta');"
                    + " return {height: m.getBoundingClientRect().height, line: parseFloat(getComputedStyle(m).lineHeight)"
                    + " || parseFloat(getComputedStyle(m).fontSize) * 1.5, text: m.textContent};");
            assertTrue(((Number) meta.get("height")).doubleValue() < 1.6 * ((Number) meta.get("line")).doubleValue(),
                    "the member count is one line: " + meta);
            assertEquals("1 member · 1 online", String.valueOf(meta.get("text")).strip());
            assertNoOverlap(headerBoxes(ana));
            assertEquals(0L, ana.horizontalOverflow(), "no horizontal scroll at 390 px");

            // Settings, Leave and Delete wait in the overflow menu.
            assertFalse(displayed(ana, "#room-settings"));
            assertFalse(displayed(ana, "#leave-room"));
            assertFalse(displayed(ana, "#delete-room"));
            assertEquals("false", ana.find("#room-menu-toggle").getAttribute("aria-expanded"));
            ana.click("#room-menu-toggle");
            assertEquals("true", ana.find("#room-menu-toggle").getAttribute("aria-expanded"));
            ana.find("#room-settings");
            ana.find("#leave-room");
            ana.find("#delete-room");
            assertEquals("room-settings", ana.script("return document.activeElement.id"), "focus goes into the menu");
            assertEquals(0L, ana.horizontalOverflow(), "the open menu stays on screen");
            Map<?, ?> menu = (Map<?, ?>) ana.script("const r = document.getElementById('room-actions').getBoundingClientRect();"
                    + " return {left: r.left, right: r.right};");
            assertTrue(((Number) menu.get("left")).doubleValue() >= 0 && ((Number) menu.get("right")).doubleValue() <= 390,
                    "the menu is inside the window: " + menu);
            ana.screenshot("room-header-phone-menu");

            // Escape closes it and gives focus back; the settings item opens the dialog.
            ana.find("#room-settings").sendKeys(Keys.ESCAPE);
            ana.until(d -> !displayed(ana, "#delete-room") ? true : null);
            assertEquals("room-menu-toggle", ana.script("return document.activeElement.id"));
            ana.click("#room-menu-toggle");
            ana.click("#room-settings");
            ana.until(d -> d.findElement(By.id("room-settings-dialog")).isDisplayed() ? true : null);
            assertFalse(displayed(ana, "#delete-room"), "the menu closes after a choice");
            ana.click("#room-settings-cancel");

            // With a topic and slow mode the header still holds: the meta line stays one line.
            ana.click("#room-menu-toggle");
            ana.click("#room-settings");
            ana.type("#room-settings-topic", "Swaps every Saturday morning at the market");
            ana.type("#room-settings-slow-mode", "30");
            ana.click("#room-settings-save");
            ana.awaitContains("#room-meta", "slow mode");
            Map<?, ?> busy = (Map<?, ?>) ana.script("const m = document.getElementById('room-meta');"
                    + " return {height: m.getBoundingClientRect().height, line: parseFloat(getComputedStyle(m).lineHeight)};");
            assertTrue(((Number) busy.get("height")).doubleValue() < 1.6 * ((Number) busy.get("line")).doubleValue(),
                    "still one line: " + busy);
            assertNoOverlap(headerBoxes(ana));
            ana.screenshot("room-header-phone");
        }
    }

    @Test
    void onADesktopTheOwnersActionsStayInTheRow() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800)) {
            ana.createRoom("Second-hand books", null);
            ana.find("#delete-room");
            assertTrue(displayed(ana, "#room-settings"));
            assertTrue(displayed(ana, "#leave-room"));
            assertFalse(displayed(ana, "#room-menu-toggle"), "no overflow menu when there is room");
            assertNoOverlap(headerBoxes(ana));
            ana.screenshot("room-header-desktop");
        }
    }
}
