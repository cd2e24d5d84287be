package dev.webtalk.testing;

import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.StoreWrite;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ChatStore} that passes every call to another one: extend it and override what a test wants
 * to watch or change (the way {@link RecordingChatStore} records and holds writes).
 */
public class ForwardingChatStore implements ChatStore {
    private final ChatStore delegate;

    public ForwardingChatStore(ChatStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped store. */
    protected ChatStore delegate() {
        return delegate;
    }

    @Override
    public void apply(List<StoreWrite> batch) {
        delegate.apply(batch);
    }

    @Override
    public Optional<Room> room(RoomId id) {
        return delegate.room(id);
    }

    @Override
    public List<Room> rooms() {
        return delegate.rooms();
    }

    @Override
    public List<Member> members(RoomId roomId) {
        return delegate.members(roomId);
    }

    @Override
    public Optional<Member> member(RoomId roomId, UserId userId) {
        return delegate.member(roomId, userId);
    }

    @Override
    public Map<RoomId, Integer> memberCounts() {
        return delegate.memberCounts();
    }

    @Override
    public Map<RoomId, String> ownerNames() {
        return delegate.ownerNames();
    }

    @Override
    public List<dev.webtalk.ActivityBucket> messageActivity(java.time.Instant from, java.time.Duration bucket) {
        return delegate.messageActivity(from, bucket);
    }

    @Override
    public long lastSeq(RoomId roomId) {
        return delegate.lastSeq(roomId);
    }

    @Override
    public long lastPos(RoomId roomId) {
        return delegate.lastPos(roomId);
    }

    @Override
    public List<dev.webtalk.RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit) {
        return delegate.eventsAfter(roomId, afterPos, limit);
    }

    @Override
    public List<dev.webtalk.MessageEdit> edits(RoomId roomId, long seq) {
        return delegate.edits(roomId, seq);
    }

    @Override
    public Map<Long, List<dev.webtalk.Reaction>> reactions(RoomId roomId, java.util.Collection<Long> seqs, UserId reader) {
        return delegate.reactions(roomId, seqs, reader);
    }

    @Override
    public List<dev.webtalk.Pin> pins(RoomId roomId) {
        return delegate.pins(roomId);
    }

    @Override
    public List<RoomId> roomsOf(UserId userId) {
        return delegate.roomsOf(userId);
    }

    @Override
    public long readSeq(RoomId roomId, UserId userId) {
        return delegate.readSeq(roomId, userId);
    }

    @Override
    public long mentionsAfter(RoomId roomId, UserId userId, long afterSeq) {
        return delegate.mentionsAfter(roomId, userId, afterSeq);
    }

    @Override
    public List<Message> history(RoomId roomId, long beforeSeq, int limit) {
        return delegate.history(roomId, beforeSeq, limit);
    }

    @Override
    public List<Message> messagesAfter(RoomId roomId, long afterSeq, int limit) {
        return delegate.messagesAfter(roomId, afterSeq, limit);
    }

    @Override
    public Optional<Message> message(RoomId roomId, long seq) {
        return delegate.message(roomId, seq);
    }

    @Override
    public Optional<Message> messageByClientId(RoomId roomId, UserId authorId, String clientMsgId) {
        return delegate.messageByClientId(roomId, authorId, clientMsgId);
    }

    @Override
    public Optional<Message> messageByAttachment(RoomId roomId, String attachmentId) {
        return delegate.messageByAttachment(roomId, attachmentId);
    }

    @Override
    public boolean isAttachmentReferenced(String attachmentId) {
        return delegate.isAttachmentReferenced(attachmentId);
    }

    @Override
    public Map<RoomId, java.time.Instant> archivedRooms() {
        return delegate.archivedRooms();
    }

    @Override
    public Map<RoomId, RoomActivity> roomActivity() {
        return delegate.roomActivity();
    }

    @Override
    public long messageCountSince(java.time.Instant since) {
        return delegate.messageCountSince(since);
    }

    @Override
    public Map<String, String> settings() {
        return delegate.settings();
    }

    @Override
    public void ping() {
        delegate.ping();
    }

    @Override
    public dev.webtalk.RoomSettings roomSettings(RoomId roomId) {
        return delegate.roomSettings(roomId);
    }

    @Override
    public Optional<Restriction> restriction(RoomId roomId, UserId userId, Restriction.Kind kind) {
        return delegate.restriction(roomId, userId, kind);
    }

    @Override
    public List<Restriction> restrictions(RoomId roomId) {
        return delegate.restrictions(roomId);
    }

    @Override
    public List<AuditEntry> audit(RoomId roomId, long beforeId, int limit) {
        return delegate.audit(roomId, beforeId, limit);
    }

    @Override
    public void putHostSession(dev.webtalk.spi.HostSession session) {
        delegate.putHostSession(session);
    }

    @Override
    public Optional<dev.webtalk.spi.HostSession> hostSession(String key) {
        return delegate.hostSession(key);
    }

    @Override
    public boolean deleteHostSession(String key) {
        return delegate.deleteHostSession(key);
    }

    @Override
    public int deleteHostSessionsExpiredBy(Instant now) {
        return delegate.deleteHostSessionsExpiredBy(now);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
