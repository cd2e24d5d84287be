package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every text of a conversation with shared files and join notices, in light and in dark mode, passes WCAG
 * AA contrast (4.5:1, 3:1 for large text), measured from the computed styles in the page: the captions of
 * files in my own (accent-coloured) messages and the notices' times were the ones that did not.
 */
class ContrastInBrowserIT {
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

    private static void attach(Browser browser, Path file) {
        browser.find("#attach-button");
        browser.until(d -> d.findElement(By.cssSelector("#file-input"))).sendKeys(file.toAbsolutePath().toString());
    }

    @Test
    void ownFileCaptionsNoticeTimesAndEveryOtherTextPassAaInLightAndDarkMode() throws Exception {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x2f6fde));
        g.fillRect(0, 0, 120, 80);
        g.dispose();
        Path png = uploads.resolve("beach.png");
        ImageIO.write(image, "png", png.toFile());
        Path pdf = Files.write(uploads.resolve("Menu.pdf"),
                "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 1366, 800);
             Browser bo = Browser.signedIn(server.uri(), "Bo", 390, 844)) {
            String room = ana.createRoom("Holiday", null);
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + room + "']");
            bo.awaitText("#room-title", "Holiday");
            ana.awaitContains(".notice", "Bo joined the room");
            ana.say("Photos from the trip");
            attach(ana, png);
            attach(ana, pdf);
            ana.awaitContains(".message.own .file-meta", "Menu.pdf");
            ana.awaitContains(".message.own .file-meta", "beach.png");
            bo.awaitContains(".message .file-meta", "Menu.pdf");
            bo.say("Lovely!");
            ana.awaitText(".message .message-text", "Lovely!");

            for (String scheme : List.of("light", "dark")) {
                for (Browser who : List.of(ana, bo)) {
                    who.colorScheme(scheme);
                    who.until(d -> scheme.equals(who.script(
                            "return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'")) ? true : null);
                    // Buttons fade to the new colours: measure once the transitions are over.
                    who.until(d -> Boolean.TRUE.equals(who.script("return document.getAnimations()"
                            + ".every((a) => !(a instanceof CSSTransition) || a.playState === 'finished')")) ? true : null);
                    List<String> low = who.lowContrastTexts("#app");
                    assertEquals(List.of(), low, scheme + " mode, " + (who == ana ? "Ana (desktop)" : "Bo (phone)"));
                }
                ana.screenshot("contrast-files-" + scheme);
                bo.screenshot("contrast-files-phone-" + scheme);
            }
        }
    }
}
