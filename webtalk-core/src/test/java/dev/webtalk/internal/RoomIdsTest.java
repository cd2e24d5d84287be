package dev.webtalk.internal;

import dev.webtalk.RoomId;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomIdsTest {
    private final RoomIds ids = new RoomIds();

    @Test
    void idsAreEightBase62Characters() {
        for (int i = 0; i < 1000; i++) {
            String id = ids.next().value();
            assertEquals(RoomIds.LENGTH, id.length());
            assertTrue(id.matches("[0-9A-Za-z]{8}"), id);
        }
    }

    @Test
    void idsDoNotRepeatAndUseTheWholeAlphabet() {
        Set<RoomId> seen = new HashSet<>();
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            RoomId id = ids.next();
            assertTrue(seen.add(id), "repeated " + id);
            id.value().chars().forEach(c -> chars.add((char) c));
        }
        assertEquals(62, chars.size());
    }
}
