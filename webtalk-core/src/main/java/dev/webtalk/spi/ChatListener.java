package dev.webtalk.spi;

import dev.webtalk.ChatEvent;

/**
 * Lets the host observe what happens in rooms: messages, members coming and going, moderation.
 * Register one with {@link dev.webtalk.WebTalk.Builder#listener(ChatListener)}.
 *
 * <p>Threading: every listener is called on one dedicated engine thread ({@code webtalk-listeners}),
 * never on a room's thread, so a slow listener never holds up a room. Events of one room arrive in the
 * order they happened. A listener may block briefly, but it delays every later event of every listener;
 * hand long work to your own executor, and call the engine through its non-blocking forms
 * ({@link dev.webtalk.WebTalk#postSystemMessageAsync}, {@code historyAsync}, {@code banAsync}, …), whose
 * work and completions run on the engine's {@code webtalk-host} threads, not this one. At most {@code Limits.maxPendingEvents} events wait for
 * delivery; past that, new events are dropped (and logged) rather than growing memory. A listener that
 * throws is logged and skipped for that event; other listeners and the engine are not affected.
 */
@FunctionalInterface
public interface ChatListener {
    /** Called once per event, after the change it reports took effect. */
    void onEvent(ChatEvent event);
}
