package dev.webtalk.internal;

import dev.webtalk.Message;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.spi.ChatStore;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a client that held a room up to some stream position lacks: each message an event after that
 * position touched, in its current state (so a message posted, edited and deleted while the client was
 * away comes once, deleted). Membership, roles and settings travel whole in every join result, so their
 * events need no replay of their own.
 */
final class Replay {
    private Replay() {
    }

    /** The messages touched by the room's events after {@code since} (at most {@code count} events), by seq. */
    static List<Message> changedMessages(ChatStore store, RoomId room, long since, int count) {
        TreeSet<Long> seqs = new TreeSet<>();
        for (RoomEvent e : store.eventsAfter(room, since, count)) {
            if (e.kind().aboutMessage()) {
                seqs.add(e.seq());
            }
        }
        List<Message> messages = new ArrayList<>(seqs.size());
        if (seqs.isEmpty()) {
            return messages;
        }
        // New messages are a dense run at the top: one range read. Older ones touched by an edit or a
        // delete are read one by one.
        long lastSeq = seqs.last();
        long first = lastSeq;
        while (seqs.contains(first - 1)) {
            first--;
        }
        for (Long seq : seqs.headSet(first)) {
            store.message(room, seq).ifPresent(messages::add);
        }
        messages.addAll(store.messagesAfter(room, first - 1, (int) (lastSeq - first + 1)));
        return messages;
    }
}
