package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyboard path on a desktop: the message log is one tab stop (it was one per action button of every
 * message: 139 stops between the header and the composer), arrows move between messages, Enter reaches a
 * message's actions and Escape comes back; a skip link, the first tab stop, goes straight to the composer.
 */
class KeyboardInBrowserIT {
    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** What has focus: its id, else its class list, with the start of its text. */
    private static String focused(Browser browser) {
        return (String) browser.script("""
                const e = document.activeElement;
                if (!e || e === document.body) return 'body';
                return (e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))
                  + (e.classList.contains('message') ? ' ' + e.querySelector('.message-text')?.textContent : '');""");
    }

    @Test
    void theLogIsOneTabStopWithArrowKeysInsideAndASkipLinkGoesToTheComposer() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             SocketUser bo = SocketUser.signIn(server.uri(), "Bo")) {
            String room = ana.createRoom("Busy", null);
            bo.request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            for (int i = 1; i <= 20; i++) {
                bo.request("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"message " + i + "\",\"clientMsgId\":\"k-" + i + "\"}");
            }
            ana.awaitText(".message[data-seq] .message-text", "message 20");
            ana.say("mine");
            ana.awaitText(".message[data-seq].own .message-text", "mine");

            // From the header's last control to the composer.
            ana.script("document.getElementById('sign-out').focus()");
            List<String> stops = new ArrayList<>();
            while (!"#composer-input".equals(focused(ana)) && stops.size() < 60) {
                ana.press(Keys.TAB);
                stops.add(focused(ana));
            }
            assertTrue(stops.size() <= 12, "Tab stops from the header to the composer: " + stops);
            assertEquals(1, stops.stream().filter(s -> s.startsWith("div.message")).count(), "the log is one stop: " + stops);
            assertTrue(stops.stream().anyMatch(s -> s.endsWith(" mine")),
                    "the stop is the newest message: " + stops);

            // Inside the log: arrows, Home and End move between messages.
            ana.shiftTab(1);
            assertEquals("#attach-button", focused(ana));
            ana.shiftTab(1);
            assertTrue(focused(ana).endsWith(" mine"), focused(ana));
            ana.press(Keys.ARROW_UP);
            assertTrue(focused(ana).endsWith(" message 20"), focused(ana));
            ana.press(Keys.ARROW_UP, Keys.ARROW_UP);
            assertTrue(focused(ana).endsWith(" message 18"), focused(ana));
            ana.press(Keys.ARROW_DOWN);
            assertTrue(focused(ana).endsWith(" message 19"), focused(ana));
            ana.press(Keys.HOME);
            assertTrue(focused(ana).endsWith(" message 1"), focused(ana));
            ana.press(Keys.END);
            assertTrue(focused(ana).endsWith(" mine"), focused(ana));
            ana.press(Keys.ARROW_UP);
            ana.screenshot("keyboard-message-focused");

            // Enter: into the message's actions (shown), arrows among them, Escape back out.
            ana.press(Keys.ENTER);
            assertEquals("button.message-reply", focused(ana));
            ana.press(Keys.ARROW_RIGHT);
            assertEquals("button.message-react", focused(ana));
            ana.screenshot("keyboard-message-actions");
            ana.press(Keys.ESCAPE);
            assertTrue(focused(ana).endsWith(" message 20"), focused(ana));
            ana.press(Keys.ENTER, Keys.ENTER); // Reply
            ana.awaitContains("#composer-replying", "Replying to Bo");
            assertEquals("#composer-input", focused(ana));

            // The roving stop stays where the reader left it: back into the log (past the reply bar's Cancel
            // and the attach button) lands on message 20.
            ana.shiftTab(3);
            assertTrue(focused(ana).endsWith(" message 20"), "back where I was: " + focused(ana));

            // The skip link is the page's first stop and lands in the composer.
            // Focus at the very top of the document, as after a page load, then Tab.
            ana.script("const r = document.documentElement; r.tabIndex = -1; r.focus(); r.removeAttribute('tabindex');");
            ana.press(Keys.TAB);
            assertEquals("#skip-to-composer", focused(ana));
            ana.screenshot("keyboard-skip-link");
            ana.press(Keys.ENTER);
            assertEquals("#composer-input", focused(ana));
        }
    }
}
