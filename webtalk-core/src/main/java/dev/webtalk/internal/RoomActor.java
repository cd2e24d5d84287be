package dev.webtalk.internal;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.ForbiddenException;
import dev.webtalk.HistoryPage;
import dev.webtalk.LimitReachedException;
import dev.webtalk.Member;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.MessageKind;
import dev.webtalk.MessageNotFoundException;
import dev.webtalk.ModerationAction;
import dev.webtalk.MutedException;
import dev.webtalk.NotMemberException;
import dev.webtalk.Principal;
import dev.webtalk.Restriction;
import dev.webtalk.RateLimitedException;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.protocol.MessageContext;
import dev.webtalk.RoomSettings;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.MessageDeletedException;
import dev.webtalk.RoomId;
import dev.webtalk.RoomNotFoundException;
import dev.webtalk.UserId;
import dev.webtalk.spi.OutboundFrame;
import dev.webtalk.spi.StoreWrite;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongFunction;

/**
 * One room's live state: who is present, typing throttles, pending restrictions. Every method runs on
 * the room's {@link SerialExecutor} (the engine guarantees it), so the fields need no locks and every
 * change to the room happens in one order that all members see.
 *
 * <p>Writes follow "store, then fan out": every durable change goes to the {@link StoreWriter} with its
 * {@link RoomEvent}, the writer numbers it (message seq, stream position) as it commits, and only when
 * the commit is confirmed is it acknowledged and pushed, with its position. The writer confirms in
 * submission order, so pushes leave in position order.
 *
 * <p>With other nodes writing the room too (a clustered {@link dev.webtalk.spi.Broker}), every committed
 * change goes through the room's {@link RoomStream}: this node's and the other nodes' events are applied
 * in position order, and each of this node's is published with the pushes it sent, so the other nodes
 * pass the same frames on to their connections (see {@link #applyRelayed}).
 */
final class RoomActor implements RoomStream.Target {
    /** A user present in the room with one or more connections. */
    private record Presence(Member member, List<ClientSession> sessions) {
    }

    final RoomId id;
    final SerialExecutor executor;
    private final Engine engine;
    /** Replaced when ownership moves; read from other threads by {@link #room()}. */
    private volatile Room room;

    private boolean loaded;
    private boolean deleting;
    private boolean deleted;
    private final Map<UserId, Presence> present = new LinkedHashMap<>();
    private final Map<UserId, Instant> lastTyping = new HashMap<>();
    /** Join notices of a burst, waiting to go out as one frame (see {@link #announceJoin}). */
    private final List<Member> pendingJoins = new ArrayList<>();
    private final Map<String, CompletableFuture<Message>> sendsInFlight = new HashMap<>();
    /** Reaction changes waiting to go out as one push per message (see {@link #flushReactions}). */
    private final Map<Long, ReactionBurst> pendingReactions = new LinkedHashMap<>();
    /** Read markers accepted but not yet stored (at most one write per user per {@link #READ_MARK_EVERY}). */
    private final Map<UserId, Long> readMarks = new HashMap<>();
    /** {@link #readMarks} for other threads (room lists), updated with it. */
    private final Map<UserId, Long> readMarksSnapshot = new java.util.concurrent.ConcurrentHashMap<>();
    /** When each user's read marker was last written, for coalescing. */
    private final Map<UserId, Instant> readMarkWrittenAt = new HashMap<>();
    /** Users whose pending read marker has a write scheduled. */
    private final java.util.Set<UserId> readMarkFlushes = new java.util.HashSet<>();
    private boolean reactionFlushScheduled;

    /** How long reaction changes to one message gather before they are pushed. */
    static final Duration REACTION_FLUSH = Duration.ofMillis(100);
    /** Least time between two writes of one user's read marker in one room. */
    static final Duration READ_MARK_EVERY = Duration.ofSeconds(1);

    /** Reaction changes to one message since its last push: who made them, and the newest position. */
    private static final class ReactionBurst {
        final java.util.Set<UserId> reactors = new java.util.LinkedHashSet<>();
        long pos;
    }
    /**
     * Bans and mutes handed to the writer but not yet committed. The store does not show them yet, but a
     * join or send that reaches the lane after them would be committed after them: it must be refused now.
     */
    private final Map<UserId, Restriction> pendingBans = new HashMap<>();
    private final Map<UserId, Restriction> pendingMutes = new HashMap<>();
    private RoomSettings settings = RoomSettings.DEFAULTS;
    /** When each user last had a message accepted here, for slow mode. */
    private final Map<UserId, Instant> lastMessageAt = new HashMap<>();
    private volatile int onlineCount;
    private final RoomStream stream = new RoomStream(this);
    /** The pushes sent while this node's change is applied, to publish with it; {@code null} otherwise. */
    private List<Relayed.Push> relaying;
    /** Set while applying a change of this node whose position was already filled from the store. */
    private boolean alreadyPushed;
    /** When someone last became present or stopped being present; {@code null} before that. */
    private volatile Instant lastPresenceChange;

    RoomActor(Engine engine, Room room) {
        this.engine = engine;
        this.room = room;
        this.id = room.id();
        this.executor = new SerialExecutor(engine.pool());
    }

    Room room() {
        return room;
    }

    /** Distinct users present now; readable from any thread. */
    int onlineCount() {
        return onlineCount;
    }

    /** When someone last entered or left while this actor lived; readable from any thread. */
    Instant lastPresenceChange() {
        return lastPresenceChange;
    }

    /** Loads lazily on the room's thread, and notices a room deleted while this actor was being created. */
    void ensureLoaded() {
        if (loaded) {
            return;
        }
        if (engine.store().room(id).isEmpty()) {
            deleted = true;
            engine.forget(this);
        } else {
            settings = engine.store().roomSettings(id);
        }
        loaded = true;
    }

    private void requireAlive() {
        if (deleted || deleting) {
            throw new RoomNotFoundException("No room " + id);
        }
    }

    // ---- join / leave / presence ----

    /** {@code since}: the last seq the client holds (a resume), or {@code null}. */
    CompletableFuture<JoinResult> join(ClientSession session, Long since) {
        requireAlive();
        Principal principal = session.principal();
        Presence presence = present.get(principal.id());
        if (presence != null && presence.sessions().contains(session)) {
            return CompletableFuture.completedFuture(joinResult(presence.member(), since));
        }
        if (session.rooms().size() >= engine.limits().maxRoomsPerSession()) {
            throw new LimitReachedException("A connection may be in at most "
                    + engine.limits().maxRoomsPerSession() + " rooms");
        }
        requireNotBanned(principal);
        Optional<Member> existing = engine.store().member(id, principal.id());
        CompletableFuture<Member> membership;
        if (existing.isPresent() && existing.get().displayName().equals(principal.displayName())) {
            membership = CompletableFuture.completedFuture(existing.get());
        } else {
            Member member = new Member(id, principal.id(), principal.displayName(),
                    existing.map(Member::role).orElse(room.ownerId().equals(principal.id()) ? MemberRole.OWNER : MemberRole.MEMBER),
                    existing.map(Member::joinedAt).orElse(engine.now()));
            boolean newMember = existing.isEmpty();
            // A new member starts with everything before them read: no badge for old history.
            membership = inStream((nextSeq, pos) -> {
                List<StoreWrite> writes = new ArrayList<>(3);
                writes.add(new StoreWrite.PutMember(member));
                if (newMember) {
                    writes.add(new StoreWrite.PutReadMarker(id, principal.id(), nextSeq - 1));
                }
                writes.add(new StoreWrite.AppendEvent(RoomEvent.aboutMember(id, pos, RoomEvent.Kind.MEMBER_JOINED,
                        engine.now(), principal.id())));
                return writes;
            }).thenApply(v -> {
                if (newMember) {
                    engine.record(dev.webtalk.ActivityEvent.Type.MEMBER_JOINED, room, principal);
                }
                return member;
            });
        }
        return membership.thenApplyAsync(member -> {
            requireAlive();
            addPresence(session, member);
            return joinResult(member, since);
        }, executor);
    }

    private void addPresence(ClientSession session, Member member) {
        if (!session.enter(id)) {
            return; // the connection closed while joining: it must not stay present
        }
        Presence presence = present.get(member.userId());
        if (presence == null) {
            if (present.isEmpty()) {
                startRelaying();
            }
            presence = new Presence(member, new ArrayList<>(2));
            present.put(member.userId(), presence);
            lastPresenceChange = engine.now();
            if (!engine.cluster().presence().usersElsewhere(id).contains(member.userId())) {
                announceJoin(member); // else the room saw them come already, on another node
            }
            recount();
            engine.cluster().presentHere(member);
            engine.events().memberJoined(member);
        } else if (!presence.member().equals(member)) {
            present.put(member.userId(), new Presence(member, presence.sessions()));
            presence = present.get(member.userId());
            engine.cluster().presentHere(member);
        }
        if (!presence.sessions().contains(session)) {
            presence.sessions().add(session);
        }
    }

    /**
     * Runs on the room's lane right after the presence was added, so nothing falls between the store
     * read here and the pushes that follow: a message committed before this read is in it, and one
     * whose push runs later reaches the new presence (a message may come both ways; clients keep one
     * per seq).
     */
    private JoinResult joinResult(Member self, Long since) {
        MemberPages.Page members = MemberPages.page(memberViews(), null, MemberPages.FIRST_PAGE);
        // Read before the state it goes with: a change committed in between is in the state and comes
        // again as a push with a later position, which clients apply idempotently.
        long pos = engine.store().lastPos(id);
        List<JoinResult.PinnedMessage> pins = new ArrayList<>();
        for (dev.webtalk.Pin pin : engine.store().pins(id)) {
            engine.store().message(id, pin.seq()).ifPresent(m -> pins.add(new JoinResult.PinnedMessage(pin, m)));
        }
        dev.webtalk.ReadState read = readState(self.userId());
        if (since != null) {
            long missed = pos - since;
            // A since past the newest position is a client that holds something this room never
            // stored (or a foreign state): it cannot be patched, only reloaded.
            if (missed >= 0 && missed <= engine.limits().maxResumeEvents()) {
                List<Message> changed = missed == 0 ? List.of() : Replay.changedMessages(engine.store(), id, since, (int) missed);
                return JoinResult.resumed(engine.summary(room, onlineCount), self, members, pos, pins, read, changed);
            }
        }
        HistoryPage history = engine.historyPage(id, Long.MAX_VALUE, engine.limits().joinHistory());
        return JoinResult.page(engine.summary(room, onlineCount), self, members, pos, pins, read, history, since != null);
    }

    CompletableFuture<Void> leave(ClientSession session) {
        requireAlive();
        UserId user = session.principal().id();
        if (engine.store().member(id, user).isEmpty() && !present.containsKey(user)) {
            throw new NotMemberException("Not a member of room " + id);
        }
        return change(List.of(new StoreWrite.RemoveMember(id, user)), RoomEvent.Kind.MEMBER_LEFT, engine.now(), 0, user)
                .thenRun(() -> removeUser(user, "left"));
    }

    /** The connection went away: its presence ends; the membership stays. */
    void disconnected(ClientSession session) {
        Presence presence = present.get(session.principal().id());
        session.exit(id);
        if (presence == null || !presence.sessions().remove(session)) {
            return;
        }
        if (presence.sessions().isEmpty()) {
            removeUser(session.principal().id(), "disconnected");
        }
    }

    private void removeUser(UserId user, String reason) {
        removeUser(user, reason, true);
    }

    /** Ends {@code user}'s presence here; {@code announce}: tell the others present (unless said already). */
    private void removeUser(UserId user, String reason, boolean announce) {
        Presence presence = present.remove(user);
        lastTyping.remove(user);
        if (!readMarks.containsKey(user)) {
            readMarkWrittenAt.remove(user); // only pacing: a user gone with nothing pending needs none
        }
        if (presence == null) {
            return;
        }
        lastPresenceChange = engine.now();
        presence.sessions().forEach(s -> s.exit(id));
        engine.cluster().absentHere(id, user, reason);
        boolean stillElsewhere = engine.cluster().presence().usersElsewhere(id).contains(user);
        if (!"disconnected".equals(reason)) {
            engine.cluster().presence().forget(id, user); // no longer a member anywhere
        } else if (stillElsewhere) {
            announce = false; // only this node's connections went: the user is still in the room
        }
        recount();
        if (announce) {
            broadcastExceptUser(engine.codec().memberLeft(presence.member(), reason), user);
        }
        engine.events().memberLeft(presence.member(), reason);
        if (present.isEmpty()) {
            stopRelayingWhenIdle();
        }
    }

    // ---- messages ----

    CompletableFuture<Message> send(ClientSession session, String text, String clientMsgId, Long replyTo) {
        requireAlive();
        Principal principal = session.principal();
        requireNotBanned(principal); // before presence: a banned user learns why, not just "join first"
        Presence presence = present.get(principal.id());
        if (presence == null || !presence.sessions().contains(session)) {
            throw new NotMemberException("Join room " + id + " before sending to it");
        }
        engine.requireNotArchived(id);
        requireMayPost(principal);
        String key = clientMsgId == null ? null : principal.id().value() + '\n' + clientMsgId;
        if (key != null) {
            CompletableFuture<Message> inFlight = sendsInFlight.get(key);
            if (inFlight != null) {
                return inFlight.copy();
            }
            Optional<Message> stored = engine.store().messageByClientId(id, principal.id(), clientMsgId);
            if (stored.isPresent()) {
                return CompletableFuture.completedFuture(stored.get());
            }
        }
        requireRoomAllowsPost(principal);
        Message original = replyTo == null ? null : liveMessage(replyTo);
        String filtered = engine.filter(principal, id, text);
        Mentions.Resolved mentions = mentions(principal, filtered);
        lastMessageAt.put(principal.id(), engine.now());
        Instant at = engine.now();
        long answers = replyTo == null ? 0 : replyTo;
        return append(seq -> new Message(id, seq, principal.id(), principal.displayName(), MessageKind.TEXT,
                filtered, clientMsgId, at, null, null, null, answers, mentions.users(), mentions.room()), key,
                MessageContext.reply(original == null ? null : MessageContext.ReplyPreview.of(original)));
    }

    /** The message {@code seq}, which must exist and not be deleted (to answer, react to, or pin it). */
    private Message liveMessage(long seq) {
        Message m = engine.store().message(id, seq)
                .orElseThrow(() -> new MessageNotFoundException("No message " + seq + " in room " + id));
        if (m.isDeleted()) {
            throw new MessageDeletedException("Message " + seq + " in room " + id + " was deleted");
        }
        return m;
    }

    /** Whom {@code text} mentions, against the members now; {@code @room} only from moderators up. */
    private Mentions.Resolved mentions(Principal author, String text) {
        if (text.indexOf('@') < 0) {
            return Mentions.Resolved.NONE; // the common case reads no member list
        }
        boolean mayMentionRoom = rankOf(author).ordinal() <= Permissions.Rank.MODERATOR.ordinal();
        return Mentions.resolve(text, engine.store().members(id), mayMentionRoom);
    }

    /** Posts a FILE message for bytes already in the attachment store; needs membership, not presence. */
    CompletableFuture<Message> postFile(Principal principal, Attachment attachment) {
        requireAlive();
        if (engine.store().member(id, principal.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to share files in it");
        }
        engine.requireNotArchived(id);
        requireMayPost(principal);
        requireRoomAllowsPost(principal);
        lastMessageAt.put(principal.id(), engine.now());
        Instant at = engine.now();
        return append(seq -> new Message(id, seq, principal.id(), principal.displayName(), MessageKind.FILE,
                attachment.name(), null, at, null, attachment), null, MessageContext.NONE);
    }

    /**
     * Posts a {@link MessageKind#SYSTEM} message from the server: it takes the next seq and is stored and
     * pushed like any message, but no user posts it, so presence, rate limits, bans, mutes, lock, slow mode
     * and filters do not apply. An archived room is still read-only.
     */
    CompletableFuture<Message> postSystem(String text) {
        requireAlive();
        engine.requireNotArchived(id);
        Instant at = engine.now();
        return append(seq -> new Message(id, seq, Engine.SYSTEM.id(), Engine.SYSTEM.displayName(), MessageKind.SYSTEM,
                text, null, at, null), null, MessageContext.NONE);
    }

    /** Every member, each with whether they are present now on any node. */
    private List<JoinResult.MemberView> memberViews() {
        List<JoinResult.MemberView> members = new ArrayList<>();
        java.util.Set<UserId> elsewhere = engine.cluster().presence().usersElsewhere(id);
        for (Member m : engine.store().members(id)) {
            members.add(new JoinResult.MemberView(m, present.containsKey(m.userId()) || elsewhere.contains(m.userId())));
        }
        return members;
    }

    /** A page of the member list after {@code cursor}, online first ({@link MemberPages}); members and admins. */
    MemberPages.Page members(Principal reader, String cursor, int limit) {
        requireAlive();
        if (!reader.isAdmin() && engine.store().member(id, reader.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to see its members");
        }
        return MemberPages.page(memberViews(), cursor, limit);
    }

    /** The users present now, each once: those here in the order they arrived, then those on other nodes. */
    List<Member> presentMembers() {
        List<Member> members = new ArrayList<>(present.size());
        for (Presence p : present.values()) {
            members.add(p.member());
        }
        for (Member m : engine.cluster().membersElsewhere(id)) {
            if (!present.containsKey(m.userId())) {
                members.add(m);
            }
        }
        return members;
    }

    /**
     * Stores the message {@code draft} builds with the seq the writer gives it, with its
     * {@link RoomEvent.Kind#MESSAGE_POSTED} event, then acknowledges and fans it out; {@code key} dedupes
     * retries.
     */
    private CompletableFuture<Message> append(LongFunction<Message> draft, String key, MessageContext context) {
        CompletableFuture<List<StoreWrite>> write = inStream((seq, pos) -> {
            Message m = draft.apply(seq);
            return List.of(new StoreWrite.AppendMessage(m),
                    new StoreWrite.AppendEvent(RoomEvent.aboutMessage(id, pos, RoomEvent.Kind.MESSAGE_POSTED, m.createdAt(), seq)));
        });
        if (write.isCompletedExceptionally()) {
            return write.thenApply(v -> null); // refused at once (queue full)
        }
        CompletableFuture<Message> acked = new CompletableFuture<>();
        if (key != null) {
            sendsInFlight.put(key, acked);
        }
        write.whenComplete((writes, failure) -> {
            if (key != null) {
                sendsInFlight.remove(key);
            }
            if (failure != null) {
                acked.completeExceptionally(failure);
                return;
            }
            Message message = Committed.message(writes);
            if (message.kind() != MessageKind.SYSTEM) {
                // One has read what one wrote. Stored like any mark, at most about once a second per
                // author, so a busy sender does not add a write to every message's transaction.
                readMarks.merge(message.authorId(), message.seq(), Math::max);
                readMarksSnapshot.merge(message.authorId(), message.seq(), Math::max);
                requestReadMarkWrite(message.authorId());
            }
            broadcast(engine.codec().messagePush(message, Committed.pos(writes), context));
            engine.events().messagePosted(message);
            acked.complete(message);
        });
        return acked;
    }

    /**
     * Queues a numbered change with the writer. The future completes on the room's lane, in stream
     * order, once the change is committed: what waits on it runs there synchronously (use the
     * non-async {@code then…} forms), so its pushes are sent, and published to other nodes, before
     * any later position is applied.
     */
    private CompletableFuture<List<StoreWrite>> inStream(StoreWriter.RoomChange change) {
        CompletableFuture<List<StoreWrite>> write = engine.writer().submit(id, change);
        if (write.isCompletedExceptionally()) {
            return write; // refused at once (queue full): it took no position
        }
        CompletableFuture<List<StoreWrite>> inOrder = new CompletableFuture<>();
        write.whenComplete((writes, failure) -> {
            try {
                executor.execute(() -> {
                    if (failure != null) {
                        inOrder.completeExceptionally(failure);
                    } else {
                        stream.local(Committed.pos(writes), writes, inOrder);
                    }
                });
            } catch (RejectedExecutionException e) {
                inOrder.completeExceptionally(failure != null ? failure : e); // shutting down
            }
        });
        return inOrder;
    }

    @Override
    public void applyLocal(List<StoreWrite> writes, CompletableFuture<List<StoreWrite>> done, boolean alreadyApplied) {
        if (!engine.broker().isClustered()) {
            done.complete(writes);
            return;
        }
        relaying = new ArrayList<>(2);
        alreadyPushed = alreadyApplied;
        List<Relayed.Push> pushes;
        try {
            done.complete(writes);
        } finally {
            pushes = relaying;
            relaying = null;
            alreadyPushed = false;
        }
        engine.relay(id, new Relayed(Committed.event(writes), pushes));
    }

    /**
     * Applies another node's committed event here: its pushes go to the connections present on this
     * node, then this node's live state follows the change (presence of a member who left or was
     * removed, roles, owner, settings, archive). Reactions are gathered into this node's own reactions
     * push, as if they had been made here.
     */
    @Override
    public void applyRelayed(Relayed relayed) {
        RoomEvent event = relayed.event();
        boolean leftAnnounced = false;
        for (Relayed.Push push : relayed.frames()) {
            if (push.exceptUser()) {
                flushJoins();
                sendExceptUser(push.frame(), event.userId());
                leftAnnounced = true;
            } else {
                broadcast(push.frame());
            }
        }
        switch (event.kind()) {
            case REACTION_ADDED, REACTION_REMOVED -> reacted(event.seq(), event.userId(), event.pos());
            case MEMBER_LEFT -> memberGone(event.userId(), "left", leftAnnounced);
            case MEMBER_KICKED -> memberGone(event.userId(), "kicked", leftAnnounced);
            case MEMBER_BANNED -> memberGone(event.userId(), "banned", leftAnnounced);
            case MEMBER_ROLE_CHANGED -> refreshPresence(event.userId());
            case OWNER_CHANGED -> {
                UserId oldOwner = room.ownerId();
                room = engine.store().room(id).orElse(room);
                refreshPresence(event.userId());
                refreshPresence(oldOwner);
            }
            case SETTINGS_CHANGED -> settings = engine.store().roomSettings(id);
            case ROOM_ARCHIVED -> engine.archivedElsewhere(id, event.at());
            case ROOM_UNARCHIVED -> engine.archivedElsewhere(id, null);
            default -> {
            }
        }
    }

    /**
     * Another node ended {@code user}'s membership: their presence ends here too, and on every node. When
     * the node that did it had them present, its {@code member_left} came with the event ({@code announced});
     * otherwise this node says it, if it knew them present anywhere.
     */
    private void memberGone(UserId user, String reason, boolean announced) {
        if (present.containsKey(user)) {
            removeUser(user, reason, !announced);
            return;
        }
        Member elsewhere = null;
        for (Member m : engine.cluster().membersElsewhere(id)) {
            elsewhere = m.userId().equals(user) ? m : elsewhere;
        }
        engine.cluster().presence().forget(id, user);
        recount();
        if (elsewhere != null && !announced) {
            flushJoins();
            sendExceptUser(engine.codec().memberLeft(elsewhere, reason), user);
        }
    }

    /** Another node's user came ({@code change.present()}) or went: the connections here hear of it. */
    void presenceChangedElsewhere(ClusterPresence.Change change) {
        if (deleted) {
            return;
        }
        Member member = change.member();
        lastPresenceChange = engine.now();
        recount();
        if (present.containsKey(member.userId())) {
            return; // present here too: nothing changes for the room
        }
        if (change.present()) {
            announceJoin(member);
        } else {
            flushJoins();
            sendExceptUser(engine.codec().memberLeft(member, change.reason()), member.userId());
        }
    }

    /** A user on another node is typing here. */
    void typingElsewhere(UserId user, OutboundFrame frame) {
        if (!deleted) {
            flushJoins();
            sendExceptUser(frame, user);
        }
    }

    /** Users present here or on other nodes, each once. */
    private void recount() {
        if (!engine.broker().isClustered()) {
            onlineCount = present.size();
            return;
        }
        int elsewhere = 0;
        for (UserId u : engine.cluster().presence().usersElsewhere(id)) {
            if (!present.containsKey(u)) {
                elsewhere++;
            }
        }
        onlineCount = present.size() + elsewhere;
    }

    /**
     * The pushes the node that made {@code event} sent for it, rebuilt from the store's current state
     * (for a publication that never arrived). A message shows as it is now, which a client applies the
     * same way; a member who left is announced by this node's own presence, if present here.
     */
    @Override
    public Relayed render(RoomEvent event) {
        return new Relayed(event, Renderer.pushes(engine, room, event));
    }

    @Override
    public List<RoomEvent> storedAfter(long pos, int limit) {
        return engine.store().eventsAfter(id, pos, limit);
    }

    @Override
    public long storedLastPos() {
        return engine.store().lastPos(id);
    }

    @Override
    public void later(Duration delay, Runnable task) {
        engine.later(delay, executor, task);
    }

    /** Another node's event for this room arrived through the broker. */
    void relayed(Relayed relayed) {
        if (!deleted) {
            stream.remote(relayed);
        }
    }

    /** Reads what other nodes committed that did not arrive (after the broker may have lost some). */
    void catchUp() {
        if (!deleted) {
            stream.fill(true);
        }
    }

    /** Whether this node orders the room's events with other nodes' now (someone is present here). */
    boolean isTracking() {
        return stream.isTracking();
    }

    /** Another node deleted the room: the connections here hear of it and leave it. */
    void deletedElsewhere() {
        if (deleted) {
            return;
        }
        deleted = true;
        sendToAll(engine.codec().roomDeleted(id.value()));
        present.values().forEach(p -> p.sessions().forEach(s -> s.exit(id)));
        present.clear();
        onlineCount = 0;
        stopRelaying();
        engine.forget(this);
    }

    /** The first presence here: order the room's events with the other nodes' from now on. */
    private void startRelaying() {
        if (engine.broker().isClustered() && !stream.isTracking()) {
            engine.broker().subscribe(id);
            stream.track(engine.store().lastPos(id));
            // Publications made before the subscription took effect are read from the store.
            engine.later(SUBSCRIBE_SETTLE, executor, this::catchUp);
        }
    }

    /** Nobody present here any more: stop receiving the room's events (on the lane, after this task). */
    private void stopRelayingWhenIdle() {
        if (stream.isTracking()) {
            executor.execute(() -> {
                if (present.isEmpty()) {
                    stopRelaying();
                }
            });
        }
    }

    private void stopRelaying() {
        if (stream.isTracking()) {
            engine.broker().unsubscribe(id);
            stream.untrack();
        }
    }

    /** How long after subscribing the stream is checked against the store once. */
    static final Duration SUBSCRIBE_SETTLE = Duration.ofMillis(500);

    /**
     * Queues {@code writes} with the stream event that says what they change ({@code seq}: the message it
     * concerns or 0; {@code user}: the member or {@code null}); the future has the writes as committed.
     */
    private CompletableFuture<List<StoreWrite>> change(List<StoreWrite> writes, RoomEvent.Kind kind, Instant at,
                                                       long seq, UserId user) {
        return inStream((nextSeq, pos) -> {
            List<StoreWrite> all = new ArrayList<>(writes.size() + 1);
            all.addAll(writes);
            all.add(new StoreWrite.AppendEvent(new RoomEvent(id, pos, kind, at, seq, user)));
            return all;
        });
    }

    /**
     * Replaces the text of {@code author}'s own message. The new text went through the same checks as a
     * send (size, rate, filters) in the engine; here: the message must exist, be live, be a text message
     * of this author, and the author must still be allowed to post.
     */
    CompletableFuture<Message> editMessage(Principal author, long seq, String newText) {
        requireAlive();
        Message message = liveMessage(seq);
        boolean own = message.authorId().equals(author.id());
        Permissions.check(standingOf(author), Permissions.Action.EDIT_MESSAGE, rankOf(message.authorId()), own);
        if (message.kind() != MessageKind.TEXT) {
            throw new InvalidRequestException("Only text messages can be edited");
        }
        if (engine.store().member(id, author.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to edit your messages in it");
        }
        engine.requireNotArchived(id);
        requireMayPost(author);
        if (settings.locked() && rankOf(author).ordinal() > Permissions.Rank.MODERATOR.ordinal()) {
            throw new ForbiddenException("Room " + id + " is locked: only moderators may post");
        }
        String filtered = engine.filter(author, id, newText);
        if (filtered.equals(message.text())) {
            return CompletableFuture.completedFuture(message); // nothing changes: no event
        }
        Mentions.Resolved mentions = mentions(author, filtered);
        Instant at = engine.now();
        Message edited = message.edited(filtered, Instant.ofEpochMilli(at.toEpochMilli()), mentions.users(), mentions.room());
        return change(List.of(new StoreWrite.EditMessage(id, seq, filtered, at, mentions.users(), mentions.room())),
                RoomEvent.Kind.MESSAGE_EDITED, at, seq, null)
                .thenApply(writes -> {
                    broadcast(engine.codec().messageEdited(edited, Committed.pos(writes), Views.shared(engine.store(), edited)));
                    engine.events().messageEdited(edited, message.text());
                    return edited;
                });
    }

    CompletableFuture<Void> deleteMessage(Principal actor, long seq) {
        requireAlive();
        Message message = engine.store().message(id, seq)
                .orElseThrow(() -> new MessageNotFoundException("No message " + seq + " in room " + id));
        boolean own = message.authorId().equals(actor.id());
        Permissions.check(standingOf(actor), Permissions.Action.DELETE_MESSAGE, rankOf(message.authorId()), own);
        engine.requireNotArchived(id);
        if (message.isDeleted()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant at = engine.now();
        List<StoreWrite> writes = new ArrayList<>(2);
        writes.add(new StoreWrite.DeleteMessage(id, seq, at));
        Message deletedMessage = message.deleted(Instant.ofEpochMilli(at.toEpochMilli()));
        AuditEntry audit = own ? null : new AuditEntry(0, id, at, actor.id(), actor.displayName(),
                ModerationAction.DELETE_MESSAGE, message.authorId(), message.authorName(), null, null, seq, null, null);
        if (audit != null) {
            writes.add(new StoreWrite.AppendAudit(audit));
        }
        return change(writes, RoomEvent.Kind.MESSAGE_DELETED, at, seq, null)
                .thenAccept(committed -> {
                    broadcast(engine.codec().messageDeleted(deletedMessage, Committed.pos(committed),
                            Views.shared(engine.store(), deletedMessage)));
                    engine.events().messageDeleted(deletedMessage, actor.id());
                    if (audit != null) {
                        engine.events().moderated(Committed.audit(committed));
                    }
                })
                .thenRun(() -> engine.discardAttachment(message.attachment()));
    }

    // ---- reactions, pins, read state ----

    /**
     * Puts ({@code add}) or takes off {@code principal}'s {@code emoji} (already checked to be one emoji)
     * on message {@code seq}. Completes with the message's reactions as {@code principal} sees them. The
     * room hears of it in a push that gathers the changes to one message over {@link #REACTION_FLUSH}, so
     * a storm of reactions costs each member a few frames, not one per reaction.
     */
    CompletableFuture<List<dev.webtalk.Reaction>> react(Principal principal, long seq, String emoji, boolean add) {
        requireAlive();
        liveMessage(seq);
        if (engine.store().member(id, principal.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " to react in it");
        }
        engine.requireNotArchived(id);
        requireMayPost(principal);
        List<dev.webtalk.Reaction> now = engine.store().reactions(id, List.of(seq), principal.id()).getOrDefault(seq, List.of());
        Optional<dev.webtalk.Reaction> same = now.stream().filter(r -> r.emoji().equals(emoji)).findFirst();
        boolean mine = same.map(dev.webtalk.Reaction::mine).orElse(false);
        if (mine == add) {
            return CompletableFuture.completedFuture(now); // nothing changes: no event
        }
        if (add && same.isEmpty() && now.size() >= engine.limits().maxReactionsPerMessage()) {
            throw new LimitReachedException("A message carries at most " + engine.limits().maxReactionsPerMessage()
                    + " different reactions");
        }
        Instant at = engine.now();
        StoreWrite write = add ? new StoreWrite.PutReaction(id, seq, emoji, principal.id(), at)
                : new StoreWrite.RemoveReaction(id, seq, emoji, principal.id());
        return change(List.of(write), add ? RoomEvent.Kind.REACTION_ADDED : RoomEvent.Kind.REACTION_REMOVED, at, seq,
                principal.id()).thenApply(committed -> {
                    reacted(seq, principal.id(), Committed.pos(committed));
                    engine.events().reacted(id, seq, emoji, principal.id(), add);
                    return engine.store().reactions(id, List.of(seq), principal.id()).getOrDefault(seq, List.of());
                });
    }

    /** Gathers a committed reaction change into the next reactions push (see {@link #flushReactions}). */
    private void reacted(long seq, UserId reactor, long pos) {
        ReactionBurst burst = pendingReactions.computeIfAbsent(seq, k -> new ReactionBurst());
        burst.reactors.add(reactor);
        burst.pos = pos;
        if (!reactionFlushScheduled) {
            reactionFlushScheduled = true;
            engine.later(REACTION_FLUSH, executor, this::flushReactions);
        }
    }

    /**
     * Pushes the gathered reaction changes: per message, one frame of counts shared by everyone, except
     * that each user who reacted meanwhile gets one that also marks their own emoji. Runs when the
     * gathering time is up, or earlier when another push must go out after them (see {@link #broadcast}).
     */
    private void flushReactions() {
        reactionFlushScheduled = false;
        if (pendingReactions.isEmpty() || deleted) {
            pendingReactions.clear();
            return;
        }
        List<Map.Entry<Long, ReactionBurst>> bursts = new ArrayList<>(pendingReactions.entrySet());
        pendingReactions.clear();
        // In the order of each message's newest change, not of its first: pushes must leave in position
        // order, and a client skips a push whose pos is not above the highest it applied.
        bursts.sort(java.util.Comparator.comparingLong(e -> e.getValue().pos));
        flushJoins();
        for (Map.Entry<Long, ReactionBurst> e : bursts) {
            long seq = e.getKey();
            ReactionBurst burst = e.getValue();
            List<dev.webtalk.Reaction> counts = engine.store().reactions(id, List.of(seq), Engine.SYSTEM.id())
                    .getOrDefault(seq, List.of());
            OutboundFrame shared = engine.codec().reactionsPush(id, seq, burst.pos, counts, false);
            for (Presence p : present.values()) {
                OutboundFrame frame = shared;
                if (burst.reactors.contains(p.member().userId())) {
                    frame = engine.codec().reactionsPush(id, seq, burst.pos, engine.store()
                            .reactions(id, List.of(seq), p.member().userId()).getOrDefault(seq, List.of()), true);
                }
                for (ClientSession s : p.sessions()) {
                    s.send(frame);
                }
            }
        }
    }

    /** Pins ({@code pin}) or unpins message {@code seq}: moderators, the owner and admins. */
    CompletableFuture<Void> pin(Principal actor, long seq, boolean pin) {
        requireAlive();
        Permissions.check(standingOf(actor), Permissions.Action.PIN, null, false);
        engine.requireNotArchived(id);
        Message message = pin ? liveMessage(seq) : engine.store().message(id, seq)
                .orElseThrow(() -> new MessageNotFoundException("No message " + seq + " in room " + id));
        List<dev.webtalk.Pin> pins = engine.store().pins(id);
        boolean pinned = pins.stream().anyMatch(p -> p.seq() == seq);
        if (pinned == pin) {
            return CompletableFuture.completedFuture(null);
        }
        if (pin && pins.size() >= engine.limits().maxPins()) {
            throw new LimitReachedException("A room has at most " + engine.limits().maxPins() + " pinned messages");
        }
        Instant at = engine.now();
        StoreWrite write = pin ? new StoreWrite.PutPin(new dev.webtalk.Pin(id, seq, actor.id(), at))
                : new StoreWrite.RemovePin(id, seq);
        return change(List.of(write), pin ? RoomEvent.Kind.MESSAGE_PINNED : RoomEvent.Kind.MESSAGE_UNPINNED, at, seq,
                actor.id()).thenAccept(committed -> {
                    broadcast(engine.codec().pinnedPush(message, Committed.pos(committed), pin, actor,
                            Views.shared(engine.store(), message)));
                    engine.events().pinned(id, seq, actor.id(), pin);
                });
    }

    /**
     * Notes that {@code user} has read the room up to message {@code seq} (clamped to the newest). The
     * marker only moves forward; it is stored at once, or, within {@link #READ_MARK_EVERY} of the last
     * write, a little later with whatever came meanwhile. The user's connections present here hear of it
     * at once, so a tab that reads clears the badge on the phone.
     */
    dev.webtalk.ReadState markRead(Principal user, long seq) {
        requireAlive();
        if (engine.store().member(id, user.id()).isEmpty()) {
            throw new NotMemberException("Join room " + id + " first");
        }
        long last = engine.store().lastSeq(id);
        long target = Math.min(seq, last);
        long current = readSeq(user.id());
        if (target > current) {
            readMarks.put(user.id(), target);
            readMarksSnapshot.put(user.id(), target);
            requestReadMarkWrite(user.id());
            current = target;
        }
        dev.webtalk.ReadState state = readState(engine.store(), id, user.id(), current);
        Presence presence = present.get(user.id());
        if (presence != null) {
            OutboundFrame frame = engine.codec().readPush(state);
            presence.sessions().forEach(s -> s.send(frame));
        }
        return state;
    }

    /** The newest message {@code user} has read here: the stored marker, or a newer one not stored yet. */
    long readSeq(UserId user) {
        long stored = engine.store().readSeq(id, user);
        Long pending = readMarks.get(user);
        return pending == null ? stored : Math.max(stored, pending);
    }

    /** A marker of {@code user} accepted but not stored yet, or 0; readable from any thread. */
    long pendingReadSeq(UserId user) {
        Long pending = readMarksSnapshot.get(user);
        return pending == null ? 0 : pending;
    }

    /** What {@code user} has not read here yet. */
    dev.webtalk.ReadState readState(UserId user) {
        return readState(engine.store(), id, user, readSeq(user));
    }

    /** What is left after {@code read} in {@code room} for {@code user}: a subtraction of seqs, and the mentions. */
    static dev.webtalk.ReadState readState(dev.webtalk.spi.ChatStore store, RoomId room, UserId user, long read) {
        return new dev.webtalk.ReadState(room, read, Math.max(0, store.lastSeq(room) - read),
                store.mentionsAfter(room, user, read));
    }

    /** Writes the user's pending marker now, or once {@link #READ_MARK_EVERY} has passed since the last write. */
    private void requestReadMarkWrite(UserId user) {
        Instant written = readMarkWrittenAt.get(user);
        Instant now = engine.now();
        if (written == null || !now.isBefore(written.plus(READ_MARK_EVERY))) {
            writeReadMark(user);
        } else if (readMarkFlushes.add(user)) {
            engine.later(Duration.between(now, written.plus(READ_MARK_EVERY)), executor, () -> {
                readMarkFlushes.remove(user);
                writeReadMark(user);
            });
        }
    }

    private void writeReadMark(UserId user) {
        Long seq = readMarks.get(user);
        if (seq == null || deleted) {
            return;
        }
        readMarkWrittenAt.put(user, engine.now());
        engine.writer().submit(new StoreWrite.PutReadMarker(id, user, seq)).whenCompleteAsync((v, failure) -> {
            if (failure != null) {
                return; // stays pending: the next mark of this user tries again
            }
            if (seq.equals(readMarks.get(user))) {
                readMarks.remove(user);
                readMarksSnapshot.remove(user, seq);
            } else if (readMarks.containsKey(user)) {
                requestReadMarkWrite(user); // a newer mark came meanwhile
            }
        }, executor);
    }

    /** Stores every pending read marker now (the engine is closing). */
    void flushReadMarks() {
        List.copyOf(readMarks.keySet()).forEach(this::writeReadMark);
    }

    void typing(ClientSession session) {
        requireAlive();
        UserId user = session.principal().id();
        Presence presence = present.get(user);
        if (presence == null || !presence.sessions().contains(session)) {
            throw new NotMemberException("Join room " + id + " first");
        }
        engine.requireNotArchived(id);
        Instant now = engine.now();
        Instant last = lastTyping.get(user);
        if (last != null && now.isBefore(last.plus(engine.limits().typingInterval()))) {
            return;
        }
        lastTyping.put(user, now);
        OutboundFrame frame = engine.codec().typing(id.value(), session.principal());
        broadcastExceptUser(frame, user);
        engine.cluster().typing(id, user, frame);
    }

    // ---- room lifecycle ----

    CompletableFuture<Void> delete(Principal actor) {
        requireAlive();
        Permissions.Standing standing = standingOf(actor);
        if (!Permissions.allows(standing, Permissions.Action.DELETE_ROOM, null, false)) {
            if (standing.banned()) {
                throw Permissions.banned(standing.ban());
            }
            throw new ForbiddenException("Only the room owner or an admin may delete room " + id);
        }
        // Read before the delete: afterwards nothing says which bytes were this room's.
        List<Attachment> files = attachments();
        deleting = true;
        return engine.writer().submit(new StoreWrite.DeleteRoom(id)).whenCompleteAsync((v, failure) -> {
            deleting = false;
            if (failure != null) {
                return;
            }
            deleted = true;
            engine.roomDeleted(room, actor);
            files.forEach(engine::discardAttachment);
            broadcast(engine.codec().roomDeleted(id.value()));
            engine.events().roomDeleted(id, actor.id());
            present.values().forEach(p -> p.sessions().forEach(s -> s.exit(id)));
            present.clear();
            onlineCount = 0;
            stopRelaying();
            engine.forget(this);
            engine.roomDeletedHere(id);
        }, executor);
    }

    /** The attachments of the room's live messages, read page by page. */
    private List<Attachment> attachments() {
        if (!engine.filesEnabled()) {
            return List.of();
        }
        List<Attachment> files = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = engine.store().messagesAfter(id, after, ATTACHMENT_SCAN_PAGE);
            for (Message m : page) {
                if (m.attachment() != null) {
                    files.add(m.attachment());
                }
            }
            if (page.size() < ATTACHMENT_SCAN_PAGE) {
                return files;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    private static final int ATTACHMENT_SCAN_PAGE = 500;

    /** Archives ({@code archive}) or unarchives the room; either is a no-op when already so. */
    CompletableFuture<Void> setArchived(Principal actor, boolean archive) {
        requireAlive();
        if (archive == engine.isArchived(id)) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = engine.now();
        Instant at = archive ? now : null;
        return change(List.of(new StoreWrite.SetRoomArchived(id, at)),
                archive ? RoomEvent.Kind.ROOM_ARCHIVED : RoomEvent.Kind.ROOM_UNARCHIVED, now, 0, null)
                .thenRun(() -> engine.archivedChanged(room, at, actor));
    }

    /**
     * Deletes the room if, on its lane now, it still qualifies: not archived, nobody present, nothing
     * since {@code cutoff}. Completes with whether it was deleted.
     */
    CompletableFuture<Boolean> expire(Instant cutoff) {
        requireAlive();
        if (engine.isArchived(id) || !present.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        Instant lastMessage = engine.store().message(id, engine.store().lastSeq(id)).map(Message::createdAt).orElse(null);
        if (Engine.latest(room.createdAt(), lastMessage, lastPresenceChange).isAfter(cutoff)) {
            return CompletableFuture.completedFuture(false);
        }
        return delete(Engine.SYSTEM).thenApply(v -> true);
    }

    // ---- moderation ----

    private Permissions.Rank rankOf(Principal principal) {
        return Permissions.rank(principal, room, engine.store().member(id, principal.id()));
    }

    private Permissions.Rank rankOf(UserId user) {
        return Permissions.rank(user, room, engine.store().member(id, user));
    }

    /**
     * The actor's rank and ban here, a ban still being stored included: an owner an admin banned keeps
     * the owner rank, but not the room.
     */
    private Permissions.Standing standingOf(Principal principal) {
        Restriction pending = pendingBans.get(principal.id());
        Permissions.Standing stored = engine.standing(principal, room);
        return pending == null ? stored : new Permissions.Standing(stored.rank(), pending);
    }

    /** Throws {@code banned} when the user is banned here now, a ban still being stored included. */
    private void requireNotBanned(Principal principal) {
        Restriction pending = pendingBans.get(principal.id());
        if (pending != null && !principal.isAdmin()) {
            throw Permissions.banned(pending);
        }
        engine.requireNotBanned(principal, id);
    }

    private void requireMayPost(Principal principal) {
        requireNotBanned(principal);
        Optional<Restriction> mute = Optional.ofNullable(pendingMutes.get(principal.id()))
                .or(() -> engine.activeRestriction(id, principal.id(), Restriction.Kind.MUTE));
        if (mute.isPresent() && !principal.isAdmin()) {
            throw new MutedException("You are muted in room " + id
                    + (mute.get().until() == null ? "" : " until " + mute.get().until()), mute.get().until());
        }
    }

    /** Lock and slow mode hold plain members only; moderators, the owner and admins are exempt. */
    private void requireRoomAllowsPost(Principal principal) {
        if (!settings.locked() && settings.slowMode().isZero()) {
            return;
        }
        if (rankOf(principal).ordinal() <= Permissions.Rank.MODERATOR.ordinal()) {
            return;
        }
        if (settings.locked()) {
            throw new ForbiddenException("Room " + id + " is locked: only moderators may post");
        }
        Instant last = lastMessageAt.get(principal.id());
        Instant now = engine.now();
        if (last != null && now.isBefore(last.plus(settings.slowMode()))) {
            Duration wait = Duration.between(now, last.plus(settings.slowMode()));
            engine.observer().rateLimited(dev.webtalk.spi.EngineObserver.Limit.SLOW_MODE);
            throw new RateLimitedException("Slow mode: one message every " + settings.slowMode().toSeconds()
                    + " s in room " + id, wait);
        }
    }

    RoomSettings settings() {
        return settings;
    }

    /** Changes the room's settings ({@code change} maps the current ones to the new), audited, then tells the room. */
    CompletableFuture<AuditEntry> updateSettings(Principal actor, java.util.function.UnaryOperator<RoomSettings> change) {
        requireAlive();
        Permissions.check(standingOf(actor), Permissions.Action.SET_ROOM, null, false);
        RoomSettings next = change.apply(settings);
        if (next.equals(settings)) {
            return CompletableFuture.completedFuture(null);
        }
        AuditEntry audit = new AuditEntry(0, id, engine.now(), actor.id(), actor.displayName(),
                ModerationAction.SET_ROOM, null, null, null, null, null, next);
        return change(List.of(new StoreWrite.PutRoomSettings(id, next), new StoreWrite.AppendAudit(audit)),
                RoomEvent.Kind.SETTINGS_CHANGED, audit.at(), 0, null)
                .thenApply(writes -> {
                    settings = next;
                    broadcast(engine.codec().roomUpdated(id.value(), next, Committed.pos(writes)));
                    AuditEntry stored = Committed.audit(writes);
                    engine.events().moderated(stored);
                    return stored;
                });
    }

    /**
     * Runs one moderation action against {@code target}: checks the permission table, stores the change
     * and its audit entry in one batch, then tells the room. {@code until} is for bans and mutes,
     * {@code role} for {@link ModerationAction#SET_ROLE}.
     */
    CompletableFuture<AuditEntry> moderate(Principal actor, ModerationAction action, UserId target, String reason,
                                          Instant until, MemberRole role) {
        requireAlive();
        Optional<Member> targetMember = engine.store().member(id, target);
        Permissions.Rank targetRank = Permissions.rank(target, room, targetMember);
        Permissions.check(standingOf(actor), permission(action), targetRank, actor.id().equals(target));
        Instant now = engine.now();
        // Kept with the entry (and a ban or mute), so the log names them after they have left.
        String targetName = targetMember.map(Member::displayName)
                .orElseGet(() -> Optional.ofNullable(present.get(target)).map(p -> p.member().displayName()).orElse(null));
        List<StoreWrite> writes = new ArrayList<>(4);
        switch (action) {
            case KICK -> {
                if (targetMember.isEmpty() && !present.containsKey(target)) {
                    throw new NotMemberException(target + " is not in room " + id);
                }
                writes.add(new StoreWrite.RemoveMember(id, target));
            }
            case BAN -> {
                writes.add(new StoreWrite.PutRestriction(new Restriction(id, target, targetName, Restriction.Kind.BAN,
                        reason, until, actor.id(), now)));
                writes.add(new StoreWrite.RemoveMember(id, target));
            }
            case MUTE -> writes.add(new StoreWrite.PutRestriction(new Restriction(id, target, targetName,
                    Restriction.Kind.MUTE, reason, until, actor.id(), now)));
            case UNBAN, UNMUTE -> {
                Restriction.Kind kind = action == ModerationAction.UNBAN ? Restriction.Kind.BAN : Restriction.Kind.MUTE;
                Optional<Restriction> lifted = engine.activeRestriction(id, target, kind);
                if (lifted.isEmpty()) {
                    return CompletableFuture.completedFuture(null); // nothing to lift: nothing to audit
                }
                if (targetName == null) {
                    targetName = lifted.get().userName(); // a banned user is no member: named by the ban
                }
                writes.add(new StoreWrite.RemoveRestriction(id, target, kind));
            }
            case SET_ROLE -> {
                Member m = targetMember.orElseThrow(() -> new NotMemberException(target + " is not a member of room " + id));
                if (m.role() == role) {
                    return CompletableFuture.completedFuture(null);
                }
                writes.add(new StoreWrite.PutMember(withRole(m, role)));
            }
            case TRANSFER_OWNERSHIP -> {
                Member m = targetMember.orElseThrow(() -> new NotMemberException(target + " is not a member of room " + id));
                writes.add(new StoreWrite.SetOwner(id, target));
                writes.add(new StoreWrite.PutMember(withRole(m, MemberRole.OWNER)));
                engine.store().member(id, room.ownerId())
                        .ifPresent(old -> writes.add(new StoreWrite.PutMember(withRole(old, MemberRole.MODERATOR))));
            }
            default -> throw new IllegalArgumentException("not a user moderation action: " + action);
        }
        AuditEntry audit = new AuditEntry(0, id, now, actor.id(), actor.displayName(), action, target, targetName,
                reason, until, null, action == ModerationAction.SET_ROLE ? role : null, null);
        writes.add(new StoreWrite.AppendAudit(audit));
        String pushedName = targetName;
        CompletableFuture<List<StoreWrite>> write = change(writes, eventKind(action), now, 0, target);
        Map<UserId, Restriction> pending = action == ModerationAction.BAN ? pendingBans
                : action == ModerationAction.MUTE ? pendingMutes : null;
        Restriction restriction = writes.get(0) instanceof StoreWrite.PutRestriction put ? put.restriction() : null;
        if (pending != null && !write.isDone()) {
            pending.put(target, restriction);
        }
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        write.whenComplete((committed, failure) -> {
            if (pending != null) {
                pending.remove(target, restriction);
            }
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            AuditEntry stored = Committed.audit(committed);
            moderated(stored, pushedName, Committed.pos(committed));
            done.complete(stored);
        });
        return done;
    }

    /** After the commit: everyone present (the target too) hears of it, then the live state follows. */
    private void moderated(AuditEntry audit, String targetName, long pos) {
        UserId target = audit.targetId();
        broadcast(engine.codec().moderation(audit, targetName, pos));
        engine.events().moderated(audit); // listeners see the same order as the room
        switch (audit.action()) {
            case KICK -> removeUser(target, "kicked");
            case BAN -> removeUser(target, "banned");
            case SET_ROLE -> refreshPresence(target);
            case TRANSFER_OWNERSHIP -> {
                UserId oldOwner = room.ownerId();
                room = new Room(room.id(), room.name(), target, room.passwordHash(), room.createdAt());
                refreshPresence(target);
                refreshPresence(oldOwner);
            }
            default -> {
            }
        }
    }

    /** Re-reads a present user's membership (after a role change) so later pushes show the new role. */
    private void refreshPresence(UserId user) {
        Presence presence = present.get(user);
        if (presence != null) {
            engine.store().member(id, user).ifPresent(m -> present.put(user, new Presence(m, presence.sessions())));
        }
    }

    private static Member withRole(Member m, MemberRole role) {
        return new Member(m.roomId(), m.userId(), m.displayName(), role, m.joinedAt());
    }

    private static RoomEvent.Kind eventKind(ModerationAction action) {
        return switch (action) {
            case KICK -> RoomEvent.Kind.MEMBER_KICKED;
            case BAN -> RoomEvent.Kind.MEMBER_BANNED;
            case UNBAN -> RoomEvent.Kind.MEMBER_UNBANNED;
            case MUTE -> RoomEvent.Kind.MEMBER_MUTED;
            case UNMUTE -> RoomEvent.Kind.MEMBER_UNMUTED;
            case SET_ROLE -> RoomEvent.Kind.MEMBER_ROLE_CHANGED;
            case TRANSFER_OWNERSHIP -> RoomEvent.Kind.OWNER_CHANGED;
            case DELETE_MESSAGE, SET_ROOM -> throw new IllegalArgumentException("not a user moderation action: " + action);
        };
    }

    private static Permissions.Action permission(ModerationAction action) {
        return switch (action) {
            case DELETE_MESSAGE -> Permissions.Action.DELETE_MESSAGE;
            case KICK -> Permissions.Action.KICK;
            case BAN -> Permissions.Action.BAN;
            case UNBAN -> Permissions.Action.UNBAN;
            case MUTE -> Permissions.Action.MUTE;
            case UNMUTE -> Permissions.Action.UNMUTE;
            case SET_ROLE -> Permissions.Action.SET_ROLE;
            case TRANSFER_OWNERSHIP -> Permissions.Action.TRANSFER_OWNERSHIP;
            case SET_ROOM -> Permissions.Action.SET_ROOM;
        };
    }

    // ---- fan-out: one encoded frame, every recipient ----

    /**
     * Tells the room that {@code member} became present. Alone, that is a {@code member_joined} to everyone
     * else, at once. In a burst (more work for this room already queued behind this join), the notices
     * wait on the room's lane and go out together as one {@code members_joined} to everyone: each join
     * into a room of N costs N frames, so N joins one by one would cost N² — 500,000 frames for a
     * 1000-member room filling up. Anything else broadcast in the room sends the waiting notices first,
     * so every member still sees a user join before anything that user does.
     */
    private void announceJoin(Member member) {
        if (pendingJoins.isEmpty() && !executor.hasQueuedTasks()) {
            sendExceptUser(engine.codec().memberJoined(member), member.userId());
            return;
        }
        pendingJoins.add(member);
        if (pendingJoins.size() == 1) {
            try {
                executor.execute(this::flushJoins);
            } catch (RejectedExecutionException e) {
                flushJoins(); // shutting down: say it now rather than never
            }
        }
    }

    private void flushJoins() {
        if (pendingJoins.isEmpty()) {
            return;
        }
        List<Member> joined = List.copyOf(pendingJoins);
        pendingJoins.clear();
        if (joined.size() == 1) {
            sendExceptUser(engine.codec().memberJoined(joined.get(0)), joined.get(0).userId());
        } else {
            sendToAll(engine.codec().membersJoined(id, joined));
        }
    }

    /**
     * Sends a push to everyone present, after anything held back (join notices, reaction changes), so
     * that pushes still leave in stream order: a client that saw a position has seen every push before it.
     */
    private void broadcast(OutboundFrame frame) {
        flushJoins();
        flushReactions();
        if (relaying != null) {
            relaying.add(new Relayed.Push(frame, false));
        }
        if (!alreadyPushed) {
            sendToAll(frame);
        }
    }

    /**
     * Sends a push to everyone present but {@code except}. While a change of this node is applied, the
     * push is one of its pushes (a member left: {@code except} is the member the event concerns).
     */
    private void broadcastExceptUser(OutboundFrame frame, UserId except) {
        flushJoins();
        if (relaying != null) {
            relaying.add(new Relayed.Push(frame, true));
        }
        if (!alreadyPushed) {
            sendExceptUser(frame, except);
        }
    }

    private void sendToAll(OutboundFrame frame) {
        sendExceptUser(frame, null);
    }

    /** One hand-over per fan-out thread, however many are present ({@link FanOut}). */
    private void sendExceptUser(OutboundFrame frame, UserId except) {
        FanOut.Broadcast push = engine.fanOut().broadcast(frame, present.size());
        for (Presence p : present.values()) {
            if (except == null || !p.member().userId().equals(except)) {
                for (ClientSession s : p.sessions()) {
                    push.add(s.outbox());
                }
            }
        }
        int recipients = push.send();
        if (recipients > 0) {
            engine.observer().pushesSent(recipients);
        }
    }
}
