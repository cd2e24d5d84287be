package dev.webtalk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.InvalidRequestException;
import dev.webtalk.MemberRole;
import dev.webtalk.Message;
import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.Session;
import dev.webtalk.UserId;
import dev.webtalk.WebTalkException;
import dev.webtalk.protocol.ClientFrame;
import dev.webtalk.protocol.CloseCodes;
import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.protocol.InternalErrors;
import dev.webtalk.protocol.MessageContext;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's protocol handler: decodes frames, dispatches them to the engine, and answers every
 * request that has an id exactly once. A failure in one request is answered on this connection and
 * touches nothing else. Requests for one room take effect in the order sent ({@link RequestLanes}).
 */
final class ClientSession implements Session {

    private final Engine engine;
    private final Principal principal;
    private final Outbox outbox;
    private final Set<RoomId> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    private final RequestLanes lanes;

    ClientSession(Engine engine, Principal principal, Connection connection, FanOutLane lane) {
        this.engine = engine;
        this.principal = principal;
        this.outbox = new Outbox(connection, lane);
        // A join waiting behind another may hash a password when it starts: not on a room's thread.
        this.lanes = new RequestLanes(engine.limits().maxQueuedRequests(), ForkJoinPool.commonPool(),
                () -> engine.observer().rateLimited(dev.webtalk.spi.EngineObserver.Limit.QUEUED_REQUESTS));
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public Set<RoomId> rooms() {
        return Collections.unmodifiableSet(rooms);
    }

    /**
     * Records presence in a room. Returns {@code false}, recording nothing, once the connection has
     * closed: {@link #onClose} has then already handed the rooms to the engine for cleanup, and a room
     * entered now would never be cleaned up.
     */
    synchronized boolean enter(RoomId room) {
        if (closed.get()) {
            return false;
        }
        rooms.add(room);
        return true;
    }

    void exit(RoomId room) {
        rooms.remove(room);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Sends a push (anything but a reply): one fan-out delivery. */
    void send(OutboundFrame frame) {
        if (!closed.get()) {
            outbox.send(frame);
            engine.observer().frameSent(false);
        }
    }

    /** Sends the reply to a request; false if the connection is closed. */
    private boolean reply(OutboundFrame frame) {
        if (closed.get()) {
            return false;
        }
        outbox.send(frame);
        engine.observer().frameSent(true);
        return true;
    }

    /** This connection's way out, for pushes that go to many connections at once ({@link FanOut}). */
    Outbox outbox() {
        return outbox;
    }

    /** Frames the transport holds for this client and has not written yet. */
    long queuedFrames() {
        return outbox.transportQueuedFrames();
    }

    /** Closes the connection from the server side; does nothing once it is closed. */
    void close(int code, String reason) {
        if (markClosed()) {
            outbox.close(code, reason);
            engine.disconnected(this);
        }
    }

    /**
     * Closes a connection the engine did not accept (never counted, never welcomed): unlike
     * {@link #close}, the engine is not told, as it never knew this session.
     */
    void refuse(int code, String reason) {
        if (markClosed()) {
            outbox.close(code, reason);
        }
    }

    @Override
    public void onClose() {
        if (markClosed()) {
            outbox.discard();
            engine.disconnected(this);
        }
    }

    @Override
    public void onDropped(int closeCode) {
        if (markClosed()) {
            engine.observer().connectionDropped(closeCode);
            engine.disconnected(this);
        }
    }

    /** Whether this call closed the session. Locked to order the close against {@link #enter}. */
    private synchronized boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    @Override
    public void onBinary() {
        if (!closed.get()) {
            invalidFrame(null, new InvalidRequestException("Binary frames are not part of the protocol; send JSON text"));
        }
    }

    /** Answers a frame that cannot be served, and closes a connection that sends nothing else. */
    private void invalidFrame(String id, WebTalkException error) {
        replyError(id, error);
        if (consecutiveErrors.incrementAndGet() >= engine.limits().maxConsecutiveErrors()) {
            close(CloseCodes.TOO_MANY_ERRORS, "Too many invalid frames");
        }
    }

    @Override
    public void onText(String text) {
        if (closed.get()) {
            return;
        }
        ProtocolCodec.Decoded decoded = engine.codec().decode(text);
        if (decoded instanceof ProtocolCodec.Decoded.Failed failed) {
            invalidFrame(failed.id(), failed.error());
            return;
        }
        consecutiveErrors.set(0);
        ClientFrame frame = ((ProtocolCodec.Decoded.Ok) decoded).frame();
        CompletableFuture<? extends JsonNode> result;
        try {
            if (!(frame instanceof ClientFrame.Ping)) {
                engine.takeRequestToken(this);
            }
            RoomId room = targetRoom(frame);
            result = room == null ? dispatch(frame) : lanes.run(room, isMembershipChange(frame),
                    frame instanceof ClientFrame.Join, () -> dispatch(frame));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((json, failure) -> {
            if (failure != null) {
                replyError(frame.id(), failure);
            } else if (frame.id() != null) {
                reply(engine.codec().result(frame.id(), json));
            }
        });
    }

    /** The room a request acts on, for per-room ordering; {@code null} for requests that act on none. */
    private RoomId targetRoom(ClientFrame frame) {
        return frame instanceof ClientFrame.RoomFrame f ? engine.roomId(f.room()) : null;
    }

    private static boolean isMembershipChange(ClientFrame frame) {
        return frame instanceof ClientFrame.Join || frame instanceof ClientFrame.Leave
                || frame instanceof ClientFrame.DeleteRoom;
    }

    private CompletableFuture<? extends JsonNode> dispatch(ClientFrame frame) {
        ProtocolCodec codec = engine.codec();
        if (frame instanceof ClientFrame.ListRooms) {
            return done(roomList());
        } else if (frame instanceof ClientFrame.CreateRoom f) {
            return engine.createRoom(principal, f.name(), f.password()).thenApply(room -> {
                ObjectNode node = codec.empty();
                node.set("room", codec.room(engine.summary(room, 0)));
                return node;
            });
        } else if (frame instanceof ClientFrame.Join f) {
            return engine.join(this, engine.roomId(f.room()), f.password(), f.since()).thenApply(this::joinReply);
        } else if (frame instanceof ClientFrame.Leave f) {
            return engine.leave(this, engine.roomId(f.room())).thenApply(v -> codec.empty());
        } else if (frame instanceof ClientFrame.Send f) {
            // A message just stored has no reactions and no pin yet: only what it answers is read.
            return engine.send(this, engine.roomId(f.room()), f.text(), f.clientMsgId(), f.replyTo()).thenApply(m -> {
                ObjectNode node = codec.empty();
                node.set("message", codec.message(m, Views.shared(engine.store(), m)));
                return node;
            });
        } else if (frame instanceof ClientFrame.DeleteMessage f) {
            return engine.deleteMessage(principal, engine.roomId(f.room()), f.seq()).thenApply(v -> codec.empty());
        } else if (frame instanceof ClientFrame.EditMessage f) {
            return engine.editMessage(principal, engine.roomId(f.room()), f.seq(), f.text()).thenApply(this::messageResult);
        } else if (frame instanceof ClientFrame.React f) {
            return engine.react(principal, engine.roomId(f.room()), f.seq(), f.emoji(), f.add() == null || f.add())
                    .thenApply(reactions -> {
                        ObjectNode node = codec.empty();
                        node.set("message", codec.message(
                                engine.store().message(engine.roomId(f.room()), f.seq()).orElseThrow(
                                        () -> new dev.webtalk.MessageNotFoundException("No message " + f.seq())),
                                new MessageContext(null, reactions, null)));
                        return node;
                    });
        } else if (frame instanceof ClientFrame.Pin f) {
            return engine.pin(principal, engine.roomId(f.room()), f.seq(), f.pinned()).thenApply(v -> codec.empty());
        } else if (frame instanceof ClientFrame.MarkRead f) {
            return engine.markRead(principal, engine.roomId(f.room()), f.seq()).thenApply(state -> {
                ObjectNode node = codec.empty();
                node.put("seq", state.readSeq());
                node.put("unread", state.unread());
                node.put("mentions", state.mentions());
                return node;
            });
        } else if (frame instanceof ClientFrame.MessageEdits f) {
            return done(codec.edits(engine.messageEdits(principal, engine.roomId(f.room()), f.seq())));
        } else if (frame instanceof ClientFrame.History f) {
            RoomId room = engine.roomId(f.room());
            dev.webtalk.HistoryPage page = engine.history(principal, room, f.before(), f.limit());
            return done(codec.history(page, Views.forReader(engine.store(), room, page.messages(), principal.id())));
        } else if (frame instanceof ClientFrame.Members f) {
            return engine.members(principal, engine.roomId(f.room()), f.after(), f.limit()).thenApply(page -> {
                ObjectNode node = codec.empty();
                putMembers(node, "members", "next", page);
                return node;
            });
        } else if (frame instanceof ClientFrame.Typing f) {
            return engine.typing(this, engine.roomId(f.room())).thenApply(v -> codec.empty());
        } else if (frame instanceof ClientFrame.DeleteRoom f) {
            return engine.deleteRoom(principal, engine.roomId(f.room())).thenApply(v -> codec.empty());
        } else if (frame instanceof ClientFrame.Moderate f) {
            Duration duration = f.duration() == null ? null : Duration.ofSeconds(f.duration());
            return engine.moderate(principal, engine.roomId(f.room()), f.action(), userId(f.user()), f.reason(),
                    duration, role(f.role())).thenApply(entry -> {
                        ObjectNode node = codec.empty();
                        if (entry != null) {
                            node.set("entry", codec.auditEntry(entry));
                        }
                        return node;
                    });
        } else if (frame instanceof ClientFrame.SetRoom f) {
            if (f.slowMode() != null && (f.slowMode() < 0 || f.slowMode() > dev.webtalk.RoomSettings.MAX_SLOW_MODE.toSeconds())) {
                throw new InvalidRequestException("'slowMode' must be 0.." + dev.webtalk.RoomSettings.MAX_SLOW_MODE.toSeconds());
            }
            RoomId id = engine.roomId(f.room());
            return engine.updateRoomSettings(principal, id, f.slowMode() == null ? null : Duration.ofSeconds(f.slowMode()),
                    f.locked(), f.topic()).thenApply(entry -> {
                        ObjectNode node = codec.empty();
                        node.set("settings", codec.roomSettings(engine.roomSettings(id)));
                        return node;
                    });
        } else if (frame instanceof ClientFrame.Restrictions f) {
            return done(codec.restrictions(engine.restrictions(principal, engine.roomId(f.room()))));
        } else if (frame instanceof ClientFrame.Audit f) {
            return done(codec.audit(engine.audit(principal, engine.roomId(f.room()), f.before(), f.limit())));
        } else if (frame instanceof ClientFrame.Ping) {
            return done(codec.empty());
        }
        throw new IllegalStateException("Unhandled frame " + frame);
    }

    private static UserId userId(String raw) {
        try {
            return UserId.of(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'user' is not a user id");
        }
    }

    private static MemberRole role(String raw) {
        if (raw == null) {
            return null;
        }
        return switch (raw) {
            case "moderator" -> MemberRole.MODERATOR;
            case "member" -> MemberRole.MEMBER;
            default -> throw new InvalidRequestException("'role' must be 'moderator' or 'member'");
        };
    }

    /** {@code {"message":…}} with what this reader sees around it. */
    private ObjectNode messageResult(Message m) {
        ObjectNode node = engine.codec().empty();
        node.set("message", engine.codec().message(m,
                Views.forReader(engine.store(), m.roomId(), List.of(m), principal.id()).apply(m)));
        return node;
    }

    /** Every listed room, with this user's unread and mention counts in the rooms they are a member of. */
    private ObjectNode roomList() {
        ProtocolCodec codec = engine.codec();
        Map<RoomId, dev.webtalk.ReadState> read = engine.readStates(principal.id());
        ObjectNode node = codec.empty();
        ArrayNode array = node.putArray("rooms");
        for (dev.webtalk.RoomSummary summary : engine.rooms()) {
            ObjectNode room = codec.room(summary);
            dev.webtalk.ReadState state = read.get(summary.room().id());
            if (state != null) {
                room.put("unread", state.unread());
                room.put("mentions", state.mentions());
            }
            array.add(room);
        }
        return node;
    }

    private void putMembers(ObjectNode node, String listField, String nextField, MemberPages.Page page) {
        ArrayNode members = node.putArray(listField);
        page.members().forEach(m -> members.add(engine.codec().member(m.member(), m.online())));
        if (page.next() == null) {
            node.putNull(nextField);
        } else {
            node.put(nextField, page.next());
        }
    }

    private ObjectNode joinReply(JoinResult join) {
        ProtocolCodec codec = engine.codec();
        ObjectNode node = codec.empty();
        RoomId roomId = join.room().room().id();
        ObjectNode room = codec.room(join.room());
        room.put("unread", join.read().unread());
        room.put("mentions", join.read().mentions());
        node.set("room", room);
        node.put("role", join.self().role().name().toLowerCase(Locale.ROOT));
        node.set("settings", codec.roomSettings(engine.roomSettings(roomId)));
        putMembers(node, "members", "membersNext", join.members());
        node.put("pos", join.pos());
        node.put("readSeq", join.read().readSeq());
        List<Message> shown = new java.util.ArrayList<>(join.missed() != null ? join.missed() : join.history().messages());
        join.pins().forEach(p -> shown.add(p.message()));
        java.util.function.Function<Message, MessageContext> contexts =
                Views.forReader(engine.store(), roomId, shown, principal.id());
        ArrayNode pins = node.putArray("pins");
        for (JoinResult.PinnedMessage p : join.pins()) {
            ObjectNode pin = pins.addObject();
            pin.put("seq", p.pin().seq());
            pin.put("by", p.pin().pinnedBy().value());
            pin.put("at", p.pin().pinnedAt().toEpochMilli());
            pin.set("message", codec.message(p.message(), contexts.apply(p.message())));
        }
        if (join.missed() != null) {
            ArrayNode missed = node.putArray("missed");
            join.missed().forEach(m -> missed.add(codec.message(m, contexts.apply(m))));
            node.put("resync", false);
            return node;
        }
        ObjectNode history = codec.history(join.history(), contexts);
        node.set("history", history.get("messages"));
        node.set("hasMore", history.get("hasMore"));
        if (join.resync()) {
            node.put("resync", true);
        }
        return node;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private void replyError(String id, Throwable failure) {
        Throwable cause = unwrap(failure);
        ErrorCode code;
        boolean sent;
        if (cause instanceof WebTalkException e && e.code() != ErrorCode.INTERNAL) {
            code = e.code();
            sent = reply(engine.codec().error(id, code, e.getMessage(), e.details()));
        } else {
            // A fault's own text may name files or SQL: the client gets a reference, the log the detail.
            InternalErrors.Report report = InternalErrors.report(cause, "request of user " + principal.id().value());
            code = ErrorCode.INTERNAL;
            sent = reply(engine.codec().error(id, code, report.message(), report.details()));
        }
        if (sent) {
            engine.observer().errorSent(code);
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
