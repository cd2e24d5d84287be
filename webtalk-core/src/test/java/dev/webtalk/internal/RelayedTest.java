package dev.webtalk.internal;

import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.OutboundFrame;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What one node publishes, another reads back exactly; anything else is refused, not misread. */
class RelayedTest {
    private static final RoomEvent KICK = new RoomEvent(RoomId.of("Room0001"), 42, RoomEvent.Kind.MEMBER_KICKED,
            Instant.ofEpochMilli(1_700_000_000_123L), 0, UserId.of("u-bo"));

    @Test
    void anEventWithItsPushesSurvivesTheTrip() {
        Relayed sent = new Relayed(KICK, List.of(
                new Relayed.Push(new OutboundFrame("{\"type\":\"moderation\",\"text\":\"ção 👍\"}"), false),
                new Relayed.Push(new OutboundFrame("{\"type\":\"member_left\"}"), true)));

        Relayed read = Relayed.decode(sent.encode());

        assertEquals(KICK, read.event());
        assertEquals(2, read.frames().size());
        assertEquals(sent.frames().get(0).frame().text(), read.frames().get(0).frame().text());
        assertEquals(sent.frames().get(0).frame().utf8(), read.frames().get(0).frame().utf8());
        assertEquals(true, read.frames().get(1).exceptUser());
    }

    @Test
    void anEventAboutNoUserAndWithoutPushesToo() {
        RoomEvent archived = new RoomEvent(RoomId.of("Room0001"), 1, RoomEvent.Kind.ROOM_ARCHIVED, Instant.EPOCH, 0, null);
        assertEquals(new Relayed(archived, List.of()), Relayed.decode(new Relayed(archived, List.of()).encode()));
    }

    @Test
    void bytesThatAreNotARelayedEventAreRefused() {
        byte[] good = new Relayed(KICK, List.of()).encode();
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);

        for (byte[] bad : List.of(otherVersion, truncated, trailing, new byte[0])) {
            assertThrows(IllegalArgumentException.class, () -> Relayed.decode(bad));
        }
    }
}
