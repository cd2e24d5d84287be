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
