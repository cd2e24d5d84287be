package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharing files in the browser: upload with the attach button, previews and downloads for the others. */
class FilesInBrowserIT {
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
        server.close();
    }

    private static void join(Browser browser, String room, String name) {
        browser.click("#refresh-rooms");
        browser.click(".room-item[data-room-id='" + room + "']");
        browser.awaitText("#room-title", name);
    }

    /** Picks a file with the attach button's file input (what the file chooser would do). */
    private static void attach(Browser browser, Path file) {
        browser.find("#attach-button");
        browser.until(d -> d.findElement(By.cssSelector("#file-input"))).sendKeys(file.toAbsolutePath().toString());
    }

    private Path png(String name, int width, int height) throws IOException {
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

    private long storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve(DemoServer.ATTACHMENTS_DIR))) {
            return files.count();
        }
    }

    @Test
    void anaUploadsAnImageAndBoSeesItsPreview() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            String room = ana.createRoom("Photos", null);
            join(bo, room, "Photos");
            ana.awaitContains("#member-list .member", "Bo");

            attach(ana, png("sunset.png", 160, 100));

            WebElement thumbnail = bo.find(".message.file .message-file img.thumbnail");
            bo.until(d -> (Boolean) bo.script(
                    "return arguments[0].complete && arguments[0].naturalWidth === 160", thumbnail));
            assertTrue(thumbnail.getAttribute("src").startsWith("blob:"), thumbnail.getAttribute("src"));
            assertEquals("sunset.png", thumbnail.getAttribute("alt"));
            bo.awaitContains(".message.file .file-meta", "sunset.png");
            ana.find(".message.file .message-file img.thumbnail");
            bo.screenshot("files-image-preview-bo");
            assertEquals(1, storedFiles());
        }
    }

    /** How far the log is from its bottom, in CSS pixels, once its images have loaded. */
    private static double distanceFromBottom(Browser browser) {
        browser.until(d -> Boolean.TRUE.equals(browser.script("return [...document.querySelectorAll('img.thumbnail')]"
                + ".every((i) => i.complete && i.naturalWidth > 0)")) ? true : null);
        // Two frames: whatever reacts to the new size has run.
        browser.asyncScript("const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done(null)))");
        return ((Number) browser.script("const l = document.getElementById('message-list');"
                + " return l.scrollHeight - l.scrollTop - l.clientHeight")).doubleValue();
    }

    /**
     * A thumbnail grows from its placeholder to the image's size once its bytes arrive: a log that was at
     * its bottom stays there, for the sender on a desktop and a receiver on a phone (they ended 86–112 px
     * short of it, with no "Jump to latest" to say so).
     */
    @Test
    void anImageMessageLeavesSenderAndReceiverAtTheBottomOnceItsThumbnailLoads() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Snapshots", null);
            join(bo, room, "Snapshots");
            for (int i = 1; i <= 14; i++) {
                ana.say("message number " + i + " to fill the screen");
            }
            bo.awaitText(".message .message-text", "message number 14 to fill the screen");
            ana.awaitText(".message[data-seq] .message-text", "message number 14 to fill the screen");

            attach(ana, png("tall.png", 300, 400));
            for (Browser who : java.util.List.of(ana, bo)) {
                who.find(".message.file .message-file img.thumbnail");
                double gap = distanceFromBottom(who);
                assertTrue(gap <= 2, (who == ana ? "the sender" : "the receiver") + " is " + gap + " px above the bottom");
                assertTrue(who.all("#jump-latest").get(0).getAttribute("hidden") != null, "nothing to jump to");
            }
            ana.screenshot("files-image-at-bottom-desktop");
            bo.screenshot("files-image-at-bottom-phone");

            // A reader scrolled up stays where they were: the log does not jump to the newest image.
            bo.script("document.getElementById('message-list').scrollTop = 0");
            bo.find("#jump-latest");
            attach(ana, png("wide.png", 400, 200));
            ana.until(d -> d.findElements(By.cssSelector(".message.file img.thumbnail")).size() == 2 ? true : null);
            bo.until(d -> d.findElements(By.cssSelector(".message.file img.thumbnail")).size() == 2 ? true : null);
            assertTrue(distanceFromBottom(bo) > 200, "the scrolled-up reader was not moved");
            assertTrue(distanceFromBottom(ana) <= 2, "the sender follows their own image");
        }
    }

    /**
     * On a phone an error toast (here a refused upload) stays clear of the composer and of the room
     * header's buttons: it covered the composer for its 6 s.
     */
    @Test
    void onAPhoneAToastLeavesTheComposerAndTheHeaderFree() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 390, 844)) {
            ana.createRoom("Drafts", null);
            Path svg = Files.writeString(uploads.resolve("logo.png"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            attach(ana, svg);
            attach(ana, svg); // two stacked toasts
            ana.until(d -> d.findElements(By.cssSelector("#toast .toast[data-code='unsupported_type']")).size() == 2 ? true : null);
            // Where the toasts end up once their entry animation is over.
            ana.until(d -> Boolean.TRUE.equals(ana.script("return document.getAnimations().every((a) => a.playState === 'finished'"
                    + " || !a.effect || !a.effect.target || !a.effect.target.closest || !a.effect.target.closest('#toast'))")) ? true : null);
            @SuppressWarnings("unchecked")
            java.util.List<String> covered = (java.util.List<String>) ana.script("""
                    const toasts = [...document.querySelectorAll('#toast .toast')].map((t) => t.getBoundingClientRect());
                    const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                    return ['#composer', '#composer-input', '#composer-send', '#attach-button', '#back-to-rooms', '#room-title',
                      '#room-menu-toggle', '#toggle-members']
                      .filter((css) => { const r = document.querySelector(css).getBoundingClientRect();
                        return toasts.some((t) => meet(t, r)); });""");
            assertEquals(java.util.List.of(), covered, "what the toasts cover");
            assertEquals("composer-input", ana.script("const r = document.getElementById('composer-input').getBoundingClientRect();"
                    + " return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).id"), "the composer takes taps");
            Number bottom = (Number) ana.script("return Math.max(...[...document.querySelectorAll('#toast .toast')]"
                    + ".map((t) => t.getBoundingClientRect().bottom))");
            assertTrue(bottom.doubleValue() <= 844, "on screen");
            ana.say("still typing while the toast shows");
            ana.awaitText(".message[data-seq] .message-text", "still typing while the toast shows");
            ana.screenshot("toast-phone");
        }
    }

    @Test
    void aPdfIsOfferedAsADownloadAndAnSvgIsRefusedWithItsCode() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            String room = ana.createRoom("Papers", null);
            join(bo, room, "Papers");
            Path pdf = Files.write(uploads.resolve("Report 2024.pdf"),
                    "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            Path svg = Files.writeString(uploads.resolve("logo.png"),
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");

            attach(ana, pdf);
            WebElement link = bo.find(".message.file .message-file a.download");
            assertEquals("Download Report 2024.pdf", link.getText().strip());

            attach(ana, svg);
            ana.find("#toast .toast[data-code='unsupported_type']");
            assertEquals(1, storedFiles());
            ana.screenshot("files-refused-svg-ana");
        }
    }
}
