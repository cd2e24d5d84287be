package dev.webtalk;

import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.ForwardingChatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The non-blocking forms of the server-side API: a listener that calls them holds up no other room, their
 * futures complete on the engine's host threads (not a room's), they never throw, and the blocking forms
 * give up after the call timeout.
 */
class WebTalkAsyncTest extends ChatTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private WebTalk own;

    @AfterEach
    void closeOwn() {
        if (own != null) {
            own.close();
        }
    }

    /** A store whose history reads of one room wait for {@link #open}, as a slow database would. */
    static final class SlowHistoryStore extends ForwardingChatStore {
        volatile RoomId slowRoom;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        SlowHistoryStore() {
            super(new InMemoryChatStore());
        }

        @Override
        public List<Message> history(RoomId roomId, long beforeSeq, int limit) {
            if (roomId.equals(slowRoom)) {
                entered.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.history(roomId, beforeSeq, limit);
        }
    }

    @Test
    void aListenerThatReadsThroughTheAsyncFormHoldsUpNoOtherRoom() throws Exception {
        SlowHistoryStore slow = new SlowHistoryStore();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        AtomicReference<String> completedOn = new AtomicReference<>();
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<WebTalk> engine = new AtomicReference<>();
        own = WebTalk.builder().store(slow).passwordIterations(1000).listener(event -> {
            if (event instanceof ChatEvent.MessagePosted posted) {
                Message m = posted.message();
                seen.add(m.roomId().value() + ":" + m.text());
                if (m.text().equals("/history")) {
                    engine.get().historyAsync(Principal.system(), m.roomId(), null, null)
                            .whenComplete((page, failure) -> {
                                completedOn.set(Thread.currentThread().getName());
                                answered.countDown();
                            });
                }
            }
        }).build();
        engine.set(own);
        RoomId a = own.createRoom(Principal.system(), "A", null).id();
        RoomId b = own.createRoom(Principal.system(), "B", null).id();
        own.postSystemMessage(a, "warm-up"); // the room is loaded before its reads turn slow
        assertEquals(a.value() + ":warm-up", seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        slow.slowRoom = a;

        own.postSystemMessage(a, "/history");
        assertTrue(slow.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the listener's read is under way");
        own.postSystemMessage(b, "hello");

        assertEquals(a.value() + ":/history", seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(b.value() + ":hello", seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "room B's event reached the listener while room A's read was still waiting");
        assertEquals(1, answered.getCount(), "and that read was indeed still waiting");

        slow.open.countDown();
        assertTrue(answered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(completedOn.get().startsWith("webtalk-host-"), completedOn.get());
    }

    @Test
    void aWriteCompletesOnAHostThreadNeverOnTheRoomsThread() throws Exception {
        start();
        RoomId room = chat.createRoom(Principal.system(), "General", null).id();
        store.hold();
        CompletableFuture<Message> posted = chat.postSystemMessageAsync(room, "hello");
        CompletableFuture<String> thread = posted.thenApply(m -> Thread.currentThread().getName());
        CompletableFuture<String> banThread = chat.banAsync(Principal.system(), room, UserId.of("u-bo"), "spam", null)
                .thenApply(entry -> Thread.currentThread().getName());
        store.awaitHeld(WAIT);

        store.release();

        assertTrue(thread.get(WAIT.toSeconds(), TimeUnit.SECONDS).startsWith("webtalk-host-"), thread.get());
        assertTrue(banThread.get(WAIT.toSeconds(), TimeUnit.SECONDS).startsWith("webtalk-host-"), banThread.get());
        assertEquals("hello", posted.get().text());
    }

    @Test
    void theAsyncFormsNeverThrowTheyFailTheirFuture() {
        start();
        RoomId nowhere = RoomId.of("Nope1234");
        assertCause(RoomNotFoundException.class, chat.banAsync(Principal.system(), nowhere, UserId.of("u-1"), null, null));
        assertCause(RoomNotFoundException.class, chat.historyAsync(Principal.system(), nowhere, null, null));
        assertCause(InvalidRequestException.class, chat.createRoomAsync(Principal.system(), " ", null));
        assertCause(NullPointerException.class, chat.historyAsync(null, nowhere, null, null));
        assertCause(RoomNotFoundException.class, chat.onlineUsersAsync(nowhere));
    }

    private static void assertCause(Class<? extends Throwable> expected, CompletableFuture<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertInstanceOf(expected, failed.getCause());
    }

    @Test
    void aBlockingCallGivesUpAfterTheCallTimeout() throws Exception {
        start(builder(Limits.defaults()).callTimeout(Duration.ofMillis(200)));
        RoomId room = chat.createRoom(Principal.system(), "General", null).id();
        store.hold();
        try {
            assertThrows(OverloadedException.class, () -> chat.postSystemMessage(room, "stuck"));
        } finally {
            store.release();
        }
        assertThrows(IllegalArgumentException.class, () -> WebTalk.builder().callTimeout(Duration.ZERO));
    }

    /** Every public call that reads the store or needs a room has its non-blocking twin, same parameters. */
    @Test
    void everyServerSideCallHasANonBlockingForm() {
        Set<String> noStoreOrRoom = Set.of("connect", "builder", "limits", "codec", "settings", "maxFileBytes",
                "fileSizeCeiling", "filesEnabled", "connectionCount", "messageContexts", "close",
                "load", "addObserver", "removeObserver"); // memory only: nothing to wait for
        List<String> missing = new ArrayList<>();
        for (Method m : WebTalk.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getName().endsWith("Async") || noStoreOrRoom.contains(m.getName())) {
                continue;
            }
            try {
                Method twin = WebTalk.class.getMethod(m.getName() + "Async", m.getParameterTypes());
                assertEquals(CompletableFuture.class, twin.getReturnType(), twin.toString());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        assertEquals(List.of(), missing);
    }
}
