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
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** Names in the member list that the list cut short ("Ana So…"), with their full text. */
    @SuppressWarnings("unchecked")
    private static java.util.List<String> cutNames(Browser browser) {
        return (java.util.List<String>) browser.script("""
                return [...document.querySelectorAll('#member-list .member-name')]
                  .filter((n) => n.scrollWidth > n.clientWidth + 1 || getComputedStyle(n).textOverflow === 'ellipsis'
                    && n.scrollWidth > n.clientWidth)
                  .map((n) => n.textContent);""");
    }

    private static final java.util.regex.Pattern SHORT_TIME = java.util.regex.Pattern.compile("until \\d{1,2}:\\d{2}( [AP]M)?$");

    /**
     * Long names show whole in the member list, on a desktop and in the phone's drawer; a 10-minute mute
     * says until when in a short time (it said "until Thursday, December 3, 2026 at 12:58 PM"), in the
     * log's notice, on the member's row and in the muted user's composer.
     */
    @Test
    void longNamesShowWholeInTheMemberListAndATenMinuteMuteSaysAShortTime() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana Sofia Albuquerque", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo Nascimento Ferreira", 390, 844)) {
            String room = ana.createRoom("Names", null);
            join(bo, room, "Names");
            String boId = (String) bo.script("return document.querySelector('#member-list .member .member-you')"
                    + ".closest('.member').dataset.userId");
            ana.awaitContains("#member-list .member[data-user-id='" + boId + "']", "Bo Nascimento Ferreira");
            assertEquals(java.util.List.of(), cutNames(ana), "the desktop member list");

            moderate(ana, boId, ".member-mute");
            ana.awaitContains(".notice", "muted Bo Nascimento Ferreira");
            String notice = (String) ana.script("return [...document.querySelectorAll('.notice')]" // without its own time
                    + ".find((n) => n.textContent.includes('muted Bo')).firstChild.textContent");
            assertTrue(SHORT_TIME.matcher(notice).find(), "a short time: " + notice);
            assertFalse(notice.contains(String.valueOf(java.time.Year.now().getValue())), "no full date: " + notice);
            String row = ana.awaitContains("#member-list .member[data-user-id='" + boId + "'] .member-muted", "muted until").getText();
            assertTrue(SHORT_TIME.matcher(row).find(), row);
            assertEquals(java.util.List.of(), cutNames(ana), "the desktop member list, with a mute");
            ana.screenshot("members-long-names-desktop");

            bo.until(d -> bo.find("#composer").getAttribute("class").contains("muted") ? true : null);
            assertTrue(SHORT_TIME.matcher(bo.find("#composer-input").getAttribute("placeholder")).find(),
                    bo.find("#composer-input").getAttribute("placeholder"));
            bo.click("#toggle-members");
            bo.until(d -> Boolean.TRUE.equals(bo.script("return document.getElementById('app').dataset.members === 'open'"
                    + " && getComputedStyle(document.getElementById('members-panel')).transform === 'none'")) ? true : null);
            bo.awaitContains("#member-list .member-name", "Ana Sofia Albuquerque");
            assertEquals(java.util.List.of(), cutNames(bo), "the phone's members drawer");
            assertEquals(0L, bo.horizontalOverflow());
            bo.screenshot("members-long-names-phone");
        }
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
                    .findElements(org.openqa.selenium.By.xpath("./ancestor::li//details")).isEmpty());

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

            // Cy has left, yet the activity log names them (the server kept the name), the id a tooltip.
            ana.click("#room-settings");
            ana.click("#room-settings-log");
            String ban = ana.awaitContains("#audit-list .audit-entry[data-action='ban'] .audit-text", "Ana banned Cy until").getText();
            assertTrue(!ban.contains(cyId), ban);
            assertTrue(ana.find("#audit-list .audit-entry[data-action='ban'] .audit-text").getAttribute("title")
                    .endsWith("Cy: " + cyId));
            ana.screenshot("moderation-activity-log-names");
            ana.click("#audit-close");
        }
    }

    /** The room's line in the list, read in the page so a re-render cannot go stale under the test. */
    private static String roomLine(Browser browser, String room) {
        return (String) browser.script("const e = document.querySelector(`.room-item[data-room-id='${arguments[0]}']`);"
                + " return e ? e.textContent : null;", room);
    }

    /**
     * A kicked or banned user (on a phone) keeps the room in their list at once, saying why: rejoinable after
     * a kick, "banned until …" after a ban (it vanished until the next 20 s refresh).
     */
    @Test
    void aKickedOrBannedUsersRoomStaysInTheirListWithItsState() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Strict", null);
            join(bo, room, "Strict");
            String boId = (String) bo.script("return document.querySelector('#member-list .member .member-you')"
                    + ".closest('.member').dataset.userId");
            ana.awaitContains("#member-list .member[data-user-id='" + boId + "']", "Bo");

            moderate(ana, boId, ".member-kick");
            ana.click("#confirm-ok");
            bo.awaitContains("#toast .toast", "removed you");
            // Drawn with the toast, long before the list's 20 s refresh.
            String kicked = roomLine(bo, room);
            assertTrue(kicked != null && kicked.contains("You were removed · you can join again"), kicked);
            bo.find(".room-item[data-room-id='" + room + "'] .room-barred-kick");
            bo.screenshot("moderation-kicked-room-phone");

            bo.click(".room-item[data-room-id='" + room + "']");
            bo.awaitText("#room-title", "Strict");
            bo.click("#back-to-rooms");
            assertFalse(roomLine(bo, room).contains("removed"), "joining again clears it");
            ana.awaitContains("#member-list .member[data-user-id='" + boId + "']", "Bo");

            moderate(ana, boId, ".member-ban[data-duration='600']");
            ana.click("#confirm-ok");
            bo.awaitContains("#toast .toast", "banned you");
            String banned = roomLine(bo, room);
            assertTrue(banned != null && SHORT_BAN.matcher(banned).find(), banned);
            bo.screenshot("moderation-banned-room-phone");

            // Trying anyway is refused, and the line stays.
            bo.click(".room-item[data-room-id='" + room + "']");
            bo.find("#toast .toast[data-code='banned']");
            assertTrue(SHORT_BAN.matcher(roomLine(bo, room)).find(), roomLine(bo, room));
        }
    }

    private static final java.util.regex.Pattern SHORT_BAN = java.util.regex.Pattern.compile("You are banned until \\d{1,2}:\\d{2}");
}
