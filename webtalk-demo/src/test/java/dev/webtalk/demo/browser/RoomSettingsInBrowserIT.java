package dev.webtalk.demo.browser;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.RoomSettings;
import dev.webtalk.UserId;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner changes topic, slow mode and lock in the room settings dialog; a member sees the topic live,
 * has no settings button, and cannot post in the locked room. A server notice shows as a system line.
 * The owner reads the room's activity log from the dialog, newest first, page by page.
 */
class RoomSettingsInBrowserIT {
    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromedriver")), "needs chromedriver");
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static boolean displayed(Browser browser, String css) {
        return (Boolean) browser.script("const e = document.querySelector(arguments[0]);"
                + " return !!e && !e.hidden && e.getClientRects().length > 0;", css);
    }

    @Test
    void theOwnerSetsTopicSlowModeAndLockAndTheMemberSeesThemLive() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            ana.type("#create-room-name", "Book club");
            ana.click("#create-room-submit");
            ana.awaitText("#room-title", "Book club");
            String room = ana.find(".room-item[data-room-id]").getAttribute("data-room-id");
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + room + "']");
            bo.awaitText("#room-title", "Book club");
            assertFalse(displayed(bo, "#room-topic"), "no topic yet");
            assertFalse(displayed(bo, "#room-settings"), "plain members get no settings button");

            ana.click("#room-settings");
            ana.type("#room-settings-slow-mode", "99999");
            ana.click("#room-settings-save");
            ana.awaitContains("#room-settings-error", "0 to 3600");
            ana.type("#room-settings-topic", "Chapter 3 this week");
            ana.type("#room-settings-slow-mode", "30");
            ana.click("#room-settings-locked");
            ana.click("#room-settings-save");
            ana.until(d -> !d.findElement(By.id("room-settings-dialog")).isDisplayed());

            ana.awaitText("#room-topic", "Chapter 3 this week");
            ana.awaitContains("#room-meta", "slow mode: 30 seconds");
            bo.awaitText("#room-topic", "Chapter 3 this week");
            bo.awaitContains("#room-meta", "locked");
            RoomSettings stored = server.chat().roomSettings(RoomId.of(room));
            assertEquals(new RoomSettings(Duration.ofSeconds(30), true, "Chapter 3 this week"), stored);
            ana.screenshot("room-settings-owner");

            // The member is told before writing, not by a refused send.
            bo.awaitContains("#composer-status", "locked");
            assertFalse(bo.find("#composer-input").isEnabled(), "nothing to write in a locked room");
            assertTrue(ana.find("#composer-input").isEnabled(), "the owner still writes");

            // The dialog opens with what is in force; clearing the topic hides the line for everyone.
            ana.click("#room-settings");
            assertEquals("30", ana.find("#room-settings-slow-mode").getAttribute("value"));
            assertTrue(ana.find("#room-settings-locked").isSelected());
            ana.type("#room-settings-topic", "");
            ana.click("#room-settings-locked");
            ana.click("#room-settings-save");
            bo.until(d -> !displayed(bo, "#room-topic"));
            bo.until(d -> !bo.find("#room-meta").getText().contains("locked"));
            bo.until(d -> bo.find("#composer-input").isEnabled() ? true : null);
            bo.awaitContains("#composer-status", "one message every 30 seconds");

            server.chat().postSystemMessage(RoomId.of(room), "The server restarts at midnight");
            bo.awaitContains(".message.system .message-text", "The server restarts at midnight");
            bo.screenshot("room-settings-member");
        }
    }

    private static int secondsLeft(Browser browser) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("again in (\\d+) s")
                .matcher(browser.find("#composer-status").getText());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * A member on a phone learns of slow mode and of a lock from the composer before sending: slow mode
     * counts down to the next message (typing goes on, sending waits), a lock disables the composer with
     * the reason. Nothing is refused by the server, so no failed bubble and no toast. The owner is exempt.
     */
    @Test
    void onAPhoneAMemberSeesTheLockAndTheSlowModeCountdownBeforeSending() {
        Principal admin = Principal.admin("admin-1", "Root");
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            RoomId room = RoomId.of(ana.createRoom("Quiet hours", null));
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + room.value() + "']");
            bo.awaitText("#room-title", "Quiet hours");
            assertFalse(displayed(bo, "#composer-status"), "nothing to say in an open room");

            server.chat().setRoomSettings(admin, room, new RoomSettings(Duration.ofSeconds(6), false, null));
            bo.awaitContains("#composer-status", "Slow mode: one message every 6 seconds");
            assertFalse(displayed(ana, "#composer-status"), "the owner is exempt");
            bo.say("first");
            bo.awaitText(".message[data-seq] .message-text", "first");
            bo.awaitContains("#composer-status", "you can send again in");
            int from = secondsLeft(bo);
            assertTrue(from >= 4 && from <= 6, "counts down from the room's 6 s: " + from);
            assertFalse(bo.find("#composer-send").isEnabled());
            assertFalse(bo.find("#attach-button").isEnabled());
            // Slow mode holds new messages, not edits: ArrowUp, fix, Enter.
            WebElement composer = bo.find("#composer-input");
            composer.sendKeys(org.openqa.selenium.Keys.ARROW_UP);
            bo.find("#composer-editing");
            composer.sendKeys("!", org.openqa.selenium.Keys.ENTER);
            bo.awaitText(".message[data-seq] .message-text", "first!");
            bo.type("#composer-input", "second"); // writing goes on
            bo.find("#composer-input").sendKeys(org.openqa.selenium.Keys.ENTER);
            assertEquals(0, bo.all(".message.pending").size(), "Enter waits for the countdown");
            assertEquals("second", bo.find("#composer-input").getAttribute("value"));
            bo.until(d -> secondsLeft(bo) > 0 && secondsLeft(bo) < from ? true : null); // it moves
            bo.screenshot("composer-slow-mode-phone");
            bo.awaitContains("#composer-status", "one message every 6 seconds");
            bo.click("#composer-send");
            bo.awaitText(".message[data-seq] .message-text", "second");
            assertEquals(0, bo.all(".message.failed").size());
            assertEquals(0, bo.all("#toast .toast").size(), "no refused send");

            server.chat().setRoomSettings(admin, room, new RoomSettings(Duration.ZERO, true, null));
            bo.awaitContains("#composer-status", "This room is locked");
            assertFalse(bo.find("#composer-input").isEnabled());
            assertFalse(bo.find("#attach-button").isEnabled());
            assertTrue(bo.find("#composer-input").getAttribute("placeholder").startsWith("Only moderators"));
            assertEquals(0L, bo.horizontalOverflow());
            bo.screenshot("composer-locked-phone");
            ana.say("owners still talk");
            bo.awaitText(".message[data-seq] .message-text", "owners still talk");

            server.chat().setRoomSettings(admin, room, new RoomSettings(Duration.ZERO, false, null));
            bo.until(d -> bo.find("#composer-input").isEnabled() ? true : null);
            bo.until(d -> !displayed(bo, "#composer-status") ? true : null);
        }
    }

    @Test
    void theOwnerReadsTheActivityLogNewestFirstAndLoadsOlderPages() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            RoomId room = RoomId.of(ana.createRoom("Book club", null));
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + room.value() + "']");
            bo.awaitText("#room-title", "Book club");
            bo.say("hello");
            UserId boId = server.chat().onlineUsers(room).stream().filter(m -> m.displayName().equals("Bo"))
                    .findFirst().orElseThrow().userId();
            // 22 entries: more than the UI's page of 20. The oldest is a mute with a reason that looks like markup.
            Principal admin = Principal.admin("admin-1", "Root");
            server.chat().mute(admin, room, boId, "<i>flood</i>", null);
            for (int i = 1; i <= 21; i++) {
                server.chat().setRoomSettings(admin, room, new RoomSettings(Duration.ZERO, false, "topic " + i));
            }

            ana.click("#room-settings");
            ana.click("#room-settings-log");
            ana.awaitText("#audit-room", "Book club");
            List<WebElement> first = ana.until(d -> {
                List<WebElement> items = d.findElements(By.cssSelector("#audit-list .audit-entry"));
                return items.size() == 20 ? items : null;
            });
            assertFalse(displayed(ana, "#room-settings-dialog"), "the settings dialog gave way to the log");
            assertEquals("Root changed the room settings: no slow mode, open to all, topic “topic 21”",
                    first.get(0).findElement(By.cssSelector(".audit-text")).getText(), "newest first");
            assertEquals("Root changed the room settings: no slow mode, open to all, topic “topic 2”",
                    first.get(19).findElement(By.cssSelector(".audit-text")).getText());
            assertFalse(displayed(ana, "#audit-empty"));

            ana.click("#audit-more");
            List<WebElement> all = ana.until(d -> {
                List<WebElement> items = d.findElements(By.cssSelector("#audit-list .audit-entry"));
                return items.size() == 22 ? items : null;
            });
            assertEquals("Root muted Bo for good — “<i>flood</i>”",
                    all.get(21).findElement(By.cssSelector(".audit-text")).getText(),
                    "the target is named from the member list; the reason stays text");
            assertEquals(0, ana.all("#audit-list i").size(), "no markup from a reason");
            ana.until(d -> !displayed(ana, "#audit-more"));
            ana.screenshot("activity-log-owner");

            ana.click("#audit-close");
            ana.until(d -> !displayed(ana, "#audit-dialog"));
            assertFalse(displayed(bo, "#room-settings"), "plain members cannot reach the log");
        }
    }
}
