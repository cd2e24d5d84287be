package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo UI in real headless Chromium windows against a real demo server. */
class ChatInBrowserIT {
    @TempDir
    Path dataDir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoConfig(0, dataDir));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void twoUsersChatAndEachSeesTheOthersMessagesLive() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            String room = ana.createRoom("General", null);
            bo.click("#refresh-rooms");
            bo.click(".room-item[data-room-id='" + room + "']");
            bo.awaitText("#room-title", "General");
            ana.awaitContains("#member-list .member", "Bo");

            ana.say("Hello Bo <b>not bold</b>");
            WebElement received = bo.awaitText(".message .message-text", "Hello Bo <b>not bold</b>");
            assertTrue(received.findElements(org.openqa.selenium.By.tagName("b")).isEmpty(),
                    "user text is shown as text, never as HTML");
            bo.say("Hi Ana!");
            ana.awaitText(".message .message-text", "Hi Ana!");
            ana.screenshot("chat-desktop-ana");
            bo.screenshot("chat-desktop-bo");

            // Soft delete: Ana removes her message, Bo sees it go.
            WebElement mine = ana.awaitText(".message .message-text", "Hello Bo <b>not bold</b>");
            String seq = (String) ana.script("return arguments[0].closest('.message').dataset.seq", mine);
            ana.script("arguments[0].closest('.message').querySelector('.message-delete').click()", mine);
            if (!ana.all("#confirm-ok").isEmpty() && ana.all("#confirm-ok").get(0).isDisplayed()) {
                ana.click("#confirm-ok");
            }
            bo.find(".message.deleted[data-seq='" + seq + "']");
            assertEquals(0, bo.all(".message[data-seq='" + seq + "'] .message-text").stream()
                    .filter(e -> e.getText().contains("Hello Bo")).count());
        }
    }

    /**
     * Joins that arrive together are announced in one {@code members_joined} push; the page must show
     * every one of those users, as it does for {@code member_joined}.
     */
    @Test
    void everyUserOfABurstOfJoinsAppearsInTheMemberList() throws Exception {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana")) {
            String room = ana.createRoom("Crowd", null);
            try (SocketUser watcher = SocketUser.signIn(server.uri(), "Watcher")) {
                watcher.request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
                List<SocketUser> crowd = new ArrayList<>();
                try {
                    // The server batches opportunistically (joins already queued behind one another),
                    // so a burst is tried until the watcher has seen one batch; once is the usual case.
                    for (int burst = 0; burst < 5 && watcher.framesOfType("members_joined").isEmpty(); burst++) {
                        List<SocketUser> wave = new ArrayList<>();
                        for (int i = 0; i < 12; i++) {
                            wave.add(SocketUser.signIn(server.uri(), "Guest " + burst + "-" + i));
                        }
                        crowd.addAll(wave);
                        List<CompletableFuture<JsonNode>> joins = new ArrayList<>();
                        for (SocketUser user : wave) {
                            joins.add(user.send("{\"type\":\"join\",\"room\":\"" + room + "\"}"));
                        }
                        for (CompletableFuture<JsonNode> join : joins) {
                            assertEquals("result", join.get(15, TimeUnit.SECONDS).path("type").asText());
                        }
                        watcher.request("{\"type\":\"ping\"}"); // answered after every notice before it
                    }
                    assertFalse(watcher.framesOfType("members_joined").isEmpty(), "no burst was batched");
                    for (SocketUser user : crowd) {
                        ana.awaitContains("#member-list .member", user.name());
                    }
                    ana.screenshot("chat-burst-of-joins");
                } finally {
                    crowd.forEach(SocketUser::close);
                }
            }
        }
    }

    @Test
    void aPasswordRoomRefusesAWrongPasswordAndAdmitsTheRightOne() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana"); Browser bo = Browser.signedIn(server.uri(), "Bo")) {
            String room = ana.createRoom("Secret club", "open sesame");
            bo.click("#refresh-rooms");
            WebElement item = bo.find(".room-item[data-room-id='" + room + "']");
            assertEquals(1, item.findElements(org.openqa.selenium.By.cssSelector(".room-lock")).size(),
                    "a protected room shows its lock");
            item.click();
            bo.type("#password-input", "guess");
            bo.click("#password-submit");
            assertTrue(bo.find("#password-error").getText().length() > 0, "the wrong password is explained");
            bo.screenshot("password-refused");
            bo.type("#password-input", "open sesame");
            bo.click("#password-submit");
            bo.awaitText("#room-title", "Secret club");
        }
    }

    @Test
    void theChatFitsAPhoneScreenWithoutHorizontalScrolling() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana", 375, 740)) {
            ana.screenshot("rooms-375");
            ana.createRoom("Phone room", null);
            ana.say("A long line without spaces: " + "abcdefghij".repeat(20));
            ana.awaitContains(".message .message-text", "abcdefghij");
            ana.screenshot("chat-375");
            assertEquals(0L, ana.horizontalOverflow(), "no horizontal scroll at 375 px");
        }
    }

    @Test
    void theAppIsInstallableAndItsServiceWorkerCachesTheShellButNeverMessages() {
        try (Browser ana = Browser.signedIn(server.uri(), "Ana")) {
            ana.createRoom("Offline-proof", null);
            ana.say("this text must not be cached");
            ana.awaitText(".message .message-text", "this text must not be cached");
            String manifest = (String) ana.script("return document.querySelector('link[rel=manifest]').href");
            assertTrue(manifest.endsWith("/manifest.webmanifest"), manifest);

            Object state = ana.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.serviceWorker.ready
                      .then(async (reg) => {
                        const cache = await caches.open('webtalk-shell-v2');
                        const urls = (await cache.keys()).map((r) => new URL(r.url).pathname);
                        done({ active: !!reg.active, urls });
                      })
                      .catch((e) => done({ error: String(e) }));
                    """);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> result = (java.util.Map<String, Object>) state;
            assertEquals(Boolean.TRUE, result.get("active"), String.valueOf(result));
            @SuppressWarnings("unchecked")
            java.util.List<String> urls = (java.util.List<String>) result.get("urls");
            assertTrue(urls.contains("/js/app.js"), "the shell is cached: " + urls);
            assertTrue(urls.contains("/webtalk/client.js"), "with the client it imports: " + urls);
            assertTrue(urls.stream().noneMatch(u -> u.startsWith("/api/") || u.equals("/ws")),
                    "no API answer or message is cached: " + urls);
        }
    }
}
