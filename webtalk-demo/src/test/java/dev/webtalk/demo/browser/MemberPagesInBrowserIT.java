package dev.webtalk.demo.browser;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room bigger than a join's first page of members: the members panel shows the first 100, the
 * room's real counts, and "Show more members" fetches the rest a page at a time; at 1366 px and, in the
 * drawer, at 390 px.
 */
class MemberPagesInBrowserIT {
    private static final int OTHERS = 130;

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

    private int rows(Browser browser) {
        return browser.all("#member-list .member").size();
    }

    @Test
    void aBigRoomListsItsFirstMembersAndPagesOnWithShowMore() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800)) {
            String room = ana.createRoom("Crowd", null);
            // Members who joined from code (in-process connections) and went away: offline members.
            for (int i = 0; i < OTHERS; i++) {
                TestClient c = TestClient.connect(server.chat(),
                        Principal.user(String.format(Locale.ROOT, "u-%03d", i), String.format(Locale.ROOT, "Member %03d", i)));
                c.ok("join", "room", RoomId.of(room).value());
                c.disconnect();
            }
            ana.open(server.uri());
            ana.click(".room-item[data-room-id='" + room + "']");
            ana.awaitText("#room-title", "Crowd");

            ana.until(d -> rows(ana) == 100 ? true : null);
            assertEquals("1/" + (OTHERS + 1), ana.find("#member-count").getText(), "the room's counts, not the rows held");
            assertTrue(ana.find("#member-list .member.online .member-you").isDisplayed(), "online first: Ana herself");
            ana.screenshot("members-first-page-1366");

            ana.click("#member-list-more");
            ana.until(d -> rows(ana) == OTHERS + 1 ? true : null);
            ana.until(d -> ana.all("#member-list-more").get(0).isDisplayed() ? null : true);
            assertEquals(OTHERS + 1, ((Number) ana.script("return new Set([...document.querySelectorAll("
                    + "'#member-list .member')].map((m) => m.dataset.userId)).size")).intValue(), "everyone once");

            // On a phone the list is a drawer: the button is there too, and pages on the same way.
            try (Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
                bo.click("#refresh-rooms");
                bo.click(".room-item[data-room-id='" + room + "']");
                bo.awaitText("#room-title", "Crowd");
                bo.click("#toggle-members");
                bo.until(d -> rows(bo) == 100 ? true : null);
                bo.screenshot("members-first-page-390");
                bo.click("#member-list-more");
                bo.until(d -> rows(bo) == OTHERS + 2 ? true : null); // Bo joined too
                assertEquals(0, bo.horizontalOverflow(), "no sideways scrolling at 390 px");
            }
        }
    }
}
