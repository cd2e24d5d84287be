package dev.webtalk.readme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WelcomeTest {
    @Test
    void aMessageReachesEveryoneInTheRoom() {
        try (WebTalk chat = WebTalk.builder().store(new InMemoryChatStore()).build()) {
            TestClient ana = TestClient.connect(chat, Principal.user("u-ana", "Ana"));
            TestClient bo = TestClient.connect(chat, Principal.user("u-bo", "Bo"));
            String room = ana.ok("create_room", "name", "General").path("room").path("id").asText();
            ana.ok("join", "room", room);
            bo.ok("join", "room", room);

            ana.ok("send", "room", room, "text", "Welcome, Bo!");

            JsonNode pushed = bo.connection().awaitFrame(FakeConnection.ofType("message"));
            assertEquals("Welcome, Bo!", pushed.path("message").path("text").asText());
            assertEquals("Ana", pushed.path("message").path("author").path("name").asText());
        }
    }
}
