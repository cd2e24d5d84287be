package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin panel in headless Chromium: sign in, watch the numbers, delete a room a user is in. */
class AdminInBrowserIT {
    private static final String PASSWORD = "browser-admin-pw";

    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir, PASSWORD));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Browser adminPanel() {
        Browser admin = new Browser(1280, 900);
        admin.open(server.uri().resolve("/admin"));
        return admin;
    }

    private static void logIn(Browser admin, String password) {
        admin.type("#admin-password", password);
        admin.click("#admin-login");
    }

    @Test
    void theAdminDeletesARoomAndTheUserInItSeesItGo() {
        try (Browser ana = new Browser(1280, 800); Browser admin = adminPanel()) {
            ana.open(server.uri());
            ana.type("#name-input", "Ana");
            ana.click("#name-submit");
            ana.until(d -> ana.find("#connection-state").getAttribute("data-state").equals("connected"));
            ana.type("#create-room-name", "Doomed room");
            ana.click("#create-room-submit");
            ana.awaitText("#room-title", "Doomed room");
            ana.type("#composer-input", "hello from inside");
            ana.click("#composer-send");
            ana.awaitText(".message[data-seq] .message-text", "hello from inside");
            String room = ana.find(".room-item[data-room-id]").getAttribute("data-room-id");

            logIn(admin, "not the password");
            admin.awaitText("#admin-error", "Wrong password.");
            logIn(admin, PASSWORD);
            admin.awaitText("#stats [data-stat='roomsTotal']", "1");
            admin.awaitText("#stats [data-stat='usersOnline']", "1");
            admin.awaitText("#stats [data-stat='messagesTotal']", "1");
            admin.awaitContains("#activity-feed li", "Ana created “Doomed room”");
            admin.awaitContains(".admin-room[data-room-id='" + room + "']", "Doomed room");
            admin.screenshot("admin-panel");

            // Live statistics: a second room shows up without a reload (polling).
            server.chat().createRoom(dev.webtalk.Principal.user("u-bo", "Bo"), "Other room", null);
            admin.awaitText("#stats [data-stat='roomsTotal']", "2");

            admin.click(".admin-room[data-room-id='" + room + "'] .admin-delete-room");
            admin.find("#admin-confirm-text");
            admin.click("#admin-confirm-ok");
            admin.until(d -> d.findElements(By.cssSelector(".admin-room[data-room-id='" + room + "']")).isEmpty());
            admin.awaitText("#stats [data-stat='roomsTotal']", "1");

            ana.awaitContains("#toast .toast", "was deleted");
            ana.until(d -> d.findElements(By.cssSelector(".room-item[data-room-id='" + room + "']")).isEmpty());
            ana.screenshot("admin-deleted-room-user-view");
            assertTrue(server.chat().room(dev.webtalk.RoomId.of(room)).isEmpty());
        }
    }

    /** Read in the page, so a row re-rendered by polling cannot go stale under the test. */
    private static Object firstRoomName(Browser admin) {
        return admin.script("const n = document.querySelector('.admin-room .room-name'); return n && n.textContent;");
    }

    @Test
    void theAdminSearchesArchivesAndChangesSettings() {
        server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Maths club", null);
        server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Chess club", null);
        server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Lobby", null);
        try (Browser admin = adminPanel()) {
            logIn(admin, PASSWORD);
            admin.until(d -> d.findElements(By.cssSelector(".admin-room")).size() == 3);

            admin.type("#admin-search", "club");
            admin.until(d -> d.findElements(By.cssSelector(".admin-room")).size() == 2);
            admin.click(".sort[data-sort='name']");
            admin.until(d -> "Chess club".equals(firstRoomName(admin)));
            admin.click(".sort[data-sort='name']");
            admin.until(d -> "Maths club".equals(firstRoomName(admin)));

            admin.click(".admin-room .admin-archive-room");
            admin.until(d -> "Unarchive".equals(admin.script(
                    "const b = document.querySelector('.admin-room .admin-archive-room'); return b && b.textContent;")));
            admin.awaitText("#stats [data-stat='roomsArchived']", "1");
            assertEquals(2, server.chat().rooms().size(), "the archived room left the normal list");

            admin.type("#setting-max-rooms", "42");
            admin.type("#setting-inactivity", "24");
            admin.click("#settings-save");
            admin.awaitText("#settings-status", "Saved.");
            assertEquals(42, server.chat().settings().maxRooms());
            assertEquals(java.time.Duration.ofHours(24), server.chat().settings().roomInactivityTimeout());
            admin.screenshot("admin-settings");
        }
    }
    /**
     * At 390 px the page never scrolls sideways: the rooms table scrolls inside its card, each room name
     * keeps its words whole (it broke letter by letter in a squeezed column), and the first column stays put.
     */
    @Test
    void theAdminPanelFitsAPhoneWithTheRoomsTableScrollingInsideItsCard() {
        server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "International book exchange club", null);
        server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Lobby", null);
        try (Browser admin = new Browser(390, 844)) {
            admin.open(server.uri().resolve("/admin"));
            assertEquals(0L, admin.horizontalOverflow(), "the sign-in form fits");
            logIn(admin, PASSWORD);
            admin.until(d -> d.findElements(By.cssSelector(".admin-room")).size() == 2);
            admin.awaitText("#stats [data-stat='roomsTotal']", "2");
            admin.screenshot("admin-phone");
            assertEquals(0L, admin.horizontalOverflow(), "no sideways page scroll at 390 px");

            java.util.Map<?, ?> name = (java.util.Map<?, ?>) admin.script("""
                    const n = [...document.querySelectorAll('.admin-room .room-name')]
                      .find((e) => e.textContent.startsWith('International'));
                    const word = document.createElement('span');
                    word.textContent = 'International'; word.style.whiteSpace = 'nowrap';
                    n.parentElement.append(word); const wordWidth = word.getBoundingClientRect().width; word.remove();
                    return { lines: n.getClientRects().length, width: n.getBoundingClientRect().width, wordWidth };""");
            assertTrue(((Number) name.get("lines")).intValue() <= 3, "the name keeps its words whole: " + name);
            assertTrue(((Number) name.get("width")).doubleValue() >= ((Number) name.get("wordWidth")).doubleValue() - 0.5,
                    "the name's column is as wide as its longest word: " + name);

            // What does not fit scrolls inside the card; the actions are reached that way.
            java.util.Map<?, ?> wrap = (java.util.Map<?, ?>) admin.script("""
                    const w = document.querySelector('.table-wrap'); const r = w.getBoundingClientRect();
                    return { scroll: w.scrollWidth, client: w.clientWidth, right: r.right };""");
            assertTrue(((Number) wrap.get("right")).doubleValue() <= 390, "the table's box is inside the window: " + wrap);
            admin.script("document.getElementById('rooms-title').scrollIntoView()");
            admin.screenshot("admin-phone-rooms");
            admin.script("document.querySelector('.admin-room .admin-room-moderation').scrollIntoView({block: 'center', inline: 'end'})");
            assertTrue(((Number) admin.script("return document.querySelector('.table-wrap').scrollLeft")).doubleValue() > 0,
                    "the table scrolled, not the page");
            assertEquals(0L, admin.script("return Math.round(window.scrollX)"));
            admin.find(".admin-room .admin-room-moderation").click();
            admin.until(d -> d.findElement(By.id("room-details")).isDisplayed() ? true : null);
            java.util.Map<?, ?> dialog = (java.util.Map<?, ?>) admin.script("""
                    const r = document.getElementById('room-details').getBoundingClientRect();
                    return { left: r.left, right: r.right };""");
            assertTrue(((Number) dialog.get("left")).doubleValue() >= 0 && ((Number) dialog.get("right")).doubleValue() <= 390,
                    "the moderation dialog fits: " + dialog);
            admin.screenshot("admin-phone-moderation");
            admin.click("#room-details-close");
        }
    }

    /**
     * The moderation dialog names people by the names the server kept with each ban and log entry, also once
     * they have left (it showed "… banned g-cdafe1bfee1b…"); the id is a tooltip. Someone the room never saw
     * is shown by id, as nothing else is known.
     */
    @Test
    void theAdminReadsARoomsAuditLogAndLiftsABan() throws Exception {
        dev.webtalk.Principal host = dev.webtalk.Principal.admin("host-admin", "Host");
        dev.webtalk.RoomId room = server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Rowdy room", null).id();
        dev.webtalk.UserId bo;
        try (SocketUser user = SocketUser.signIn(server.uri(), "Bo Brown")) {
            user.request("{\"type\":\"join\",\"room\":\"" + room.value() + "\"}");
            bo = server.chat().onlineUsers(room).stream().filter(m -> m.displayName().equals("Bo Brown"))
                    .findFirst().orElseThrow().userId();
            server.chat().ban(host, room, bo, "spam", null); // Bo leaves the room with the ban
        }
        server.chat().mute(host, room, dev.webtalk.UserId.of("u-cy"), "flood", java.time.Duration.ofMinutes(10));
        String boRow = "#room-restrictions .restriction[data-user-id='" + bo.value() + "']";
        try (Browser admin = adminPanel()) {
            logIn(admin, PASSWORD);
            admin.click(".admin-room[data-room-id='" + room.value() + "'] .admin-room-moderation");

            admin.awaitContains("#room-details-title", "Rowdy room");
            admin.until(d -> d.findElements(By.cssSelector("#room-restrictions .restriction")).size() == 2);
            admin.awaitContains(boRow + "[data-kind='ban']", "Bo Brown is banned for good — “spam”");
            assertEquals(bo.value(), admin.find(boRow + " span").getAttribute("title"), "the id is a tooltip");
            admin.awaitContains("#room-restrictions .restriction[data-user-id='u-cy'][data-kind='mute']", "u-cy is muted until");
            admin.awaitContains("#room-audit .audit-entry[data-action='mute']", "Host muted u-cy until");
            String ban = admin.awaitContains("#room-audit .audit-entry[data-action='ban']", "Host banned Bo Brown for good — “spam”")
                    .getText();
            assertTrue(!ban.contains(bo.value()), "no id in the sentence: " + ban);
            assertEquals("Host: host-admin · Bo Brown: " + bo.value(),
                    admin.find("#room-audit .audit-entry[data-action='ban']").getAttribute("title"));
            admin.screenshot("admin-room-moderation");

            admin.click(boRow + " .admin-lift");

            admin.until(d -> d.findElements(By.cssSelector("#room-restrictions .restriction")).size() == 1);
            admin.until(d -> "unban".equals(admin.script(
                    "const e = document.querySelector('#room-audit .audit-entry'); return e && e.dataset.action;")));
            admin.awaitContains("#room-details-status", "Bo Brown was unbanned.");
            admin.awaitContains("#room-audit .audit-entry[data-action='unban']", "unbanned Bo Brown");
            assertEquals(java.util.List.of("u-cy"),
                    server.chat().restrictions(room).stream().map(r -> r.userId().value()).toList());
            admin.click("#room-details-close");
            admin.until(d -> !d.findElement(By.id("room-details")).isDisplayed());
        }
    }

    /**
     * A browser that prefers pt-BR gets the admin panel in Portuguese, like the chat: sign-in, statistics,
     * rooms, the moderation dialog's sentences; the switch in the top bar goes back to English.
     */
    @Test
    void theAdminPanelSpeaksBrazilianPortuguese() {
        dev.webtalk.Principal host = dev.webtalk.Principal.admin("host-admin", "Host");
        dev.webtalk.RoomId room = server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Sala animada", null).id();
        server.chat().ban(host, room, dev.webtalk.UserId.of("u-bo"), "spam", null);
        try (Browser admin = new Browser(1280, 900, "pt-BR")) {
            admin.open(server.uri().resolve("/admin"));
            admin.awaitText("#admin-login", "Entrar");
            assertEquals("pt-BR", admin.script("return document.documentElement.lang"));
            logIn(admin, "errada");
            admin.awaitText("#admin-error", "Senha incorreta.");
            logIn(admin, PASSWORD);
            admin.awaitText("#stats-title", "Estatísticas");
            admin.awaitText("#stats [data-stat='roomsTotal']", "1");
            admin.awaitContains(".admin-room[data-room-id='" + room.value() + "'] .admin-room-moderation", "Moderação");
            admin.awaitText("#settings-save", "Salvar configurações");
            admin.screenshot("admin-panel-pt-BR");

            admin.click(".admin-room[data-room-id='" + room.value() + "'] .admin-room-moderation");
            admin.awaitText("#room-details-title", "Moderação de “Sala animada”");
            admin.awaitContains("#room-audit .audit-entry[data-action='ban']", "Host baniu u-bo para sempre — “spam”");
            admin.awaitContains("#room-restrictions .restriction", "u-bo está banido para sempre — “spam”");
            admin.awaitText("#room-restrictions .admin-lift", "Desbanir");
            admin.screenshot("admin-moderation-pt-BR");
            admin.click("#room-details-close");

            new org.openqa.selenium.support.ui.Select(admin.find("#admin-language")).selectByValue("en");
            admin.awaitText("#stats-title", "Statistics");
            admin.awaitContains(".admin-room[data-room-id='" + room.value() + "'] .admin-room-moderation", "Moderation");
            assertEquals("en", admin.script("return localStorage.getItem('webtalk.lang')"), "kept for the chat too");
        }
    }

    /** The bars of a chart, left to right: each one's value. */
    @SuppressWarnings("unchecked")
    private static java.util.List<Long> bars(Browser admin, String chart) {
        return ((java.util.List<Object>) admin.script("return [...document.querySelectorAll(arguments[0] + ' rect.bar')]"
                + ".map((r) => Number(r.dataset.value))", chart)).stream().map(v -> ((Number) v).longValue()).toList();
    }

    /**
     * Messages and active users over the last 24 hours and 7 days as bar charts the page draws itself
     * (desktop and phone): the newest bar holds what was just posted, the caption says the total.
     */
    @Test
    void theAdminSeesMessagesAndActiveUsersAsCharts() throws Exception {
        dev.webtalk.RoomId room = server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "Busy", null).id();
        try (SocketUser ana = SocketUser.signIn(server.uri(), "Ana"); SocketUser bo = SocketUser.signIn(server.uri(), "Bo")) {
            for (SocketUser who : java.util.List.of(ana, bo)) {
                who.request("{\"type\":\"join\",\"room\":\"" + room.value() + "\"}");
            }
            for (int i = 1; i <= 3; i++) {
                ana.request("{\"type\":\"send\",\"room\":\"" + room.value() + "\",\"text\":\"a" + i + "\",\"clientMsgId\":\"a-" + i + "\"}");
            }
            bo.request("{\"type\":\"send\",\"room\":\"" + room.value() + "\",\"text\":\"b\",\"clientMsgId\":\"b-1\"}");
        }
        try (Browser admin = new Browser(1366, 900); Browser phone = new Browser(390, 844)) {
            for (Browser b : java.util.List.of(admin, phone)) {
                b.open(server.uri().resolve("/admin"));
                logIn(b, PASSWORD);
                b.until(d -> bars(b, "#chart-messages").size() == 24 ? true : null);
            }
            java.util.List<Long> messages = bars(admin, "#chart-messages");
            java.util.List<Long> users = bars(admin, "#chart-users");
            assertEquals(4L, messages.stream().mapToLong(Long::longValue).sum(), "" + messages);
            assertEquals(4L, messages.get(23) + messages.get(22), "posted just now (an hour may have turned): " + messages);
            assertTrue(users.get(23) + users.get(22) >= 2, "Ana and Bo posted: " + users);
            admin.awaitContains("#chart-messages-caption", "Messages, Last 24 hours: 4");
            admin.awaitContains("#chart-users-caption", "Active users (who posted), Last 24 hours");
            assertTrue(admin.find("#chart-messages rect.bar:last-of-type title").getAttribute("textContent").contains("message"));
            admin.script("document.getElementById('charts-title').scrollIntoView()");
            admin.screenshot("admin-charts-24h");

            admin.click("#activity-range [data-range='7d']");
            admin.until(d -> bars(admin, "#chart-messages").size() == 28 ? true : null);
            assertEquals("true", admin.find("#activity-range [data-range='7d']").getAttribute("aria-pressed"));
            assertEquals(4L, bars(admin, "#chart-messages").stream().mapToLong(Long::longValue).sum());
            admin.awaitContains("#chart-messages-caption", "Last 7 days");
            admin.screenshot("admin-charts-7d");

            assertEquals(0L, phone.horizontalOverflow(), "the charts fit a phone");
            phone.script("document.getElementById('charts-title').scrollIntoView()");
            phone.screenshot("admin-charts-phone");
        }
    }
}
