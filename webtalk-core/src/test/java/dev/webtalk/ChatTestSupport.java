package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.MutableClock;
import dev.webtalk.testing.RecordingChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts an engine on an in-memory store and a {@link MutableClock}, connects {@link TestClient}s to
 * it over the text protocol, and closes it after each test.
 */
abstract class ChatTestSupport {
    protected final MutableClock clock = MutableClock.create();
    protected final RecordingChatStore store = new RecordingChatStore(new InMemoryChatStore());
    protected WebTalk chat;
    private final List<TestClient> clients = new ArrayList<>();

    protected WebTalk start() {
        return start(Limits.defaults());
    }

    /**
     * Starts the engine. The clock stands still in these tests, so the default per-user rate limits are
     * replaced by unreachable ones; a test about rate limits sets its own rates, which are kept.
     */
    protected WebTalk start(Limits limits) {
        return start(builder(limits));
    }

    /** A builder with this test's store, clock and (see {@link #start(Limits)}) limits, for extra options. */
    protected WebTalk.Builder builder(Limits limits) {
        Limits defaults = Limits.defaults();
        if (limits.messageRate().equals(defaults.messageRate())) {
            limits = limits.toBuilder().messageRate(UNTHROTTLED).build();
        }
        if (limits.joinRate().equals(defaults.joinRate())) {
            limits = limits.toBuilder().joinRate(UNTHROTTLED).build();
        }
        if (limits.requestRate().equals(defaults.requestRate())) {
            limits = limits.toBuilder().requestRate(UNTHROTTLED).build();
        }
        return WebTalk.builder()
                .store(store)
                .clock(clock)
                .limits(limits)
                .roomThreads(2)
                .passwordIterations(1000);
    }

    /** A rate no test reaches. */
    protected static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, java.time.Duration.ofNanos(1));

    /** Starts the engine from a builder made by {@link #builder(Limits)}. */
    protected WebTalk start(WebTalk.Builder builder) {
        chat = builder.build();
        return chat;
    }

    @AfterEach
    void closeEngine() {
        store.release();
        if (chat != null) {
            chat.close();
        }
    }

    /** Connects a plain user (starting the engine with defaults if a test did not start it). */
    protected TestClient connect(String id, String name) {
        return connect(Principal.user(id, name));
    }

    protected TestClient connect(Principal principal) {
        if (chat == null) {
            start();
        }
        TestClient client = TestClient.connect(chat, principal);
        clients.add(client);
        return client;
    }

    /** Creates a room over the protocol and returns its id. */
    protected static String createRoom(TestClient owner, String name) {
        return owner.ok("create_room", "name", name).path("room").path("id").asText();
    }

    /** Creates a password room over the protocol and returns its id. */
    protected static String createRoom(TestClient owner, String name, String password) {
        return owner.ok("create_room", "name", name, "password", password).path("room").path("id").asText();
    }

    /** Sends a message that must be accepted and returns its seq. */
    protected static long say(TestClient client, String room, String text) {
        return client.ok("send", "room", room, "text", text).path("message").path("seq").asLong();
    }

    /** The {@code seq}s of the given message frames or message objects. */
    protected static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream()
                .map(m -> m.has("message") ? m.get("message") : m)
                .map(m -> m.path("seq").asLong())
                .toList();
    }
}
