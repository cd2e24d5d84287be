package dev.webtalk.demo.browser;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;

/**
 * axe-core finds no violation, of any impact, on any screen: the name prompt, the chat on a desktop and on
 * a phone (rooms list, conversation, members drawer, the room's ⋮ menu), its dialogs and popups (password,
 * room settings, activity log, confirmation, reactions, pins), the admin sign-in, the admin panel and its
 * dialogs. axe-core comes from the npm registry for the test only (see {@link Axe}).
 */
class AccessibilityInBrowserIT {
    private static final String ADMIN_PASSWORD = "a11y-admin-pw";

    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        Axe.source(); // skips (or fails under CI) before a server starts when axe-core is not installed
        server = DemoServer.start(new DemoConfig(0, dataDir, ADMIN_PASSWORD));
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

    private static void join(Browser browser, String room, String title) {
        browser.click("#refresh-rooms");
        browser.click(".room-item[data-room-id='" + room + "']");
        browser.awaitText("#room-title", title);
    }

    private final Axe.Scan scan = new Axe.Scan();

    @Test
    void theNamePromptOnADesktopAndAPhone() {
        try (Browser desktop = new Browser(1366, 800); Browser phone = new Browser(390, 844)) {
            for (Browser b : java.util.List.of(desktop, phone)) {
                b.open(server.uri());
                b.find("#name-input");
            }
            scan.check(desktop, "name-desktop");
            scan.check(phone, "name-phone");
            phone.click("#name-submit"); // empty: the form shows its error
            phone.find("#name-error");
            scan.check(phone, "name-phone-error");
        }
        scan.assertClean();
    }

    @Test
    void theChatItsDialogsAndPopupsOnADesktopAndAPhone() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String locked = ana.createRoom("Secret", "hunter2");
            String room = ana.createRoom("Book club", null);
            scan.check(bo, "chat-phone-rooms");

            join(bo, room, "Book club");
            ana.awaitContains(".notice", "Bo joined the room");
            ana.say("Welcome, https://example.org has the list");
            bo.awaitText(".message .message-text", "Welcome, https://example.org has the list");
            bo.say("Thanks!");
            ana.awaitText(".message .message-text", "Thanks!");
            String seq = ana.find(".message[data-seq]").getAttribute("data-seq");
            // A reaction and a pin, so their chips, marks and header button are in the scan.
            ana.script("document.querySelector('.message[data-seq=\"" + seq + "\"] .message-react').click()");
            ana.click("#reaction-palette .palette-emoji[data-emoji='🎉']");
            ana.find(".message[data-seq='" + seq + "'] .reaction");
            ana.script("document.querySelector('.message[data-seq=\"" + seq + "\"] .message-pin').click()");
            ana.find("#room-pins");
            ana.script("document.querySelector('.message[data-seq=\"" + seq + "\"] .message-reply').click()");
            ana.find("#composer-replying");
            ana.type("#composer-input", "A draft");
            scan.check(ana, "chat-desktop");
            scan.check(bo, "chat-phone-conversation");

            ana.script("document.querySelector('.message[data-seq=\"" + seq + "\"] .message-react').click()");
            ana.find("#reaction-palette .palette-emoji");
            scan.check(ana, "chat-desktop-reaction-palette");
            ana.find("#reaction-palette .palette-emoji").sendKeys(org.openqa.selenium.Keys.ESCAPE);
            ana.until(d -> !displayed(ana, "#reaction-palette"));
            ana.click("#room-pins");
            ana.find("#pins-panel .pin-item");
            scan.check(ana, "chat-desktop-pins");
            ana.click("#room-pins");

            bo.click("#toggle-members");
            bo.until(d -> Boolean.TRUE.equals(bo.script("return document.getElementById('app').dataset.members === 'open'"
                    + " && getComputedStyle(document.getElementById('members-panel')).transform === 'none'")) ? true : null);
            scan.check(bo, "chat-phone-members");
            bo.find("#close-members").click();
            bo.until(d -> "closed".equals(bo.script("return document.getElementById('app').dataset.members")) ? true : null);
            bo.click("#room-menu-toggle");
            bo.find("#leave-room");
            scan.check(bo, "chat-phone-room-menu");
            bo.find("#leave-room").sendKeys(org.openqa.selenium.Keys.ESCAPE);

            // The owner's member menu, open.
            String boId = (String) bo.script("return document.querySelector('#member-list .member .member-you')"
                    + ".closest('.member').dataset.userId");
            ana.click("#member-list .member[data-user-id='" + boId + "'] .member-actions-toggle");
            ana.find("#member-list .member[data-user-id='" + boId + "'] .member-kick");
            scan.check(ana, "chat-desktop-member-menu");
            ana.click("#member-list .member[data-user-id='" + boId + "'] .member-mute");
            ana.awaitContains(".notice", "muted Bo");
            bo.until(d -> bo.find("#composer").getAttribute("class").contains("muted") ? true : null);
            scan.check(bo, "chat-phone-muted");

            ana.click("#room-settings");
            ana.find("#room-settings-topic");
            scan.check(ana, "dialog-room-settings");
            ana.click("#room-settings-log");
            ana.find("#audit-list .audit-entry");
            scan.check(ana, "dialog-activity-log");
            ana.click("#audit-close");
            ana.until(d -> !displayed(ana, "#audit-dialog"));

            ana.click("#delete-room");
            ana.find("#confirm-ok");
            scan.check(ana, "dialog-confirm");
            ana.click("#confirm-cancel");

            bo.click("#back-to-rooms");
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + locked + "']");
            bo.find("#password-input");
            scan.check(bo, "dialog-password-phone");
            bo.click("#password-submit"); // empty: refused, with the error in the dialog
            bo.find("#password-error");
            scan.check(bo, "dialog-password-phone-error");
        }
        scan.assertClean();
    }

    @Test
    void theAdminSignInPanelAndDialogsOnADesktopAndAPhone() {
        Principal host = Principal.admin("host-admin", "Host");
        RoomId room = server.chat().createRoom(Principal.user("u-ana", "Ana"), "Rowdy room", null).id();
        server.chat().createRoom(Principal.user("u-ana", "Ana"), "Lobby", null);
        server.chat().ban(host, room, dev.webtalk.UserId.of("u-bo"), "spam", null);
        try (Browser desktop = new Browser(1366, 800); Browser phone = new Browser(390, 844)) {
            for (Browser admin : java.util.List.of(desktop, phone)) {
                admin.open(server.uri().resolve("/admin"));
                admin.find("#admin-password");
            }
            scan.check(desktop, "admin-sign-in-desktop");
            phone.type("#admin-password", "wrong");
            phone.click("#admin-login");
            phone.find("#admin-error");
            scan.check(phone, "admin-sign-in-phone-error");

            for (Browser admin : java.util.List.of(desktop, phone)) {
                admin.type("#admin-password", ADMIN_PASSWORD);
                admin.click("#admin-login");
                admin.until(d -> d.findElements(By.cssSelector(".admin-room")).size() == 2);
                admin.awaitText("#stats [data-stat='roomsTotal']", "2");
            }
            desktop.click(".sort[data-sort='name']");
            scan.check(desktop, "admin-panel-desktop");
            scan.check(phone, "admin-panel-phone");

            desktop.click(".admin-room[data-room-id='" + room.value() + "'] .admin-room-moderation");
            desktop.find("#room-restrictions .restriction");
            desktop.find("#room-audit .audit-entry");
            scan.check(desktop, "admin-moderation-dialog");
            desktop.click("#room-details-close");
            desktop.until(d -> !displayed(desktop, "#room-details"));
            desktop.click(".admin-room[data-room-id='" + room.value() + "'] .admin-delete-room");
            desktop.find("#admin-confirm-ok");
            scan.check(desktop, "admin-confirm-dialog");
            desktop.click("#admin-confirm-cancel");
        }
        scan.assertClean();
    }
}
