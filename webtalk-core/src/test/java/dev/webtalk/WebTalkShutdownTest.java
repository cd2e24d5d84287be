package dev.webtalk;

import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.testing.FakeConnection;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebTalk#close()}: connections, pending writes, the store. */
class WebTalkShutdownTest extends ChatTestSupport {

    @Test
    void closeClosesEveryConnectionWith1001AndTheStore() {
        TestClient ana = connect("u-ana", "Ana");
        TestClient bo = connect("u-bo", "Bo");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);

        chat.close();

        assertEquals(CloseCodes.GOING_AWAY, ana.connection().awaitClose());
        assertEquals(CloseCodes.GOING_AWAY, bo.connection().awaitClose());
        assertEquals(0, chat.connectionCount());
        assertTrue(store.isClosed());
        chat.close(); // idempotent
        assertEquals(1, ana.connection().closeCalls());
    }

    @Test
    void closeCommitsEveryAcceptedWrite() throws Exception {
        TestClient ana = connect("u-ana", "Ana");
        String room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        int count = 200;

        store.hold();
        for (int i = 1; i <= count; i++) {
            ana.tell("send", "room", room, "text", "m" + i);
        }
        // Room work runs in order: once this answers, every send above has been handed to the writer.
        ana.ok("typing", "room", room);
        store.awaitHeld(Duration.ofSeconds(5));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(chat::close);
        assertEquals(CloseCodes.GOING_AWAY, ana.connection().awaitClose());
        assertFalse(closing.isDone(), "close waits for the writer");
        store.release();
        closing.get();

        assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                store.appendedMessages().stream().map(Message::seq).toList());
        assertEquals("m" + count, store.appendedMessages().get(count - 1).text());
    }

    @Test
    void aConnectionAfterCloseIsRefusedWith4002() {
        start();
        chat.close();

        TestClient late = TestClient.connect(chat, Principal.user("u-late", "Late"));

        assertEquals(CloseCodes.ENGINE_CLOSED, late.connection().awaitClose(Duration.ZERO));
        assertTrue(late.connection().frames().isEmpty(), "no welcome");
        late.sendText("{\"type\":\"list_rooms\",\"id\":\"1\"}");
        assertEquals(List.of(), late.connection().frames(FakeConnection.replyTo("1")));
        assertEquals(0, late.connection().droppedAfterClose(), "the refused session ignores its frames");
        assertEquals(0, chat.connectionCount());
    }
}
