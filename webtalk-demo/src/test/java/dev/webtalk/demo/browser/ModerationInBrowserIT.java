package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An owner mutes and bans from the members view; the muted and the banned user see why. */
class ModerationInBrowserIT {
    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromedriver")), "needs chromedriver");
        Files.writeString(dataDir.resolve(DemoServer.BLOCKED_WORDS_FILE), "darn\n");
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static void join(Browser browser, String room, String title) {
        browser.click("#refresh-rooms");
        browser.click(".room-item[data-room-id='" + room + "']");
        browser.awaitText("#room-title", title);
    }

    /** Opens the moderation menu on a member and picks an action. */
    private static void moderate(Browser browser, String userId, String actionClass) {
        String member = "#member-list .member[data-user-id='" + userId + "']";
        browser.click(member + " .member-actions-toggle");
        browser.click(member + " " + actionClass);
    }

    @Test
    void anOwnerMutesAndBansFromTheMembersView() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo"); Browser cy = Browser.signedIn(server.uri(), "Cy")) {
            ana.type("#create-room-name", "Moderated");
            ana.click("#create-room-submit");
            ana.awaitText("#room-title", "Moderated");
            String room = ana.until(d -> d.findElements(org.openqa.selenium.By.cssSelector(".room-item[data-room-id]"))
                    .stream().map(e -> e.getAttribute("data-room-id")).findFirst().orElse(null));
            join(bo, room, "Moderated");
            join(cy, room, "Moderated");
            String boId = (String) bo.script("return document.querySelector('#member-list .member .member-you')"
                    + ".closest('.member').dataset.userId");
            String cyId = (String) cy.script("return document.querySelector('#member-list .member .member-you')"
                    + ".closest('.member').dataset.userId");
            ana.awaitContains("#member-list .member[data-user-id='" + cyId + "']", "Cy");

            // Members get no moderation menu; the owner does, on others only.
            assertTrue(bo.all("#member-list .member-actions").isEmpty());
            assertTrue(ana.all("#member-list .member .member-you").get(0)
                    .findElements(org.openqa.selenium.By.xpath("..//details")).isEmpty());

            // The demo's word filter masks listed words for everyone.
            bo.say("darn it");
            ana.awaitText(".message .message-text", "**** it");

            moderate(ana, boId, ".member-mute");
            bo.until(d -> bo.find("#composer").getAttribute("class").contains("muted"));
            assertTrue(bo.find("#composer-input").getAttribute("placeholder").startsWith("You are muted"));
            bo.say("can anyone hear me?");
            bo.find("#toast .toast[data-code='muted']");
            bo.screenshot("moderation-muted");

            moderate(ana, cyId, ".member-ban[data-duration='86400']");
            ana.click("#confirm-ok");
            cy.awaitContains("#toast .toast", "banned you");
            assertEquals(0, ana.all("#member-list .member[data-user-id='" + cyId + "']").size());
            cy.click("#refresh-rooms");
            cy.click(".room-item[data-room-id='" + room + "']");
            cy.find("#toast .toast[data-code='banned']");
            ana.screenshot("moderation-owner");
        }
    }
}
