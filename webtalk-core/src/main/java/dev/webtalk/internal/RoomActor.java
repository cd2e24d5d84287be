package dev.webtalk.internal;

import dev.webtalk.Attachment;
import dev.webtalk.AuditEntry;
import dev.webtalk.BannedException;
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
import dev.webtalk.OverloadedException;
import dev.webtalk.Principal;
import dev.webtalk.Restriction;
import dev.webtalk.RateLimitedException;
import dev.webtalk.Room;
import dev.webtalk.RoomSettings;
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

/**
 * One room's live state: its next seq, who is present, typing throttles. Every method runs on the
 * room's {@link SerialExecutor} (the engine guarantees it), so the fields need no locks and every
 * change to the room happens in one order that all members see.
 *
 * <p>Writes follow "store, then fan out": a message gets its seq here, goes to the {@link StoreWriter},
 * and only when the commit is confirmed is it acknowledged and pushed. The writer confirms in
 * submission order, so pushes leave in seq order.
 */
final class RoomActor {
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
    private long nextSeq;
    private int pendingAppends;
    private boolean needsResync;
    private final Map<UserId, Presence> present = new LinkedHashMap<>();
    private final Map<UserId, Instant> lastTyping = new HashMap<>();
    /** Join notices of a burst, waiting to go out as one frame (see {@link #announceJoin}). */
    private final List<Member> pendingJoins = new ArrayList<>();
    private final Map<String, CompletableFuture<Message>> sendsInFlight = new HashMap<>();
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
            nextSeq = engine.store().lastSeq(id) + 1;
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
            membership = engine.writer().submit(new StoreWrite.PutMember(member)).thenApply(v -> {
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
            presence = new Presence(member, new ArrayList<>(2));
            present.put(member.userId(), presence);
            onlineCount = present.size();
            lastPresenceChange = engine.now();
            announceJoin(member);
            engine.events().memberJoined(member);
        } else if (!presence.member().equals(member)) {
            present.put(member.userId(), new Presence(member, presence.sessions()));
            presence = present.get(member.userId());
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
        List<JoinResult.MemberView> members = new ArrayList<>();
        for (Member m : engine.store().members(id)) {
            members.add(new JoinResult.MemberView(m, present.containsKey(m.userId())));
        }
        if (since != null) {
            long missed = engine.store().lastSeq(id) - since;
            // A since past the newest stored seq is a client that holds something this room never
            // stored (or a foreign state): it cannot be patched, only reloaded.
            if (missed >= 0 && missed <= engine.limits().maxResumeMessages()) {
                List<Message> messages = missed == 0 ? List.of() : engine.store().messagesAfter(id, since, (int) missed);
                return JoinResult.resumed(engine.summary(room, onlineCount), self, members, messages);
            }
        }
        HistoryPage history = engine.historyPage(id, Long.MAX_VALUE, engine.limits().joinHistory());
        return JoinResult.page(engine.summary(room, onlineCount), self, members, history, since != null);
    }

    CompletableFuture<Void> leave(ClientSession session) {
        requireAlive();
        UserId user = session.principal().id();
        if (engine.store().member(id, user).isEmpty() && !present.containsKey(user)) {
            throw new NotMemberException("Not a member of room " + id);
        }
        return engine.writer().submit(new StoreWrite.RemoveMember(id, user))
                .thenRunAsync(() -> removeUser(user, "left"), executor);
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
        Presence presence = present.remove(user);
        lastTyping.remove(user);
        if (presence == null) {
            return;
        }
        onlineCount = present.size();
        lastPresenceChange = engine.now();
        presence.sessions().forEach(s -> s.exit(id));
        broadcastExceptUser(engine.codec().memberLeft(presence.member(), reason), user);
        engine.events().memberLeft(presence.member(), reason);
    }

    // ---- messages ----

    CompletableFuture<Message> send(ClientSession session, String text, String clientMsgId) {
        requireAlive();
        Principal principal = session.principal();
        requireNotBanned(principal); // before presence: a banned user learns why, not just "join first"
        Presence presence = present.get(principal.id());
        if (presence == null || !presence.sessions().contains(session)) {
            throw new NotMemberException("Join room " + id + " before sending to it");
        }
        engine.requireNotArchived(id);
        requireMayPost(principal);
        if (needsResync) {
            throw new OverloadedException("Room " + id + " is recovering from a store failure; retry");
        }
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
        String filtered = engine.filter(principal, id, text);
        lastMessageAt.put(principal.id(), engine.now());
        Message message = new Message(id, nextSeq, principal.id(), principal.displayName(), MessageKind.TEXT,
                filtered, clientMsgId, engine.now(), null);
        return append(message, key);
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
        if (needsResync) {
            throw new OverloadedException("Room " + id + " is recovering from a store failure; retry");
        }
        lastMessageAt.put(principal.id(), engine.now());
        Message message = new Message(id, nextSeq, principal.id(), principal.displayName(), MessageKind.FILE,
                attachment.name(), null, engine.now(), null, attachment);
        return append(message, null);
    }

    /**
     * Posts a {@link MessageKind#SYSTEM} message from the server: it takes the next seq and is stored and
     * pushed like any message, but no user posts it, so presence, rate limits, bans, mutes, lock, slow mode
     * and filters do not apply. An archived room is still read-only.
     */
    CompletableFuture<Message> postSystem(String text) {
        requireAlive();
        engine.requireNotArchived(id);
        if (needsResync) {
            throw new OverloadedException("Room " + id + " is recovering from a store failure; retry");
        }
        Message message = new Message(id, nextSeq, Engine.SYSTEM.id(), Engine.SYSTEM.displayName(), MessageKind.SYSTEM,
                text, null, engine.now(), null);
        return append(message, null);
    }

    /** The users present now, each once, in the order they arrived. */
    List<Member> presentMembers() {
        List<Member> members = new ArrayList<>(present.size());
        for (Presence p : present.values()) {
            members.add(p.member());
        }
        return members;
    }

    /** Stores a message with the next seq, then acknowledges and fans it out; {@code key} dedupes retries. */
    private CompletableFuture<Message> append(Message message, String key) {
        CompletableFuture<Void> write = engine.writer().submit(new StoreWrite.AppendMessage(message));
        if (write.isCompletedExceptionally()) {
            return write.thenApply(v -> message); // refused at once (queue full): the seq was never used
        }
        nextSeq++;
        pendingAppends++;
        CompletableFuture<Message> acked = new CompletableFuture<>();
        if (key != null) {
            sendsInFlight.put(key, acked);
        }
        write.whenCompleteAsync((v, failure) -> {
            pendingAppends--;
            if (key != null) {
                sendsInFlight.remove(key);
            }
            if (failure != null) {
                // Later seqs may already be queued; resync from the store once they have all settled.
                needsResync = true;
                resyncWhenIdle();
                acked.completeExceptionally(failure);
                return;
            }
            broadcast(engine.codec().messagePush(message));
            engine.events().messagePosted(message);
            acked.complete(message);
            resyncWhenIdle();
        }, executor);
        return acked;
    }

    private void resyncWhenIdle() {
        if (needsResync && pendingAppends == 0) {
            nextSeq = engine.store().lastSeq(id) + 1;
            needsResync = false;
        }
    }

    CompletableFuture<Void> deleteMessage(Principal actor, long seq) {
        requireAlive();
        Message message = engine.store().message(id, seq)
                .orElseThrow(() -> new MessageNotFoundException("No message " + seq + " in room " + id));
        boolean own = message.authorId().equals(actor.id());
        if (!own) {
            requireNotBanned(actor);
        }
        engine.requireNotArchived(id);
        Permissions.check(rankOf(actor), Permissions.Action.DELETE_MESSAGE, rankOf(message.authorId()), own);
        if (message.isDeleted()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant at = engine.now();
        List<StoreWrite> writes = new ArrayList<>(2);
        writes.add(new StoreWrite.DeleteMessage(id, seq, at));
        AuditEntry audit = own ? null : new AuditEntry(0, id, at, actor.id(), actor.displayName(),
                ModerationAction.DELETE_MESSAGE, message.authorId(), null, null, seq, null);
        if (audit != null) {
            writes.add(new StoreWrite.AppendAudit(audit));
        }
        return engine.writer().submit(writes)
                .thenRunAsync(() -> {
                    broadcast(engine.codec().messageDeleted(message.deleted(at)));
                    engine.events().messageDeleted(message.deleted(at), actor.id());
                    if (audit != null) {
                        engine.events().moderated(audit);
                    }
                }, executor)
                .thenRun(() -> engine.discardAttachment(message.attachment()));
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
        broadcastExceptUser(engine.codec().typing(id.value(), session.principal()), user);
    }

    // ---- room lifecycle ----

    CompletableFuture<Void> delete(Principal actor) {
        requireAlive();
        if (!Permissions.allows(rankOf(actor), Permissions.Action.DELETE_ROOM, null, false)) {
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
            engine.forget(this);
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
        Instant at = archive ? engine.now() : null;
        return engine.writer().submit(new StoreWrite.SetRoomArchived(id, at))
                .thenRunAsync(() -> engine.archivedChanged(room, at, actor), executor);
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

    /** Throws {@code banned} or {@code muted} when the user may not post here now. */
    private void requireNotBanned(Principal principal) {
        Restriction pending = pendingBans.get(principal.id());
        if (pending != null && !principal.isAdmin()) {
            throw new BannedException("You are banned from room " + id, pending.until());
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
        requireNotBanned(actor);
        Permissions.check(rankOf(actor), Permissions.Action.SET_ROOM, null, false);
        RoomSettings next = change.apply(settings);
        if (next.equals(settings)) {
            return CompletableFuture.completedFuture(null);
        }
        AuditEntry audit = new AuditEntry(0, id, engine.now(), actor.id(), actor.displayName(),
                ModerationAction.SET_ROOM, null, null, null, null, null, next);
        return engine.writer().submit(List.of(new StoreWrite.PutRoomSettings(id, next), new StoreWrite.AppendAudit(audit)))
                .thenApplyAsync(v -> {
                    settings = next;
                    broadcast(engine.codec().roomUpdated(id.value(), next));
                    engine.events().moderated(audit);
                    return audit;
                }, executor);
    }

    /**
     * Runs one moderation action against {@code target}: checks the permission table, stores the change
     * and its audit entry in one batch, then tells the room. {@code until} is for bans and mutes,
     * {@code role} for {@link ModerationAction#SET_ROLE}.
     */
    CompletableFuture<AuditEntry> moderate(Principal actor, ModerationAction action, UserId target, String reason,
                                          Instant until, MemberRole role) {
        requireAlive();
        requireNotBanned(actor); // an owner an admin banned keeps the owner rank, but not the room
        Optional<Member> targetMember = engine.store().member(id, target);
        Permissions.Rank targetRank = Permissions.rank(target, room, targetMember);
        Permissions.check(rankOf(actor), permission(action), targetRank, actor.id().equals(target));
        Instant now = engine.now();
        List<StoreWrite> writes = new ArrayList<>(4);
        switch (action) {
            case KICK -> {
                if (targetMember.isEmpty() && !present.containsKey(target)) {
                    throw new NotMemberException(target + " is not in room " + id);
                }
                writes.add(new StoreWrite.RemoveMember(id, target));
            }
            case BAN -> {
                writes.add(new StoreWrite.PutRestriction(new Restriction(id, target, Restriction.Kind.BAN, reason,
                        until, actor.id(), now)));
                writes.add(new StoreWrite.RemoveMember(id, target));
            }
            case MUTE -> writes.add(new StoreWrite.PutRestriction(new Restriction(id, target, Restriction.Kind.MUTE,
                    reason, until, actor.id(), now)));
            case UNBAN, UNMUTE -> {
                Restriction.Kind kind = action == ModerationAction.UNBAN ? Restriction.Kind.BAN : Restriction.Kind.MUTE;
                if (engine.activeRestriction(id, target, kind).isEmpty()) {
                    return CompletableFuture.completedFuture(null); // nothing to lift: nothing to audit
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
        AuditEntry audit = new AuditEntry(0, id, now, actor.id(), actor.displayName(), action, target, reason,
                until, null, action == ModerationAction.SET_ROLE ? role : null);
        writes.add(new StoreWrite.AppendAudit(audit));
        String targetName = targetMember.map(Member::displayName)
                .orElseGet(() -> Optional.ofNullable(present.get(target)).map(p -> p.member().displayName()).orElse(null));
        CompletableFuture<Void> write = engine.writer().submit(writes);
        Map<UserId, Restriction> pending = action == ModerationAction.BAN ? pendingBans
                : action == ModerationAction.MUTE ? pendingMutes : null;
        Restriction restriction = writes.get(0) instanceof StoreWrite.PutRestriction put ? put.restriction() : null;
        if (pending != null && !write.isDone()) {
            pending.put(target, restriction);
        }
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        write.whenCompleteAsync((v, failure) -> {
            if (pending != null) {
                pending.remove(target, restriction);
            }
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            moderated(audit, targetName);
            done.complete(audit);
        }, executor);
        return done;
    }

    /** After the commit: everyone present (the target too) hears of it, then the live state follows. */
    private void moderated(AuditEntry audit, String targetName) {
        UserId target = audit.targetId();
        broadcast(engine.codec().moderation(audit, targetName));
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

    private void broadcast(OutboundFrame frame) {
        flushJoins();
        sendToAll(frame);
    }

    private void broadcastExceptUser(OutboundFrame frame, UserId except) {
        flushJoins();
        sendExceptUser(frame, except);
    }

    private void sendToAll(OutboundFrame frame) {
        for (Presence p : present.values()) {
            for (ClientSession s : p.sessions()) {
                s.send(frame);
            }
        }
    }

    private void sendExceptUser(OutboundFrame frame, UserId except) {
        for (Presence p : present.values()) {
            if (!p.member().userId().equals(except)) {
                for (ClientSession s : p.sessions()) {
                    s.send(frame);
                }
            }
        }
    }
}
