package dev.webtalk;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

    @Test
    void aBuilderLeftAloneGivesTheDefaults() {
        assertEquals(Limits.defaults(), Limits.builder().build());
        assertEquals(2000, Limits.defaults().maxMessageChars());
        assertEquals(RateLimit.perSecond(20, 5), Limits.defaults().messageRate());
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        Limits base = Limits.builder().maxPins(3).joinHistory(10).build();
        Limits changed = base.toBuilder().maxRooms(7).build();

        assertEquals(7, changed.maxRooms());
        assertEquals(3, changed.maxPins());
        assertEquals(10, changed.joinHistory());
        assertEquals(10_000, base.maxRooms(), "the original is untouched");
        assertEquals(base, base.toBuilder().build());
        assertNotEquals(base, changed);
    }

    @Test
    void aSetterRefusesABadValueAtOnceNamingTheOption() {
        Limits.Builder builder = Limits.builder();
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> builder.maxFrameBytes(100));
        assertEquals("maxFrameBytes must be >= 1024, was 100", tooSmall.getMessage());

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> builder.passwordLockout(Duration.ofSeconds(-1)));
        assertEquals("passwordLockout must be >= 0, was PT-1S", negative.getMessage());

        NullPointerException missing = assertThrows(NullPointerException.class, () -> builder.messageRate(null));
        assertEquals("messageRate must not be null", missing.getMessage());

        assertEquals(Limits.defaults(), builder.build(), "a refused value leaves the builder as it was");
    }

    @Test
    void everySetterRefusesNegativesAndNulls() throws Exception {
        for (Method setter : Limits.Builder.class.getDeclaredMethods()) {
            if (setter.getReturnType() != Limits.Builder.class || setter.getParameterCount() != 1) {
                continue;
            }
            Class<?> type = setter.getParameterTypes()[0];
            Object bad = type == int.class ? -1 : null;
            Throwable thrown = assertThrows(InvocationTargetException.class,
                    () -> setter.invoke(Limits.builder(), bad), setter.getName()).getCause();
            assertTrue(thrown instanceof IllegalArgumentException || thrown instanceof NullPointerException,
                    setter.getName() + " threw " + thrown);
            assertTrue(thrown.getMessage().startsWith(setter.getName() + " must "),
                    setter.getName() + ": " + thrown.getMessage());
        }
    }

    @Test
    void joinHistoryBeyondAHistoryPageFailsAtBuild() {
        Limits.Builder builder = Limits.builder().historyPageMax(20).joinHistory(21);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("joinHistory must be <= historyPageMax (20), was 21", e.getMessage());
        assertEquals(20, builder.joinHistory(20).build().joinHistory());
    }

    @Test
    void defaultsAreOneSharedValue() {
        assertSame(Limits.defaults(), Limits.defaults());
        assertTrue(Limits.defaults().toString().contains("maxRoomsPerUser=100"));
    }
}
