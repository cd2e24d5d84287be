package dev.webtalk.internal;

import dev.webtalk.Message;
import dev.webtalk.Pin;
import dev.webtalk.Reaction;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.protocol.MessageContext;
import dev.webtalk.spi.ChatStore;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads what one reader sees around a batch of messages ({@link MessageContext}): previews of what they
 * answer, reactions with the reader's own marked, pins. A few queries per batch, not per message.
 */
final class Views {
    private Views() {
    }

    /** The contexts of {@code messages} (all of room {@code room}) for {@code reader}. */
    static Function<Message, MessageContext> forReader(ChatStore store, RoomId room, List<Message> messages,
                                                       UserId reader) {
        if (messages.isEmpty()) {
            return m -> MessageContext.NONE;
        }
        Map<Long, Message> bySeq = new HashMap<>();
        messages.forEach(m -> bySeq.put(m.seq(), m));
        Map<Long, MessageContext.ReplyPreview> previews = new HashMap<>();
        for (Message m : messages) {
            if (m.replyTo() > 0 && !previews.containsKey(m.replyTo())) {
                Message original = bySeq.get(m.replyTo());
                if (original == null) {
                    original = store.message(room, m.replyTo()).orElse(null);
                }
                previews.put(m.replyTo(), original == null ? null : MessageContext.ReplyPreview.of(original));
            }
        }
        Map<Long, List<Reaction>> reactions = store.reactions(room, bySeq.keySet(), reader);
        Set<Long> pinned = new HashSet<>();
        for (Pin p : store.pins(room)) {
            pinned.add(p.seq());
        }
        return m -> new MessageContext(m.replyTo() > 0 ? previews.get(m.replyTo()) : null,
                reactions.getOrDefault(m.seq(), List.of()), pinned.contains(m.seq()));
    }

    /** For a push to the whole room: only the preview of what {@code m} answers. */
    static MessageContext shared(ChatStore store, Message m) {
        if (m.replyTo() == 0) {
            return MessageContext.NONE;
        }
        return MessageContext.reply(store.message(m.roomId(), m.replyTo()).map(MessageContext.ReplyPreview::of).orElse(null));
    }
}
