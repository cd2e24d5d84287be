package dev.webtalk.internal;

import dev.webtalk.AuditEntry;
import dev.webtalk.Message;
import dev.webtalk.spi.StoreWrite;

import java.util.List;

/** Reads what a group of writes was given as it committed: seqs and positions by the {@link StoreWriter}, audit ids by the store. */
final class Committed {
    private Committed() {
    }

    /** The stream position of the group's (last) event. */
    static long pos(List<StoreWrite> writes) {
        for (int i = writes.size() - 1; i >= 0; i--) {
            if (writes.get(i) instanceof StoreWrite.AppendEvent e) {
                return e.event().pos();
            }
        }
        throw new IllegalStateException("no event among " + writes);
    }

    /** The group's (last) event. */
    static dev.webtalk.RoomEvent event(List<StoreWrite> writes) {
        for (int i = writes.size() - 1; i >= 0; i--) {
            if (writes.get(i) instanceof StoreWrite.AppendEvent e) {
                return e.event();
            }
        }
        throw new IllegalStateException("no event among " + writes);
    }

    /** The audit entry the group appended, with the id the store gave it. */
    static AuditEntry audit(List<StoreWrite> writes) {
        for (StoreWrite w : writes) {
            if (w instanceof StoreWrite.AppendAudit a) {
                return a.storedEntry();
            }
        }
        throw new IllegalStateException("no audit entry among " + writes);
    }

    /** The message the group appended. */
    static Message message(List<StoreWrite> writes) {
        for (StoreWrite w : writes) {
            if (w instanceof StoreWrite.AppendMessage a) {
                return a.message();
            }
        }
        throw new IllegalStateException("no message among " + writes);
    }
}
