package dev.webtalk.internal;

import dev.webtalk.Member;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who is present in which room on this node and on the other nodes of a cluster, as the nodes tell each
 * other ({@link Signal}). A user present on two nodes is one user of the room; a node that stops
 * sending heartbeats is dropped with everyone it had ({@link #nodeGone}).
 *
 * <p>This node's presence is written from the rooms' lanes; the other nodes' from the broker's thread
 * and the liveness timer. Every method is thread-safe.
 */
final class ClusterPresence {
    /** A change to who is present in a room, made by other nodes, for the room's lane to push. */
    record Change(Member member, boolean present, String reason) {
    }

    /** A user present in a room on other nodes: as the last of them reported them, and on which nodes. */
    private static final class Elsewhere {
        Member member;
        final Set<String> nodes = new HashSet<>(2);
    }

    private final ConcurrentMap<RoomId, ConcurrentMap<UserId, Member>> here = new ConcurrentHashMap<>();
    private final Map<RoomId, Map<UserId, Elsewhere>> elsewhere = new HashMap<>(); // guarded by this
    /** When each other node was last heard from ({@link System#nanoTime}), and its last heartbeat. */
    private final Map<String, Long> lastHeard = new HashMap<>(); // guarded by this
    private final Map<String, Signal.Heartbeat> beats = new HashMap<>(); // guarded by this

    // ---- this node ----

    void presentHere(Member member) {
        here.computeIfAbsent(member.roomId(), r -> new ConcurrentHashMap<>()).put(member.userId(), member);
    }

    void absentHere(RoomId room, UserId user) {
        here.computeIfPresent(room, (r, users) -> {
            users.remove(user);
            return users.isEmpty() ? null : users;
        });
    }

    /**
     * A digest of who is present: the same for the same members whatever the order, so two nodes can
     * tell cheaply whether they agree on a node's presence.
     */
    static long digest(Iterable<Member> members) {
        long sum = 0;
        for (Member m : members) {
            long h = m.roomId().value().hashCode() * 0x9E3779B97F4A7C15L + m.userId().value().hashCode();
            h = h * 31 + m.displayName().hashCode() * 17L + m.role().ordinal();
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            sum += h;
        }
        return sum;
    }

    /** The digest of who is present on this node. */
    long digestHere() {
        return digest(snapshotHere());
    }

    /** The digest of who this node believes is present on {@code node}. */
    synchronized long digestOf(String node) {
        List<Member> members = new ArrayList<>();
        elsewhere.values().forEach(users -> users.values().forEach(e -> {
            if (e.nodes.contains(node)) {
                members.add(e.member);
            }
        }));
        return digest(members);
    }

    /** Everyone present on this node, for a {@link Signal.Snapshot}. */
    List<Member> snapshotHere() {
        List<Member> all = new ArrayList<>();
        here.values().forEach(users -> all.addAll(users.values()));
        return all;
    }

    // ---- the other nodes ----

    /** {@code node} said something: it is alive. */
    synchronized void heard(String node, long now) {
        lastHeard.put(node, now);
    }

    synchronized void beat(Signal.Heartbeat heartbeat) {
        beats.put(heartbeat.node(), heartbeat);
    }

    /** The user became present on {@code node}: a change when no other node had them. */
    synchronized List<Change> present(String node, Member member) {
        Elsewhere e = elsewhere.computeIfAbsent(member.roomId(), r -> new HashMap<>())
                .computeIfAbsent(member.userId(), u -> new Elsewhere());
        boolean first = e.nodes.isEmpty();
        e.member = member;
        e.nodes.add(node);
        return first ? List.of(new Change(member, true, null)) : List.of();
    }

    /** The user's presence on {@code node} ended: a change when no other node has them now. */
    synchronized List<Change> absent(String node, RoomId room, UserId user, String reason) {
        Map<UserId, Elsewhere> users = elsewhere.get(room);
        Elsewhere e = users == null ? null : users.get(user);
        if (e == null || !e.nodes.remove(node)) {
            return List.of();
        }
        if (!e.nodes.isEmpty()) {
            return List.of();
        }
        users.remove(user);
        if (users.isEmpty()) {
            elsewhere.remove(room);
        }
        return List.of(new Change(e.member, false, reason));
    }

    /** Everything {@code node} has present now, replacing what was known of it. */
    synchronized List<Change> replace(String node, List<Member> present) {
        List<Change> changes = new ArrayList<>();
        Set<List<Object>> now = new HashSet<>();
        for (Member m : present) {
            now.add(List.of(m.roomId(), m.userId()));
        }
        for (Iterator<Map.Entry<RoomId, Map<UserId, Elsewhere>>> rooms = elsewhere.entrySet().iterator(); rooms.hasNext(); ) {
            Map.Entry<RoomId, Map<UserId, Elsewhere>> room = rooms.next();
            for (Iterator<Map.Entry<UserId, Elsewhere>> users = room.getValue().entrySet().iterator(); users.hasNext(); ) {
                Map.Entry<UserId, Elsewhere> user = users.next();
                if (!now.contains(List.of(room.getKey(), user.getKey())) && user.getValue().nodes.remove(node)
                        && user.getValue().nodes.isEmpty()) {
                    users.remove();
                    changes.add(new Change(user.getValue().member, false, "disconnected"));
                }
            }
            if (room.getValue().isEmpty()) {
                rooms.remove();
            }
        }
        for (Member m : present) {
            changes.addAll(present(node, m));
        }
        return changes;
    }

    /** {@code node} left or stopped answering: everyone it had is gone. */
    synchronized List<Change> nodeGone(String node) {
        lastHeard.remove(node);
        beats.remove(node);
        return replace(node, List.of());
    }

    /** The nodes not heard from since {@code deadline} ({@link System#nanoTime}). */
    synchronized List<String> silentSince(long deadline) {
        List<String> silent = new ArrayList<>();
        lastHeard.forEach((node, at) -> {
            if (at - deadline < 0) {
                silent.add(node);
            }
        });
        return silent;
    }

    /** The users present in {@code room} on other nodes. */
    synchronized Set<UserId> usersElsewhere(RoomId room) {
        Map<UserId, Elsewhere> users = elsewhere.get(room);
        return users == null ? Set.of() : Set.copyOf(users.keySet());
    }

    /** The members present in {@code room} on other nodes, as those nodes reported them. */
    synchronized List<Member> membersElsewhere(RoomId room) {
        Map<UserId, Elsewhere> users = elsewhere.get(room);
        List<Member> members = new ArrayList<>();
        if (users != null) {
            users.values().forEach(e -> members.add(e.member));
        }
        return members;
    }

    /** The user is no longer a member of the room (left, kicked, banned): no node has them there. */
    synchronized void forget(RoomId room, UserId user) {
        Map<UserId, Elsewhere> users = elsewhere.get(room);
        if (users != null && users.remove(user) != null && users.isEmpty()) {
            elsewhere.remove(room);
        }
    }

    /** The room is gone. */
    synchronized void forgetRoom(RoomId room) {
        elsewhere.remove(room);
        here.remove(room);
    }

    /** The rooms with someone present on another node. */
    synchronized Set<RoomId> roomsElsewhere() {
        return Set.copyOf(elsewhere.keySet());
    }

    /** Open connections on the other live nodes, as their last heartbeats said. */
    synchronized int connectionsElsewhere() {
        return beats.values().stream().mapToInt(Signal.Heartbeat::connections).sum();
    }

    /** Users connected to the other live nodes, as their last heartbeats said (one on two nodes counts twice). */
    synchronized int usersElsewhere() {
        return beats.values().stream().mapToInt(Signal.Heartbeat::users).sum();
    }

    /** The other nodes heard from and not gone. */
    synchronized int nodesElsewhere() {
        return lastHeard.size();
    }
}
