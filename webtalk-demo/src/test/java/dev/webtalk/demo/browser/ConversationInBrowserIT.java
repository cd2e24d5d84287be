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

/**
 * What chat users expect of a conversation, in real headless Chromium windows on a desktop and a phone:
 * editing, replies, reactions, pins, unread badges and the new-messages line.
 */
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
            bo.click(".message.own .message-text"); // a tap shows the message's actions, as on a touch screen
            bo.click(".message.own.selected .message-edit");
            bo.type("#composer-input", "I will bring snacks and tea");
            bo.click("#composer-send");
            ana.awaitText(".message .message-text", "I will bring snacks and tea");
            // Ana owns the room: the earlier words are hers to see, behind "(edited)".
            WebElement boEdited = ana.awaitText(".message .message-text", "I will bring snacks and tea");
            ana.script("arguments[0].closest('.message').querySelector('button.message-edited').click()", boEdited);
            ana.awaitContains("#edits-list .edit-text", "I will bring snacks");
            ana.click("#edits-close");
            bo.awaitText(".message.own .message-text", "I will bring snacks and tea");
            assertEquals(0L, bo.horizontalOverflow(), "no horizontal scroll at 390 px");
            ana.screenshot("conversation-edit-desktop");
            bo.screenshot("conversation-edit-phone");
        }
    }

    /** Clicks an action button of the message showing {@code text} (they appear on hover or a tap). */
    private static void act(Browser who, String text, String action) {
        WebElement body = who.awaitText(".message .message-text", text);
        who.script("arguments[0].closest('.message').querySelector('[data-action=\"" + action + "\"]').click()", body);
    }

    /**
     * Bo on a phone answers Ana's question and reacts; Ana on a desktop sees the quote (and jumps to the
     * original from it), reacts too, and pins the answer, which Bo then finds in the room's header.
     */
    @Test
    void repliesReactionsAndPinsReachTheOtherSideLive() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana");
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Party", null);
            join(bo, room, "Party");
            ana.say("Who brings the cake?");
            bo.awaitText(".message .message-text", "Who brings the cake?");

            act(bo, "Who brings the cake?", "reply");
            bo.find("#composer-replying");
            bo.say("Me! With candles");
            WebElement quote = ana.awaitContains(".message-quote", "Who brings the cake?");
            assertTrue(quote.getText().contains("Ana"), "the quote names the author: " + quote.getText());
            ana.script("arguments[0].click()", quote);
            ana.find(".message.flash");

            act(ana, "Me! With candles", "react");
            ana.click("#reaction-palette .palette-emoji[data-emoji='🎉']");
            WebElement chip = bo.awaitContains(".message .reaction", "1");
            assertEquals("🎉", chip.findElement(By.cssSelector(".reaction-emoji")).getText());
            bo.script("arguments[0].click()", chip);
            ana.awaitContains(".message .reaction", "2");
            bo.until(d -> d.findElements(By.cssSelector(".message .reaction.mine")).size() == 1 ? true : null);

            act(ana, "Me! With candles", "pin");
            bo.until(d -> d.findElement(By.cssSelector("#room-pins")).isDisplayed() ? true : null);
            assertEquals("1", bo.find("#room-pins-count").getText());
            bo.click("#room-pins");
            bo.awaitContains("#pins-panel .pin-item", "Me! With candles");
            ana.screenshot("conversation-reply-react-pin-desktop");
            bo.screenshot("conversation-reply-react-pin-phone");
            assertEquals(0L, bo.horizontalOverflow(), "no horizontal scroll at 390 px");
        }
    }

    /**
     * While Bo reads another room, Ana writes in theirs (once naming him): his list shows the unread count
     * and the mention; opening the room shows the new-messages line where he left off and clears both.
     */
    @Test
    void unreadBadgesAndTheNewMessagesLineOnADesktopAndAPhone() {
        for (int width : new int[] {1280, 390}) {
            try (Browser ana = Browser.signedIn(server.uri(), "Ana");
                 Browser bo = Browser.signedIn(server.uri(), "Bo", width, 844)) {
                String plans = ana.createRoom("Plans " + width, null);
                join(bo, plans, "Plans " + width);
                ana.say("before you left");
                bo.awaitText(".message .message-text", "before you left");
                if (width < 600) {
                    bo.click("#back-to-rooms");
                }
                bo.type("#create-room-name", "Elsewhere " + width);
                bo.click("#create-room-submit");
                bo.awaitText("#room-title", "Elsewhere " + width);

                ana.say("first news");
                ana.say("@Bo are you coming?");
                ana.say("third news");
                if (width < 600) {
                    bo.click("#back-to-rooms");
                }
                String item = ".room-item[data-room-id='" + plans + "']";
                bo.awaitText(item + " .room-unread", "3");
                bo.awaitText(item + " .room-mentions", "@1");
                bo.screenshot("unread-badges-" + width);

                bo.click(item);
                bo.awaitText("#room-title", "Plans " + width);
                WebElement line = bo.find(".new-divider");
                Object next = bo.script("let e = arguments[0].nextElementSibling;"
                        + " while (e && !e.matches('.message')) e = e.nextElementSibling;"
                        + " return e && e.querySelector('.message-text').textContent", line);
                assertEquals("first news", next, "the line sits where Bo left off");
                bo.find(".message.mention-me");
                bo.screenshot("new-messages-line-" + width);
                if (width < 600) {
                    bo.click("#back-to-rooms");
                }
                bo.until(d -> d.findElements(By.cssSelector(item + " .room-unread")).isEmpty() ? true : null);
            }
        }
    }
}
