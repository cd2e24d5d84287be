package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.spi.ChatListener;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The "a bot that answers /help" example from README.md, kept compiling and working. */
class HelpBotExampleTest extends ChatTestSupport {

    // --- README example starts here ---
    /** Answers "/help" in any room with a system message. */
    static final class HelpBot implements ChatListener {
        private volatile WebTalk chat;

        void attach(WebTalk chat) {
            this.chat = chat;
        }

        @Override
        public void onEvent(ChatEvent event) {
            // Only users' text: the bot's own SYSTEM answers must never trigger it again.
            if (event instanceof ChatEvent.MessagePosted posted
                    && posted.message().kind() == MessageKind.TEXT
                    && "/help".equals(posted.message().text().strip())) {
                // Async: the listener thread serves every room and must not wait for the store.
                chat.postSystemMessageAsync(posted.message().roomId(),
                                "Commands: /help. Be kind; moderators can mute and ban.")
                        .exceptionally(failure -> null); // e.g. the room was deleted or archived meanwhile
            }
        }
    }
    // --- README example ends here ---

    @Test
    void helpIsAnsweredToEveryoneInTheRoomInOrder() {
        // --- README wiring starts here ---
        HelpBot bot = new HelpBot();
        WebTalk chat = start(builder(Limits.defaults()).listener(bot)); // README: WebTalk.builder().store(…).listener(bot).build()
        bot.attach(chat);
        // --- README wiring ends here ---
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);

        long asked = say(bo, room, " /help ");

        for (TestClient c : List.of(ana, bo)) {
            JsonNode answer = c.connection().awaitFrame(f -> "message".equals(f.path("type").asText())
                    && "system".equals(f.path("message").path("kind").asText())).path("message");
            assertEquals(asked + 1, answer.path("seq").asLong(), "the answer follows the question");
            assertEquals("Commands: /help. Be kind; moderators can mute and ban.", answer.path("text").asText());
        }
    }

    @Test
    void otherTextAndSystemMessagesAreIgnored() {
        HelpBot bot = new HelpBot();
        WebTalk chat = start(builder(Limits.defaults()).listener(bot));
        bot.attach(chat);
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        RoomId id = RoomId.of(room);

        // Straight to the bot: posting is asynchronous, but it enters the room's lane before onEvent returns,
        // so the barrier message below is stored after anything the bot posted.
        bot.onEvent(new ChatEvent.MessagePosted(new Message(id, 1, WebTalk.SYSTEM_USER, "Server",
                MessageKind.SYSTEM, "/help", null, Instant.EPOCH, null)));
        bot.onEvent(new ChatEvent.MessagePosted(new Message(id, 1, UserId.of("u-ana"), "Ana",
                MessageKind.TEXT, "how do I get /help?", null, Instant.EPOCH, null)));
        chat.postSystemMessage(id, "barrier");

        assertEquals(List.of("barrier"), store.appendedMessages().stream().map(Message::text).toList());
    }
}
