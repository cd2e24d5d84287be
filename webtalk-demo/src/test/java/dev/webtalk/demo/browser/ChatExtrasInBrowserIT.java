package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What chat users expect beyond the basics: messages grouped by author, an image lightbox, pasting an
 * image to share it.
 */
class ChatExtrasInBrowserIT {
    @TempDir
    Path dataDir;
    @TempDir
    Path uploads;
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

    private static void join(Browser browser, String room, String name) {
        browser.click("#refresh-rooms");
        browser.click(".room-item[data-room-id='" + room + "']");
        browser.awaitText("#room-title", name);
    }

    private static String send(String room, String text, int n) {
        return "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + text + "\",\"clientMsgId\":\"x-" + n + "\"}";
    }

    /** For each message in the log, top down: its text, whether it is grouped, and whether its avatar and name show. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> log(Browser browser) {
        return (List<Map<String, Object>>) browser.script("""
                return [...document.querySelectorAll('#messages .message[data-seq]')].map((m) => {
                  const avatar = m.querySelector(':scope > .avatar');
                  const author = m.querySelector('.message-author');
                  return { text: m.querySelector('.message-text')?.textContent, grouped: m.classList.contains('grouped'),
                    avatar: !!avatar && getComputedStyle(avatar).visibility === 'visible' && avatar.getBoundingClientRect().height > 0,
                    author: author.getBoundingClientRect().width > 1 };
                });""");
    }

    @Test
    void consecutiveMessagesOfOneAuthorShareOneHeaderAndAvatar() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             SocketUser bo = SocketUser.signIn(server.uri(), "Bo")) {
            String room = ana.createRoom("Runs", null);
            bo.request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            bo.request(send(room, "one", 1));
            bo.request(send(room, "two", 2));
            bo.request(send(room, "three", 3));
            ana.awaitText(".message[data-seq] .message-text", "three");
            ana.say("mine");
            ana.awaitText(".message[data-seq].own .message-text", "mine");
            bo.request(send(room, "four", 4));
            ana.awaitText(".message[data-seq] .message-text", "four");

            List<Map<String, Object>> log = log(ana);
            assertEquals(List.of("one", "two", "three", "mine", "four"), log.stream().map(m -> m.get("text")).toList());
            assertEquals(List.of(false, true, true, false, false), log.stream().map(m -> m.get("grouped")).toList());
            assertEquals(Map.of("text", "one", "grouped", false, "avatar", true, "author", true), log.get(0));
            assertEquals(Map.of("text", "two", "grouped", true, "avatar", false, "author", false), log.get(1));
            assertEquals(Map.of("text", "four", "grouped", false, "avatar", true, "author", true), log.get(4));
            // The name is still there for screen readers.
            assertEquals("Bo", ana.script("return document.querySelectorAll('#messages .message.grouped .message-author')[0].textContent"));
            ana.screenshot("grouped-messages-desktop");
        }
    }

    private Path png(String name, int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x2f6fde));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xf5b400));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        Path file = uploads.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static String focused(Browser browser) {
        return (String) browser.script("const e = document.activeElement;"
                + " return e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + [...e.classList].join('.');");
    }

    /**
     * A click on a thumbnail opens the full image in a lightbox (on a desktop and on a phone), Escape
     * closes it and focus goes back to the thumbnail; the keyboard gets there through the message.
     */
    @Test
    void aThumbnailOpensTheFullImageInALightboxThatEscapeCloses() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Photos", null);
            join(bo, room, "Photos");
            ana.find("#attach-button");
            ana.until(d -> d.findElement(By.cssSelector("#file-input"))).sendKeys(png("harbour.png", 1600, 1000).toString());

            for (Browser who : List.of(ana, bo)) {
                who.until(d -> Boolean.TRUE.equals(who.script("const i = document.querySelector('img.thumbnail');"
                        + " return !!i && i.complete && i.naturalWidth === 1600")) ? true : null);
                who.click(".message.file .thumbnail-open");
                who.until(d -> d.findElement(By.id("lightbox")).isDisplayed() ? true : null);
                who.until(d -> Boolean.TRUE.equals(who.script("const i = document.getElementById('lightbox-image');"
                        + " return i.complete && i.naturalWidth === 1600")) ? true : null);
                who.awaitText("#lightbox-title", "harbour.png");
                Map<?, ?> box = (Map<?, ?>) who.script("""
                        const i = document.getElementById('lightbox-image').getBoundingClientRect();
                        const t = document.querySelector('img.thumbnail').getBoundingClientRect();
                        return { width: i.width, height: i.height, right: i.right, bottom: i.bottom, thumb: t.width,
                          vw: innerWidth, vh: innerHeight };""");
                double width = ((Number) box.get("width")).doubleValue();
                double height = ((Number) box.get("height")).doubleValue();
                assertTrue(width > ((Number) box.get("thumb")).doubleValue(), "larger than the thumbnail: " + box);
                assertTrue(width >= 0.85 * ((Number) box.get("vw")).doubleValue()
                        || height >= 0.8 * ((Number) box.get("vh")).doubleValue(), "as large as the window allows: " + box);
                assertTrue(((Number) box.get("right")).doubleValue() <= ((Number) box.get("vw")).doubleValue()
                        && ((Number) box.get("bottom")).doubleValue() <= ((Number) box.get("vh")).doubleValue(), "fits: " + box);
                who.screenshot(who == ana ? "lightbox-desktop" : "lightbox-phone");
                who.press(Keys.ESCAPE);
                who.until(d -> !d.findElement(By.id("lightbox")).isDisplayed() ? true : null);
                assertEquals("button.thumbnail-open", focused(who), "focus returns to the thumbnail");
            }

            // By keyboard: the message, Enter to its first control (the thumbnail), Enter to open.
            ana.script("document.querySelector('.message.file').focus()");
            ana.press(Keys.ENTER);
            assertEquals("button.thumbnail-open", focused(ana));
            ana.press(Keys.ENTER);
            ana.until(d -> d.findElement(By.id("lightbox")).isDisplayed() ? true : null);
            assertEquals("#lightbox-close", focused(ana));
            ana.press(Keys.ENTER);
            ana.until(d -> !d.findElement(By.id("lightbox")).isDisplayed() ? true : null);
            assertEquals("button.thumbnail-open", focused(ana));
        }
    }

    /** An image pasted into the composer (a screenshot, a copied picture) is shared like a chosen file; text pastes as text. */
    @Test
    void anImagePastedIntoTheComposerIsShared() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800)) {
            ana.createRoom("Screens", null);
            ana.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 48;
                    const g = canvas.getContext('2d'); g.fillStyle = '#2f6fde'; g.fillRect(0, 0, 64, 48);
                    canvas.toBlob((blob) => {
                      const data = new DataTransfer();
                      data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
                      const input = document.getElementById('composer-input');
                      input.focus();
                      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
                      done();
                    }, 'image/png');""");
            ana.awaitContains(".message.file .file-meta", "image.png");
            ana.until(d -> Boolean.TRUE.equals(ana.script("const i = document.querySelector('.message.file img.thumbnail');"
                    + " return !!i && i.complete && i.naturalWidth === 64")) ? true : null);
            assertEquals("", ana.find("#composer-input").getAttribute("value"), "nothing pasted as text");
            ana.screenshot("paste-image");
        }
    }

    /** The page's background as the theme left it: "dark" or "light". */
    private static String shownTheme(Browser browser) {
        return (String) browser.script("""
                const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                return r + g + b < 200 ? 'dark' : 'light';""");
    }

    /**
     * The theme switch in the top bar: light or dark whatever the system says, or the system's; the choice
     * is kept across a reload (on a desktop and on a phone, where it is a moon icon).
     */
    @Test
    void theThemeSwitchForcesLightOrDarkOrFollowsTheSystemAndIsRemembered() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            ana.colorScheme("light");
            assertEquals("light", shownTheme(ana));
            assertEquals("system", ana.find("#theme-switch").getAttribute("value"));
            new org.openqa.selenium.support.ui.Select(ana.find("#theme-switch")).selectByValue("dark");
            ana.until(d -> "dark".equals(shownTheme(ana)) ? true : null);
            ana.createRoom("Night", null);
            ana.say("dark mode on");
            ana.screenshot("theme-dark-desktop");

            ana.open(server.uri());
            ana.awaitText("#room-title", "Night");
            assertEquals("dark", ana.find("#theme-switch").getAttribute("value"), "remembered");
            ana.until(d -> "dark".equals(shownTheme(ana)) ? true : null);

            ana.colorScheme("dark");
            new org.openqa.selenium.support.ui.Select(ana.find("#theme-switch")).selectByValue("light");
            ana.until(d -> "light".equals(shownTheme(ana)) ? true : null);
            new org.openqa.selenium.support.ui.Select(ana.find("#theme-switch")).selectByValue("system");
            ana.until(d -> "dark".equals(shownTheme(ana)) ? true : null);
            assertEquals(null, ana.script("return localStorage.getItem('webtalk.theme')"), "system is no stored choice");

            // On a phone the switch is a moon in the top bar, a select under it.
            bo.colorScheme("light");
            Map<?, ?> moon = (Map<?, ?>) bo.script("""
                    const r = document.querySelector('.top-theme').getBoundingClientRect();
                    return { width: r.width, right: r.right };""");
            assertTrue(((Number) moon.get("width")).doubleValue() <= 40 && ((Number) moon.get("right")).doubleValue() <= 390, "" + moon);
            // The select is transparent over the icon (what a tap opens); pick as the tap would.
            bo.script("const s = document.getElementById('theme-switch'); s.value = 'dark';"
                    + " s.dispatchEvent(new Event('change'));");
            bo.until(d -> "dark".equals(shownTheme(bo)) ? true : null);
            assertEquals(0L, bo.horizontalOverflow());
            bo.screenshot("theme-dark-phone");
        }
    }

    /** Two rooms of the same name say whose they are in the list (on a phone); every room names its owner on hover. */
    @Test
    void roomsOfTheSameNameAreToldApartByTheirOwner() {
        String ana = server.chat().createRoom(dev.webtalk.Principal.user("u-ana", "Ana"), "General", null).id().value();
        String bo = server.chat().createRoom(dev.webtalk.Principal.user("u-bo", "Bo"), "general", null).id().value();
        String other = server.chat().createRoom(dev.webtalk.Principal.user("u-bo", "Bo"), "Books", null).id().value();
        try (Browser cy = Browser.signedIn(server.uri(), "Cy", 390, 844)) {
            cy.click("#refresh-rooms");
            cy.awaitContains(".room-item[data-room-id='" + ana + "'] .room-owner", "by Ana");
            cy.awaitContains(".room-item[data-room-id='" + bo + "'] .room-owner", "by Bo");
            assertEquals(0, cy.all(".room-item[data-room-id='" + other + "'] .room-owner").size(), "a name of its own needs no owner line");
            assertEquals("Books · by Bo · #" + other,
                    cy.find(".room-item[data-room-id='" + other + "'] .room-open").getAttribute("title"));
            assertEquals("General · by Ana · #" + ana,
                    cy.find(".room-item[data-room-id='" + ana + "'] .room-open").getAttribute("title"));
            assertEquals(0L, cy.horizontalOverflow());
            cy.screenshot("rooms-same-name-phone");

            cy.type("#create-room-name", "Books");
            cy.click("#create-room-submit");
            cy.awaitText("#room-title", "Books");
            cy.click("#back-to-rooms");
            String mine = cy.until(d -> d.findElements(By.cssSelector(".room-item[data-room-id]")).stream()
                    .map(e -> e.getAttribute("data-room-id")).filter(id -> !List.of(ana, bo, other).contains(id))
                    .findFirst().orElse(null));
            cy.awaitContains(".room-item[data-room-id='" + mine + "'] .room-owner", "yours");
            cy.awaitContains(".room-item[data-room-id='" + other + "'] .room-owner", "by Bo");
        }
    }
}
