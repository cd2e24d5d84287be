package dev.webtalk;

import dev.webtalk.store.memory.InMemoryChatStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebTalkBuilderTest {

    @Test
    void theStoreIsRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WebTalk.builder().build());
        assertTrue(e.getMessage().contains("store"), e.getMessage());
    }

    @Test
    void settersFailFast() {
        WebTalk.Builder builder = WebTalk.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.roomThreads(0));
        assertThrows(IllegalArgumentException.class, () -> builder.passwordIterations(0));
        assertThrows(NullPointerException.class, () -> builder.store(null));
        assertThrows(NullPointerException.class, () -> builder.clock(null));
        assertThrows(NullPointerException.class, () -> builder.limits(null));
    }

    @Test
    void buildOnlyOnce() {
        WebTalk.Builder builder = WebTalk.builder().store(new InMemoryChatStore()).roomThreads(1);
        try (WebTalk chat = builder.build()) {
            assertEquals(Limits.defaults(), chat.limits());
            assertThrows(IllegalStateException.class, builder::build);
        }
    }
}
