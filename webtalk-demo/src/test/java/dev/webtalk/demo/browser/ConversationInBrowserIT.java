package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What chat users expect of a conversation, in real headless Chromium windows: editing what one wrote. */
class ConversationInBrowserIT {
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

    /** Bo joins Ana's room from the list. */
    private static void join(Browser bo, String room, String name) {
        bo.click("#refresh-rooms");
        bo.click(".room-item[data-room-id='" + room + "']");
        bo.awaitText("#room-title", name);
    }

    /**
     * Ana on a desktop edits her last message with ArrowUp in the empty composer; Bo on a phone edits his
     * with the pencil. Each sees the other's new text, marked edited, live; Escape gives a draft back.
     */
    @Test
    void anAuthorEditsTheirMessageOnADesktopAndOnAPhoneAndTheOtherSeesItLive() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana");
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Plans", null);
            join(bo, room, "Plans");
            ana.say("see you at 5");
            bo.awaitText(".message .message-text", "see you at 5");

            WebElement composer = ana.find("#composer-input");
            composer.sendKeys(Keys.ARROW_UP);
            ana.find("#composer-editing");
            assertEquals("see you at 5", composer.getAttribute("value"), "the composer holds the text to edit");
            composer.sendKeys(Keys.chord(Keys.CONTROL, "a"), "see you at 6", Keys.ENTER);

            WebElement edited = bo.awaitText(".message .message-text", "see you at 6");
            WebElement message = edited.findElement(By.xpath("./ancestor::div[contains(concat(' ', @class, ' '), ' message ')]"));
            assertTrue(message.findElement(By.cssSelector(".message-edited")).isDisplayed(), "marked as edited");
            ana.awaitText(".message.own .message-text", "see you at 6");
            assertTrue(ana.all("#composer-editing").get(0).getAttribute("hidden") != null, "edit mode ends");
            assertEquals("", ana.find("#composer-input").getAttribute("value"));

            // Escape abandons an edit and gives back what was being written.
            composer.sendKeys("half a thought");
            ana.script("document.querySelector('.message.own .message-edit').click()");
            assertEquals("see you at 6", composer.getAttribute("value"));
            composer.sendKeys(Keys.ESCAPE);
            assertEquals("half a thought", composer.getAttribute("value"));
            composer.clear();

            bo.say("I will bring snacks");
            bo.awaitText(".message.own .message-text", "I will bring snacks");
            bo.click(".message.own .message-edit"); // visible without hover on a touch screen
            bo.type("#composer-input", "I will bring snacks and tea");
            bo.click("#composer-send");
            ana.awaitText(".message .message-text", "I will bring snacks and tea");
            bo.awaitText(".message.own .message-text", "I will bring snacks and tea");
            Object overflow = bo.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, ((Number) overflow).longValue(), "no horizontal scroll at 390 px");
            ana.screenshot("conversation-edit-desktop");
            bo.screenshot("conversation-edit-phone");
        }
    }
}
