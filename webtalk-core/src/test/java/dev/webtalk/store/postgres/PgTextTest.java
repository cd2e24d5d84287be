package dev.webtalk.store.postgres;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Strings PostgreSQL's text cannot hold round-trip; the rest are stored as they are. */
class PgTextTest {

    @Test
    void ordinaryTextIsStoredAsItIs() {
        String text = "Hi 👋🏽 'quotes\" ; DROP TABLE messages; -- \\ tab\t";
        assertSame(text, PgText.encode(text));
        assertSame(text, PgText.decode(text));
        assertNull(PgText.encode(null));
        assertNull(PgText.decode(null));
    }

    @Test
    void nulAndTheEscapeCharacterRoundTripAndNoNulIsStored() {
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'\u0000', '\u0001', '0', '1', 'a', '\\'};
        for (int i = 0; i < 5000; i++) {
            char[] chars = new char[random.nextInt(8)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(chars);
            String stored = PgText.encode(s);
            assertFalse(stored.indexOf('\u0000') >= 0, "a NUL stored for " + s.chars().boxed().toList());
            assertEquals(s, PgText.decode(stored));
        }
        assertNotEquals(PgText.encode("\u0000"), PgText.encode("\u00010"), "two strings, one stored form");
    }
}
