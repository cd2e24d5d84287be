package dev.webtalk.store.postgres;

import dev.webtalk.RoomId;
import dev.webtalk.StoreConflictException;
import dev.webtalk.StoreException;
import dev.webtalk.spi.StoreWrite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keeps a room's message seqs and stream positions dense and unique when several engines, on several
 * nodes, write one database. Each engine numbers appends from its own memory of the room; the database
 * decides.
 *
 * <p>At the start of a batch's transaction, {@link #lock} locks the row of every room the batch names,
 * in id order (so two nodes never deadlock on them), and reads its {@code last_seq} and
 * {@code last_pos}. {@link #check} then follows the batch: a room's first appended seq must be
 * {@code last_seq + 1} and each next one the one after (the same for positions). When the first does
 * not follow the stored numbers, another writer numbered the room since this engine last read it:
 * {@link StoreConflictException}, and the engine's writer reads them again and retries. Appends that do
 * not follow each other within the batch are a malformed batch, not a conflict (re-reading would not
 * help): a plain {@link StoreException}. {@link #store} writes the new numbers before the commit; the
 * row lock is held until then, so the next batch naming the room, from any node, sees them.
 *
 * <p>Not thread-safe: one per transaction.
 */
final class Numbering {

    /** One room's numbers as the batch goes. */
    private static final class Heads {
        long lastSeq;
        long lastPos;
        /** Read from the store (not created by this batch): a mismatch at its first append is a conflict. */
        final boolean stored;
        boolean seqAppended;
        boolean posAppended;

        Heads(long lastSeq, long lastPos, boolean stored) {
            this.lastSeq = lastSeq;
            this.lastPos = lastPos;
            this.stored = stored;
        }
    }

    /** The rooms that exist at this point of the batch; a room created by the batch is added, a deleted one removed. */
    private final Map<RoomId, Heads> rooms = new HashMap<>();

    private Numbering() {
    }

    /** Locks the rows of every room {@code batch} names, in id order, and reads their numbers. */
    static Numbering lock(Connection c, List<StoreWrite> batch) throws SQLException {
        Numbering numbering = new Numbering();
        TreeSet<String> ids = new TreeSet<>();
        for (StoreWrite w : batch) {
            RoomId room = roomOf(w);
            if (room != null) {
                ids.add(PgText.encode(room.value()));
            }
        }
        if (ids.isEmpty()) {
            return numbering;
        }
        try (PreparedStatement ps = c.prepareStatement(Sql.LOCK_ROOMS)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbering.rooms.put(RoomId.of(Sql.text(rs, 1)), new Heads(rs.getLong(2), rs.getLong(3), true));
                }
            }
        }
        return numbering;
    }

    /**
     * Follows one write of the batch, before it runs.
     *
     * @throws StoreConflictException if it appends at a seq or position that does not follow the room's stored ones
     * @throws StoreException if it appends to a room that does not exist, or does not follow the batch's
     *     earlier appends to the room
     */
    void check(StoreWrite write) {
        if (write instanceof StoreWrite.CreateRoom w) {
            rooms.putIfAbsent(w.room().id(), new Heads(0, 0, false)); // if present, the insert fails the batch
        } else if (write instanceof StoreWrite.DeleteRoom w) {
            rooms.remove(w.roomId());
        } else if (write instanceof StoreWrite.AppendMessage w) {
            Heads h = existing(w.message().roomId());
            follow(w.message().roomId(), "message seq", w.message().seq(), h.lastSeq, h.stored && !h.seqAppended);
            h.lastSeq = w.message().seq();
            h.seqAppended = true;
        } else if (write instanceof StoreWrite.AppendEvent w) {
            Heads h = existing(w.event().roomId());
            follow(w.event().roomId(), "stream position", w.event().pos(), h.lastPos, h.stored && !h.posAppended);
            h.lastPos = w.event().pos();
            h.posAppended = true;
        }
    }

    private Heads existing(RoomId room) {
        Heads h = rooms.get(room);
        if (h == null) {
            throw new StoreException("room " + room + " does not exist", null);
        }
        return h;
    }

    private static void follow(RoomId room, String what, long given, long last, boolean againstStore) {
        if (given == last + 1) {
            return;
        }
        if (againstStore) {
            throw new StoreConflictException("room " + room + ": " + what + " " + given + " given, but the store's next is "
                    + (last + 1) + " (another writer numbered the room)");
        }
        throw new StoreException("room " + room + ": " + what + " " + given + " given where " + (last + 1)
                + " follows the batch's earlier appends", null);
    }

    /** Records the numbers of every room the batch appended to; call after its writes, before the commit. */
    void store(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        rooms.forEach((room, h) -> {
            if (h.seqAppended || h.posAppended) {
                ids.add(PgText.encode(room.value()));
                seqs.add(h.lastSeq);
                positions.add(h.lastPos);
            }
        });
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(Sql.SET_HEADS)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            ps.setArray(2, c.createArrayOf("bigint", seqs.toArray(new Long[0])));
            ps.setArray(3, c.createArrayOf("bigint", positions.toArray(new Long[0])));
            ps.executeUpdate();
        }
    }

    /** The room a write concerns, or {@code null} for a server-wide one. */
    static RoomId roomOf(StoreWrite write) {
        if (write instanceof StoreWrite.CreateRoom w) {
            return w.room().id();
        } else if (write instanceof StoreWrite.DeleteRoom w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutMember w) {
            return w.member().roomId();
        } else if (write instanceof StoreWrite.RemoveMember w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.AppendMessage w) {
            return w.message().roomId();
        } else if (write instanceof StoreWrite.AppendEvent w) {
            return w.event().roomId();
        } else if (write instanceof StoreWrite.EditMessage w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutReaction w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.RemoveReaction w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutPin w) {
            return w.pin().roomId();
        } else if (write instanceof StoreWrite.RemovePin w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutReadMarker w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.DeleteMessage w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.SetRoomArchived w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutRoomSettings w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.SetOwner w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.PutRestriction w) {
            return w.restriction().roomId();
        } else if (write instanceof StoreWrite.RemoveRestriction w) {
            return w.roomId();
        } else if (write instanceof StoreWrite.AppendAudit w) {
            return w.entry().roomId();
        }
        return null; // PutSetting
    }
}
