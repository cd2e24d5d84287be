package dev.webtalk.demo.browser;

import dev.webtalk.demo.DemoConfig;
import dev.webtalk.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The UI follows the browser's language (Brazilian Portuguese here) and its language switch. */
class LanguageInBrowserIT {
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
    void aPortugueseBrowserGetsPortugueseAndTheSwitchFlipsToEnglishAndBack() {
        try (Browser bia = new Browser(1280, 800, "pt-BR")) {
            bia.open(server.uri());
            bia.awaitText("#auth-title", "Boas-vindas ao WebTalk");
            bia.awaitText("#name-submit", "Começar a conversar");
            assertEquals("pt-BR", bia.script("return document.documentElement.lang"));
            bia.screenshot("auth-pt-BR");

            // Empty names are refused in the chosen language too.
            bia.click("#name-submit");
            bia.awaitText("#name-error", "Digite um nome.");

            // On the name prompt: to English and back.
            new Select(bia.find("#auth-language-switch")).selectByValue("en");
            bia.awaitText("#auth-title", "Welcome to WebTalk");
            assertEquals("en", bia.script("return document.documentElement.lang"));
            new Select(bia.find("#auth-language-switch")).selectByValue("pt-BR");
            bia.awaitText("#auth-title", "Boas-vindas ao WebTalk");

            bia.type("#name-input", "Bia");
            bia.click("#name-submit");
            bia.awaitText("#rooms-heading", "Salas");
            bia.until(d -> bia.find("#connection-state").getAttribute("data-state").equals("connected"));
            bia.awaitText("#connection-label", "Conectado");
            assertEquals("pt-BR", new Select(bia.find("#language-switch")).getFirstSelectedOption().getAttribute("value"));

            bia.type("#create-room-name", "Geral");
            bia.click("#create-room-submit");
            bia.awaitText("#room-title", "Geral");
            bia.awaitText("#room-meta", "1 membro · 1 online");
            bia.awaitText("#history-status", "Nenhuma mensagem ainda. Diga olá!");
            bia.type("#composer-input", "Olá!");
            bia.click("#composer-send");
            bia.awaitText(".message[data-seq] .message-text", "Olá!");
            bia.screenshot("chat-pt-BR");

            // The switch in the top bar re-renders what is on screen, keeps the messages, and sticks.
            new Select(bia.find("#language-switch")).selectByValue("en");
            bia.awaitText("#rooms-heading", "Rooms");
            bia.awaitText("#room-meta", "1 member · 1 online");
            bia.awaitText("#connection-label", "Connected");
            bia.awaitText("#create-room-submit", "Create room");
            assertEquals("Write a message…", bia.find("#composer-input").getAttribute("placeholder"));
            assertEquals("en", bia.script("return document.documentElement.lang"));
            bia.awaitText(".message[data-seq] .message-text", "Olá!");

            bia.open(server.uri());
            bia.awaitText("#rooms-heading", "Rooms");
            assertEquals("en", bia.script("return localStorage.getItem('webtalk.lang')"));
        }
    }
}
