package dev.webtalk.spi;

import dev.webtalk.ActivityBucket;
import dev.webtalk.AuditEntry;
import dev.webtalk.Member;
import dev.webtalk.Message;
import dev.webtalk.MessageEdit;
import dev.webtalk.Pin;
import dev.webtalk.Reaction;
import dev.webtalk.Restriction;
import dev.webtalk.Room;
import dev.webtalk.RoomEvent;
import dev.webtalk.RoomId;
import dev.webtalk.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable storage of rooms, memberships and messages: the storage SPI.
 *
 * <p>Writes arrive only through {@link #apply}, called by the engine's single writer thread, one batch
 * at a time (the host's {@linkplain HostSession sign-in sessions} aside, which are no room data). Reads may be called from any thread at any time, concurrently with a write, and must see
 * only committed batches. Implementations report failures as {@link dev.webtalk.StoreException}.
 *
 * <p>Instants are kept to the millisecond, the wire's precision: a store drops anything finer, so every
 * store reads back the same values.
 *
 * <p>Every implementation should pass {@code ChatStoreContract} from the webtalk-core test-jar.
 */
public interface ChatStore extends AutoCloseable {

    /**
     * Commits every write of the batch, in order, atomically: after a crash either all of them are
     * stored or none is. Returns only once the batch is durable to the store's configured level. Reports
     * the id it gave each {@link StoreWrite.AppendAudit} through {@link StoreWrite.AppendAudit#stored}.
     *
     * @throws dev.webtalk.StoreException if any write fails (see {@link StoreWrite} for which do); then
     *     nothing of the batch is stored
     */
    void apply(List<StoreWrite> batch);

    /**
     * Checks with one cheap round trip that the store answers now, for readiness probes
     * ({@link dev.webtalk.WebTalk#checkStore()}). Called from any thread. The default reads
     * {@link #settings()}; a store with a cheaper check overrides it.
     *
     * @throws dev.webtalk.StoreException when it does not answer ({@link dev.webtalk.StoreUnavailableException}
     *     when it cannot be reached)
     */
    default void ping() {
        settings();
    }

    /** The room, if it exists. */
    Optional<Room> room(RoomId id);

    /** Every room, oldest first; rooms created at the same instant by id. */
    List<Room> rooms();

    /** The room's members, in join order. */
    List<Member> members(RoomId roomId);

    /** One membership, if the user is a member of the room. */
    Optional<Member> member(RoomId roomId, UserId userId);

    /** Member count per room, for rooms that have any members. */
    Map<RoomId, Integer> memberCounts();

    /**
     * The owner's display name per room (as stored with their membership), for rooms whose owner is a
     * member; one read for the whole list, so rooms of the same name can be told apart by their owner.
     */
    Map<RoomId, String> ownerNames();

    /** The highest seq stored in the room, or 0 when it has no message. */
    long lastSeq(RoomId roomId);

    /** The highest position of the room's event stream, or 0 when it has no event. */
    long lastPos(RoomId roomId);

    /**
     * Up to {@code limit} oldest events of the room's stream with {@code pos > afterPos}, in ascending
     * position order.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit);

    /**
     * The texts a message had before each of its edits, oldest first; empty for a message never edited,
     * deleted, or missing.
     */
    List<MessageEdit> edits(RoomId roomId, long seq);

    /**
     * The reactions on each of the given messages as {@code reader} sees them: per message, its emoji
     * in the order each was first put there (since the message last had none of it; ties by emoji), with
     * counts and whether {@code reader} is among them. Messages without reactions are left out of the
     * map. Called for every reaction of a storm, so a store should answer in time that grows with the
     * emoji on a message, not with the users who reacted.
     */
    Map<Long, List<Reaction>> reactions(RoomId roomId, Collection<Long> seqs, UserId reader);

    /** The room's pinned messages, oldest pin first. */
    List<Pin> pins(RoomId roomId);

    /** The rooms {@code userId} is a member of, in no particular order. */
    List<RoomId> roomsOf(UserId userId);

    /** The seq of the newest message {@code userId} has read in the room; 0 when none is recorded. */
    long readSeq(RoomId roomId, UserId userId);

    /**
     * How many live messages with a seq above {@code afterSeq} mention {@code userId}, by name or by
     * {@code @room} (room mentions by the user themselves aside).
     */
    long mentionsAfter(RoomId roomId, UserId userId, long afterSeq);

    /**
     * Up to {@code limit} newest messages with {@code seq < beforeSeq}, in ascending seq order.
     * Pass {@link Long#MAX_VALUE} for the newest page.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<Message> history(RoomId roomId, long beforeSeq, int limit);

    /**
     * Up to {@code limit} oldest messages with {@code seq > afterSeq}, in ascending seq order.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<Message> messagesAfter(RoomId roomId, long afterSeq, int limit);

    /** One message by its seq. */
    Optional<Message> message(RoomId roomId, long seq);

    /**
     * The message this author stored with this client message id, if any (idempotent sends), also once
     * it is deleted.
     */
    Optional<Message> messageByClientId(RoomId roomId, UserId authorId, String clientMsgId);

    /**
     * The live (not deleted) message in the room that carries the attachment with this id. A deleted
     * message has lost its attachment, so it is never found here.
     */
    Optional<Message> messageByAttachment(RoomId roomId, String attachmentId);

    /**
     * Whether any live message, in any room, carries the attachment with this id. Bytes whose id is not
     * referenced (their message or room was deleted, or the upload never became a message) are orphans.
     */
    boolean isAttachmentReferenced(String attachmentId);

    /** Archived rooms with the time each was archived (see {@link StoreWrite.SetRoomArchived}). */
    Map<RoomId, Instant> archivedRooms();

    /**
     * Message count and newest message time per room, for rooms that have any message (deleted ones count).
     * The admin panel polls this, so a store should answer without reading every message: it may rely on
     * the engine numbering a room's messages densely from 1 and never removing one by one (so the highest
     * seq is the count).
     */
    Map<RoomId, RoomActivity> roomActivity();

    /**
     * How many messages, in all rooms, were created at or after {@code since} (deleted ones count). The
     * admin panel polls this, so to answer without reading every message a store may rely on the engine's
     * seqs (dense from 1) and on {@code createdAt} not decreasing with seq within a room (the engine takes
     * both on the room's single lane, the time from its clock). If that clock stepped back, such a store's
     * count is approximate.
     */
    long messageCountSince(Instant since);

    /**
     * Messages and distinct authors (system messages left out, deleted ones counted) per bucket of
     * {@code bucket} length from {@code from} on, in ascending order, empty buckets left out: a bucket's
     * {@link dev.webtalk.ActivityBucket#start() start} is {@code from + k * bucket}. The admin charts poll
     * this; like {@link #messageCountSince} a store may find each room's first message at or after
     * {@code from} by the same binary search over seq and read only the messages after it.
     */
    List<ActivityBucket> messageActivity(Instant from, Duration bucket);

    /** Every stored server setting (see {@link StoreWrite.PutSetting}). */
    Map<String, String> settings();

    /**
     * What a room's messages say about its use.
     *
     * @param messages messages stored in the room, deleted ones included
     * @param lastMessageAt when the newest of them was created
     */
    record RoomActivity(long messages, Instant lastMessageAt) {
        public RoomActivity {
            java.util.Objects.requireNonNull(lastMessageAt, "lastMessageAt");
        }
    }

    /** The room's settings; {@link dev.webtalk.RoomSettings#DEFAULTS} when none were stored (or no such room). */
    dev.webtalk.RoomSettings roomSettings(RoomId roomId);

    /** The user's ban or mute in the room, if one is stored (expired ones too: the engine checks expiry). */
    Optional<Restriction> restriction(RoomId roomId, UserId userId, Restriction.Kind kind);

    /** Every ban and mute stored for the room, oldest first (then by user id and kind). */
    List<Restriction> restrictions(RoomId roomId);

    /**
     * Up to {@code limit} newest audit entries of the room with {@code id < beforeId}, newest first.
     * Pass {@link Long#MAX_VALUE} for the newest page.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<AuditEntry> audit(RoomId roomId, long beforeId, int limit);

    /**
     * Saves a {@linkplain HostSession host's sign-in session}, replacing one with the same key. Unlike room
     * data it does not go through {@link #apply}: the host calls it from a request thread, and it may block
     * for one short write. A store that several nodes share makes it visible to all of them at once.
     *
     * @throws UnsupportedOperationException if the store keeps no sessions (the default)
     */
    default void putHostSession(HostSession session) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no host sessions");
    }

    /** The session saved under {@code key}, expired or not; empty if none (the default: none kept). */
    default Optional<HostSession> hostSession(String key) {
        return Optional.empty();
    }

    /** Deletes the session saved under {@code key}; whether there was one. Any thread, may block. */
    default boolean deleteHostSession(String key) {
        return false;
    }

    /** Deletes every session that expired at or before {@code now}; how many. Any thread, may block. */
    default int deleteHostSessionsExpiredBy(Instant now) {
        return 0;
    }

    /**
     * Releases the store's resources. Idempotent; afterwards every other method throws
     * {@link dev.webtalk.StoreException}.
     */
    @Override
    void close();
}
