package dev.webtalk.internal;

import dev.webtalk.ActivityEvent;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What nodes tell each other outside the rooms' streams, through {@link dev.webtalk.spi.Broker#broadcast}:
 * liveness, who is present where, rooms deleted, and activity for the operators' feed. Each names the node
 * it comes from.
 */
sealed interface Signal {
    int VERSION = 1;

    /**
     * The node is alive, with what it holds now (for cluster-wide statistics) and a digest of who is
     * present on it ({@link ClusterPresence#digest}): a receiver whose view of the node differs (a lost
     * {@link Present} or {@link Absent}) asks it for a {@link Snapshot}.
     */
    record Heartbeat(String node, int connections, int users, long presence) implements Signal {
    }

    /** A user became present in a room on {@code node} (or their membership there changed). */
    record Present(String node, Member member) implements Signal {
    }

    /** A user's presence in a room on {@code node} ended. */
    record Absent(String node, RoomId room, UserId user, String reason) implements Signal {
    }

    /**
     * {@code node} asks for a {@link Snapshot}: from every other node ({@code target} empty: it just
     * started, or may have missed some), or from {@code target} alone (its view of that node is off).
     */
    record Who(String node, String target) implements Signal {
    }

    /** Everyone present on {@code node}, in every room: replaces all that was known of that node. */
    record Snapshot(String node, List<Member> present) implements Signal {
    }

    /** {@code node} is shutting down: its users are gone. */
    record Leaving(String node) implements Signal {
    }

    /** {@code node} stored new server settings: read them again. */
    record SettingsChanged(String node) implements Signal {
    }

    /** {@code node} deleted a room. */
    record RoomDeleted(String node, RoomId room) implements Signal {
    }

    /** Something for the operators' activity feed happened on {@code node}. */
    record Activity(String node, ActivityEvent event) implements Signal {
    }

    String node();

    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (this instanceof Heartbeat h) {
                out.writeByte(1);
                out.writeUTF(h.node());
                out.writeInt(h.connections());
                out.writeInt(h.users());
                out.writeLong(h.presence());
            } else if (this instanceof Present p) {
                out.writeByte(2);
                out.writeUTF(p.node());
                writeMember(out, p.member());
            } else if (this instanceof Absent a) {
                out.writeByte(3);
                out.writeUTF(a.node());
                out.writeUTF(a.room().value());
                out.writeUTF(a.user().value());
                out.writeUTF(a.reason());
            } else if (this instanceof Who w) {
                out.writeByte(4);
                out.writeUTF(w.node());
                out.writeUTF(w.target());
            } else if (this instanceof Snapshot s) {
                out.writeByte(5);
                out.writeUTF(s.node());
                out.writeInt(s.present().size());
                for (Member m : s.present()) {
                    writeMember(out, m);
                }
            } else if (this instanceof Leaving l) {
                out.writeByte(6);
                out.writeUTF(l.node());
            } else if (this instanceof SettingsChanged c) {
                out.writeByte(8);
                out.writeUTF(c.node());
            } else if (this instanceof RoomDeleted d) {
                out.writeByte(7);
                out.writeUTF(d.node());
                out.writeUTF(d.room().value());
            } else if (this instanceof Activity a) {
                out.writeByte(9);
                out.writeUTF(a.node());
                ActivityEvent e = a.event();
                out.writeLong(e.at().getEpochSecond());
                out.writeInt(e.at().getNano());
                out.writeUTF(e.type().name());
                writeNullable(out, e.roomId() == null ? null : e.roomId().value());
                writeNullable(out, e.roomName());
                writeNullable(out, e.actorName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a signal this node reads
     */
    static Signal decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("signal of version " + version + ", this node reads " + VERSION);
            }
            int type = in.readUnsignedByte();
            String node = in.readUTF();
            Signal signal = switch (type) {
                case 1 -> new Heartbeat(node, in.readInt(), in.readInt(), in.readLong());
                case 2 -> new Present(node, readMember(in));
                case 3 -> new Absent(node, RoomId.of(in.readUTF()), UserId.of(in.readUTF()), in.readUTF());
                case 4 -> new Who(node, in.readUTF());
                case 5 -> {
                    int count = in.readInt();
                    if (count < 0 || count > payload.length) {
                        throw new IllegalArgumentException("bad snapshot size " + count);
                    }
                    List<Member> present = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        present.add(readMember(in));
                    }
                    yield new Snapshot(node, present);
                }
                case 6 -> new Leaving(node);
                case 7 -> new RoomDeleted(node, RoomId.of(in.readUTF()));
                case 8 -> new SettingsChanged(node);
                case 9 -> {
                    Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
                    ActivityEvent.Type kind;
                    try {
                        kind = ActivityEvent.Type.valueOf(in.readUTF());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown activity type: " + e.getMessage());
                    }
                    String room = readNullable(in);
                    yield new Activity(node, new ActivityEvent(at, kind, room == null ? null : RoomId.of(room),
                            readNullable(in), readNullable(in)));
                }
                default -> throw new IllegalArgumentException("unknown signal type " + type);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after a signal");
            }
            return signal;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a signal: " + e, e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeMember(DataOutputStream out, Member m) throws IOException {
        out.writeUTF(m.roomId().value());
        out.writeUTF(m.userId().value());
        out.writeUTF(m.displayName());
        out.writeByte(m.role().ordinal());
        out.writeLong(m.joinedAt().toEpochMilli());
    }

    private static Member readMember(DataInputStream in) throws IOException {
        RoomId room = RoomId.of(in.readUTF());
        UserId user = UserId.of(in.readUTF());
        String name = in.readUTF();
        int role = in.readUnsignedByte();
        MemberRole[] roles = MemberRole.values();
        if (role >= roles.length) {
            throw new IllegalArgumentException("unknown role " + role);
        }
        return new Member(room, user, name, roles[role], Instant.ofEpochMilli(in.readLong()));
    }
}
