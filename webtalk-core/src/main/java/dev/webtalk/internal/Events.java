package dev.webtalk.internal;

import dev.webtalk.AuditEntry;
import dev.webtalk.ChatEvent;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands events to the host's {@link ChatListener}s on one dedicated thread: rooms only enqueue, so a
 * slow or failing listener never holds up a room, and the single thread keeps every room's events in
 * the order they were published. The queue is bounded; past it events are dropped and counted.
 */
final class Events implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<ChatListener> listeners;
    private final ThreadPoolExecutor thread;
    private final AtomicLong dropped = new AtomicLong();

    Events(List<ChatListener> listeners, int maxPending) {
        this.listeners = List.copyOf(listeners);
        if (this.listeners.isEmpty()) {
            thread = null;
        } else {
            thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxPending), r -> {
                Thread t = new Thread(r, "webtalk-listeners");
                t.setDaemon(true);
                return t;
            });
        }
    }

    void publish(ChatEvent event) {
        if (thread == null) {
            return;
        }
        try {
            thread.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            if (dropped.getAndIncrement() % 1000 == 0) {
                LOG.warn("Listeners are behind: dropped {} event(s) so far", dropped.get());
            }
        }
    }

    /** Events dropped because the listeners fell too far behind (or after close). */
    long dropped() {
        return dropped.get();
    }

    private void deliver(ChatEvent event) {
        for (ChatListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | Error e) { // a listener's failure stays with it
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                LOG.warn("Chat listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
            }
        }
    }

    void roomCreated(Room room) {
        publish(new ChatEvent.RoomCreated(room));
    }

    void roomDeleted(RoomId room, UserId actor) {
        publish(new ChatEvent.RoomDeleted(room, actor));
    }

    void messagePosted(Message message) {
        publish(new ChatEvent.MessagePosted(message));
    }

    void messageEdited(Message edited, String previousText) {
        publish(new ChatEvent.MessageEdited(edited, previousText));
    }

    void reacted(RoomId room, long seq, String emoji, UserId user, boolean added) {
        publish(new ChatEvent.Reacted(room, seq, emoji, user, added));
    }

    void pinned(RoomId room, long seq, UserId actor, boolean pinned) {
        publish(new ChatEvent.Pinned(room, seq, actor, pinned));
    }

    void messageDeleted(Message deleted, UserId actor) {
        publish(new ChatEvent.MessageDeleted(deleted, actor));
    }

    void memberJoined(Member member) {
        publish(new ChatEvent.MemberJoined(member));
    }

    void memberLeft(Member member, String reason) {
        publish(new ChatEvent.MemberLeft(member, reason));
    }

    void moderated(AuditEntry entry) {
        publish(new ChatEvent.Moderated(entry));
    }

    /** Delivers what is queued (waiting up to 5 s), then stops the thread. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
