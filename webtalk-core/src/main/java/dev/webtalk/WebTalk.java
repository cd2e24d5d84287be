package dev.webtalk;

import dev.webtalk.internal.Engine;
import dev.webtalk.internal.PasswordHasher;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.AttachmentStore;
import dev.webtalk.spi.Broker;
import dev.webtalk.spi.ChatListener;
import dev.webtalk.spi.ChatStore;
import dev.webtalk.spi.Connection;
import dev.webtalk.spi.EngineObserver;
import dev.webtalk.spi.MessageFilter;

import java.io.InputStream;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Main entry point: the chat engine. Transports hand it connections ({@link #connect}); the host
 * application uses the rest of this class to drive chat from its own code. Build one with
 * {@link #builder()}, share it across threads, and close it on shutdown.
 *
 * <p>Every server-side call that reads the store or needs a room comes in two forms. The blocking form
 * ({@link #ban}, {@link #history}, …) runs on the caller's thread and waits for room work up to
 * {@link Builder#callTimeout}. The non-blocking form ({@link #banAsync}, {@link #historyAsync}, …) returns a
 * {@link CompletableFuture} at once and never throws: its work runs on the engine's {@code webtalk-host}
 * threads and its future completes there, never on a room's thread, the store writer or the listener
 * thread. Listeners and filters must use the non-blocking forms (docs/ARCHITECTURE.md, "Threads").
 *
 * <pre>{@code
 * try (WebTalk chat = WebTalk.builder().store(SqliteChatStore.open(Path.of("chat.db"))).build()) {
 *     Room room = chat.createRoom(Principal.user("u1", "Ana"), "General", null);
 * }
 * }</pre>
 */
public final class WebTalk implements AutoCloseable {
    /** The default {@link Builder#maxFileBytes(long) file size limit}: 16 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;
    /** The default {@link Builder#expiryCheckInterval(Duration) expiry check interval}: 5 minutes. */
    public static final Duration DEFAULT_EXPIRY_CHECK_INTERVAL = Duration.ofMinutes(5);
    /** How often a node of a cluster checks its rooms against the store by default (see {@link Builder#catchUpInterval}). */
    public static final Duration DEFAULT_CATCH_UP_INTERVAL = Duration.ofSeconds(5);
    /** How long a node of a cluster may stay silent by default before the others take it for dead. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The id of {@link Principal#system()}: the author of {@link MessageKind#SYSTEM} messages posted with
     * {@link #postSystemMessage}, and the {@link Room#ownerId()} of rooms the server created. Reserved: no
     * other principal may have it.
     */
    public static final UserId SYSTEM_USER = UserId.of("webtalk-system");

    /** The default {@link Builder#callTimeout(Duration) call timeout} of the blocking forms: 30 seconds. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Engine engine;
    private final Duration callTimeout;

    private WebTalk(Engine engine, Duration callTimeout) {
        this.engine = engine;
        this.callTimeout = callTimeout;
    }

    /** Store writes waiting for the writer now; for tests that line writes up behind a held one. */
    int pendingWrites() {
        return engine.pendingWrites();
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Attaches a new client connection for an authenticated user and sends it the {@code welcome}
     * frame. The transport then feeds the returned session every inbound frame. When the user already
     * has {@link Limits#maxConnectionsPerUser()} open connections, the new one is closed at once with
     * {@link dev.webtalk.protocol.CloseCodes#TOO_MANY_CONNECTIONS} and the session ignores its frames.
     *
     * @throws IllegalArgumentException for {@link Principal#system()}
     */
    public Session connect(Principal principal, Connection connection) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(connection, "connection");
        if (principal.isSystem()) {
            throw new IllegalArgumentException("Principal.system() is the server itself and cannot connect");
        }
        return engine.connect(principal, connection);
    }

    /**
     * Creates a room owned by {@code owner}, waiting until it is stored. The owner becomes its first member;
     * with {@link Principal#system()} as owner the room starts with no member and clients see no owner.
     *
     * @param password the room password (1 to {@link Limits#maxPasswordChars()} characters), or {@code null}
     *     for an open room
     * @throws InvalidRequestException for a bad name or password, an empty password included
     * @throws LimitReachedException when the server holds its maximum number of rooms, or a non-admin
     *     {@code owner} already owns {@link Limits#maxRoomsPerUser()}
     */
    public Room createRoom(Principal owner, String name, String password) {
        Objects.requireNonNull(owner, "owner");
        return await(engine.createRoom(owner, name, password));
    }

    /** Every room that is not archived, with its member and online counts, oldest first. */
    public List<RoomSummary> rooms() {
        return engine.rooms();
    }

    /** One room with its counts. */
    public Optional<RoomSummary> room(RoomId id) {
        return engine.room(id);
    }

    /**
     * Checks whether {@code principal} may enter the room with {@code password}: passes for open rooms,
     * existing members, the owner and admins.
     *
     * @throws WrongPasswordException when the password is missing or wrong
     * @throws RoomNotFoundException when there is no such room
     */
    public void checkPassword(Principal principal, RoomId room, String password) {
        engine.checkPassword(principal, room, password);
    }

    /**
     * A page of a room's history, for a member of the room or an admin.
     *
     * @param before only messages with a smaller seq, or {@code null} for the newest page
     * @param limit page size (clamped to {@link Limits#historyPageMax()}), or {@code null} for 50
     */
    public HistoryPage history(Principal principal, RoomId room, Long before, Integer limit) {
        return engine.history(principal, room, before, limit);
    }

    /**
     * Soft-deletes a message and tells everyone present. Its author may always; moderators, the owner and
     * admins may delete others' messages as docs/MODERATION.md allows (and that is audited).
     *
     * @throws ForbiddenException when {@code actor} may not delete it
     */
    public void deleteMessage(Principal actor, RoomId room, long seq) {
        await(engine.deleteMessage(actor, room, seq));
    }

    /**
     * Replaces the text of {@code author}'s own text message and tells everyone present
     * ({@code message_edited}); waits until it is stored. The new text passes the same checks as a send
     * (length, the user's message rate, mutes, lock, filters). The text it replaces stays readable to the
     * room's moderators through {@link #messageEdits}. Nobody may edit someone else's message.
     *
     * @return the message as edited (unchanged when the text is the same)
     * @throws ForbiddenException when the message is someone else's
     * @throws MessageNotFoundException when there is no such message
     * @throws MessageDeletedException when it was deleted
     */
    public Message editMessage(Principal author, RoomId room, long seq, String text) {
        return await(engine.editMessage(author, room, seq, text));
    }

    /**
     * Puts ({@code add}) or takes off {@code user}'s {@code emoji} (one Unicode emoji) on a message, and
     * waits until it is stored. Each user puts an emoji on a message once; a message carries at most
     * {@link Limits#maxReactionsPerMessage()} different ones. The room hears of it in a {@code reactions}
     * push that gathers a burst of changes to one message.
     *
     * @return the message's reactions as {@code user} sees them
     * @throws InvalidRequestException when {@code emoji} is not one emoji
     * @throws LimitReachedException when the message already carries the most different emoji
     */
    public List<Reaction> react(Principal user, RoomId room, long seq, String emoji, boolean add) {
        return await(engine.react(Objects.requireNonNull(user, "user"), room, seq, emoji, add));
    }

    /**
     * Pins a message to its room (moderators, the owner, admins); everyone present gets {@code pinned}.
     * A room holds at most {@link Limits#maxPins()} pins.
     *
     * @throws ForbiddenException when {@code actor} may not pin here
     */
    public void pin(Principal actor, RoomId room, long seq) {
        await(engine.pin(Objects.requireNonNull(actor, "actor"), room, seq, true));
    }

    /** Unpins a message (moderators, the owner, admins); unpinning one that is not pinned changes nothing. */
    public void unpin(Principal actor, RoomId room, long seq) {
        await(engine.pin(Objects.requireNonNull(actor, "actor"), room, seq, false));
    }

    /** The room's pins, oldest first. */
    public List<Pin> pins(RoomId room) {
        return engine.pins(room);
    }

    /**
     * Notes that {@code user} has read the room up to message {@code seq}. Markers only move forward, are
     * shared by all of the user's devices (their connections in the room get a {@code read} push) and are
     * stored at most about once a second per user and room.
     *
     * @return what is left unread
     */
    public ReadState markRead(Principal user, RoomId room, long seq) {
        return await(engine.markRead(Objects.requireNonNull(user, "user"), room, seq));
    }

    /** How far {@code user} has read the room, and how many messages and mentions are unread. */
    public ReadState readState(Principal user, RoomId room) {
        return await(engine.readState(Objects.requireNonNull(user, "user"), room));
    }

    /**
     * The texts a message had before each of its edits, oldest first, for the room's moderators, owner and
     * admins; erased when the message is deleted.
     *
     * @throws ForbiddenException when {@code principal} may not read the room's audit log
     */
    public List<MessageEdit> messageEdits(Principal principal, RoomId room, long seq) {
        return engine.messageEdits(principal, room, seq);
    }

    /**
     * Posts a {@link MessageKind#SYSTEM} message from the server into a room and waits until it is stored.
     * It gets the room's next {@code seq}, is pushed to everyone present as a {@code message} and stays in
     * history like any message; its author is {@link #SYSTEM_USER} ("Server"). It is not a user's message,
     * so rate limits, bans, mutes, lock, slow mode and message filters do not apply; the text is checked
     * for length and well-formedness only. Listeners get a {@link ChatEvent.MessagePosted} for it.
     *
     * <p>Do not call the blocking form from a {@link MessageFilter} (it runs on the room's thread); from a
     * {@link ChatListener} prefer {@link #postSystemMessageAsync}, so the listener thread is not held up.
     *
     * @throws InvalidRequestException for blank or malformed text
     * @throws TooLargeException when the text is longer than {@link Limits#maxMessageChars()}
     * @throws RoomNotFoundException when there is no such room
     * @throws RoomArchivedException when the room is archived (read-only)
     */
    public Message postSystemMessage(RoomId room, String text) {
        return await(postSystemMessageAsync(room, text));
    }

    /**
     * {@link #postSystemMessage} without waiting: the future completes with the stored message, or
     * exceptionally with the same exceptions. Never blocks, so it is safe to call from a listener; see
     * "non-blocking forms" below for the threads.
     */
    public CompletableFuture<Message> postSystemMessageAsync(RoomId room, String text) {
        return engine.hostCalls().submit(() -> engine.postSystemMessage(Objects.requireNonNull(room, "room"), text));
    }

    /**
     * The users present in the room now (connected and joined, on any number of connections), each once,
     * in the order they arrived, with their role in the room. Members who are offline are not included.
     *
     * @throws RoomNotFoundException when there is no such room
     */
    public List<Member> onlineUsers(RoomId room) {
        return await(engine.onlineUsers(Objects.requireNonNull(room, "room")));
    }

    // ---- moderation: each checked against the permission table of docs/MODERATION.md, stored with an
    // audit entry, and pushed to the room as a "moderation" frame. Pass an admin principal to act as the host.

    /**
     * Removes {@code target} from the room: their membership ends and their connections leave it (after a
     * {@code moderation} push). They may join again.
     *
     * @throws ForbiddenException when {@code actor} may not kick {@code target}
     * @return the audit entry written for it
     * @throws NotMemberException when {@code target} is not in the room
     */
    public AuditEntry kick(Principal actor, RoomId room, UserId target, String reason) {
        return moderate(actor, room, ModerationAction.KICK, target, reason, null, null);
    }

    /**
     * Bans {@code target}: as a kick, and they cannot join, read or post in the room until the ban ends.
     * The ban is stored, so it survives restarts. Banning again replaces the ban.
     *
     * @param duration how long, or {@code null} for forever
     * @return the audit entry written for it
     * @throws ForbiddenException when {@code actor} may not ban {@code target}
     */
    public AuditEntry ban(Principal actor, RoomId room, UserId target, String reason, Duration duration) {
        return moderate(actor, room, ModerationAction.BAN, target, reason, duration, null);
    }

    /**
     * Lifts a ban (nothing happens, and nothing is audited, when there is none).
     *
     * @return the audit entry, or empty when there was no ban
     */
    public Optional<AuditEntry> unban(Principal actor, RoomId room, UserId target) {
        return Optional.ofNullable(moderate(actor, room, ModerationAction.UNBAN, target, null, null, null));
    }

    /**
     * Mutes {@code target}: they stay and read, but sends and uploads fail {@code muted} until it ends.
     *
     * @param duration how long, or {@code null} for forever
     * @return the audit entry written for it
     */
    public AuditEntry mute(Principal actor, RoomId room, UserId target, String reason, Duration duration) {
        return moderate(actor, room, ModerationAction.MUTE, target, reason, duration, null);
    }

    /**
     * Lifts a mute (nothing happens, and nothing is audited, when there is none).
     *
     * @return the audit entry, or empty when there was no mute
     */
    public Optional<AuditEntry> unmute(Principal actor, RoomId room, UserId target) {
        return Optional.ofNullable(moderate(actor, room, ModerationAction.UNMUTE, target, null, null, null));
    }

    /**
     * Makes a member a {@link MemberRole#MODERATOR moderator} or a moderator a {@link MemberRole#MEMBER member};
     * for the owner or an admin.
     *
     * @return the audit entry, or empty when {@code target} already had that role
     */
    public Optional<AuditEntry> setRole(Principal actor, RoomId room, UserId target, MemberRole role) {
        Objects.requireNonNull(role, "role");
        return Optional.ofNullable(moderate(actor, room, ModerationAction.SET_ROLE, target, null, null, role));
    }

    /**
     * Hands the room to another member; the old owner stays as a moderator. For the owner or an admin.
     *
     * @return the audit entry written for it
     */
    public AuditEntry transferOwnership(Principal actor, RoomId room, UserId target) {
        return moderate(actor, room, ModerationAction.TRANSFER_OWNERSHIP, target, null, null, null);
    }

    private AuditEntry moderate(Principal actor, RoomId room, ModerationAction action, UserId target, String reason,
                          Duration duration, MemberRole role) {
        return await(moderation(actor, room, action, target, reason, duration, role));
    }

    private CompletableFuture<AuditEntry> moderation(Principal actor, RoomId room, ModerationAction action,
                                                     UserId target, String reason, Duration duration,
                                                     MemberRole role) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(target, "target");
        return engine.moderate(actor, room, action, target, reason, duration, role);
    }

    /**
     * A page of the room's moderation audit log, newest first, for the host (no permission check).
     *
     * @param before only entries with a smaller {@link AuditEntry#id()}, or {@code null} for the newest
     * @param limit page size (clamped to {@link Limits#historyPageMax()}), or {@code null} for 50
     */
    public AuditPage auditLog(RoomId room, Long before, Integer limit) {
        return engine.auditPage(Objects.requireNonNull(room, "room"), before, limit);
    }

    /**
     * A page of the room's audit log for {@code principal}, who must be a moderator, the owner or an admin.
     *
     * @throws BannedException when a ban holds {@code principal} in the room, whatever their rank
     * @throws ForbiddenException for anyone else
     */
    public AuditPage auditLog(Principal principal, RoomId room, Long before, Integer limit) {
        return engine.audit(Objects.requireNonNull(principal, "principal"), Objects.requireNonNull(room, "room"),
                before, limit);
    }

    /**
     * Changes the room's settings (slow mode, lock, topic) as {@code actor}, who must be a moderator, the
     * owner or an admin; audited, and everyone present gets {@code room_updated}.
     *
     * @throws ForbiddenException for anyone else
     */
    public void setRoomSettings(Principal actor, RoomId room, RoomSettings settings) {
        await(roomSettingsChange(actor, room, settings));
    }

    private CompletableFuture<AuditEntry> roomSettingsChange(Principal actor, RoomId room, RoomSettings settings) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(settings, "settings");
        return engine.updateRoomSettings(actor, Objects.requireNonNull(room, "room"), settings.slowMode(),
                settings.locked(), settings.topic() == null ? "" : settings.topic());
    }

    /**
     * Changes some of the room's settings as {@code actor} (a moderator, the owner or an admin), on the
     * room's thread so concurrent changes to other fields are not lost; {@code null} arguments keep their
     * value, an empty {@code topic} clears it. Audited, and everyone present gets {@code room_updated}.
     *
     * @return the audit entry, or empty when nothing changed
     * @throws InvalidRequestException for a slow mode outside 0..{@link RoomSettings#MAX_SLOW_MODE} or a bad topic
     * @throws ForbiddenException for anyone else
     */
    public Optional<AuditEntry> updateRoomSettings(Principal actor, RoomId room, Duration slowMode, Boolean locked,
                                                   String topic) {
        Objects.requireNonNull(actor, "actor");
        return Optional.ofNullable(await(engine.updateRoomSettings(actor, Objects.requireNonNull(room, "room"),
                slowMode, locked, topic)));
    }

    /** The room's settings. */
    public RoomSettings roomSettings(RoomId room) {
        return engine.roomSettings(Objects.requireNonNull(room, "room"));
    }

    /** The bans and mutes in force in the room now. */
    public List<Restriction> restrictions(RoomId room) {
        return engine.activeRestrictions(Objects.requireNonNull(room, "room"));
    }

    /**
     * Deletes a room with its members and messages; everyone present is told with {@code room_deleted}.
     *
     * @throws BannedException when a ban holds {@code actor} in the room (an owner an admin banned)
     * @throws ForbiddenException unless {@code actor} owns the room or is an admin
     */
    public void deleteRoom(Principal actor, RoomId room) {
        await(engine.deleteRoom(actor, room));
    }

    /**
     * Shares a file in a room: streams {@code content} into the attachment store (at most
     * {@link #maxFileBytes()} bytes, never held in memory), then posts a {@link MessageKind#FILE} message
     * that every member present receives and that stays in history. The type is decided by the content's
     * first bytes ({@link FileType}); the name is only shown. Blocks while the bytes are written. On any
     * failure no bytes are left behind.
     *
     * @param fileName the name the uploader gave; paths and control characters are removed
     * @throws NotMemberException unless {@code uploader} is a member of the room
     * @throws UnsupportedTypeException when the content is not an allowed type
     * @throws TooLargeException when the content is longer than {@link #maxFileBytes()}
     * @throws ForbiddenException when no attachment store was configured
     */
    public Message uploadFile(Principal uploader, RoomId room, String fileName, InputStream content) {
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(content, "content");
        return await(engine.uploadFile(uploader, room, fileName, content));
    }

    /**
     * Checks, without reading anything, that {@code uploader} may share a file in the room now, so a
     * transport can refuse an upload before receiving its body.
     *
     * @throws NotMemberException unless {@code uploader} is a member of the room
     * @throws RoomNotFoundException when there is no such room
     * @throws ForbiddenException when no attachment store was configured
     */
    public void checkUpload(Principal uploader, RoomId room) {
        engine.checkUpload(uploader, room);
    }

    /**
     * Opens a shared file for a member of its room (or an admin). The caller closes the download.
     *
     * @throws AttachmentNotFoundException when there is no such file in the room, or its message was deleted
     * @throws NotMemberException unless {@code principal} is a member or an admin
     */
    public FileDownload openFile(Principal principal, RoomId room, String fileId) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(room, "room");
        return engine.openFile(principal, room, fileId);
    }

    /**
     * Stored files that no live message refers to (their message or room was deleted, or an upload
     * failed half-way), written before {@code storedBefore}. Leave a margin (say an hour) so uploads in
     * progress are not counted.
     */
    public List<AttachmentStore.StoredFile> orphanedFiles(Instant storedBefore) {
        return engine.orphanedFiles(Objects.requireNonNull(storedBefore, "storedBefore"));
    }

    /** Deletes the {@link #orphanedFiles(Instant) orphaned files}; returns how many were deleted. */
    public int purgeOrphanedFiles(Instant storedBefore) {
        return engine.purgeOrphanedFiles(Objects.requireNonNull(storedBefore, "storedBefore"));
    }

    /** The largest file that may be shared now, in bytes ({@link ServerSettings#maxFileBytes()}). */
    public long maxFileBytes() {
        return engine.maxFileBytes();
    }

    /**
     * The most the {@linkplain ServerSettings#maxFileBytes() upload limit} may be set to while the engine
     * runs: {@link Builder#maxFileBytes(long)}. Transports size their request limits by it.
     */
    public long fileSizeCeiling() {
        return engine.fileSizeCeiling();
    }

    // ---- administration ----

    /**
     * Archives a room: it becomes read-only (sending, sharing files, deleting messages and typing fail
     * with {@code room_archived}; joining and reading history still work) and leaves {@link #rooms()}.
     * Archived rooms never expire. Archiving an archived room changes nothing.
     *
     * @throws ForbiddenException unless {@code actor} is an admin
     * @throws RoomNotFoundException when there is no such room
     */
    public void archiveRoom(Principal actor, RoomId room) {
        await(engine.setArchived(Objects.requireNonNull(actor, "actor"), room, true));
    }

    /**
     * Makes an archived room writable and listed again.
     *
     * @throws ForbiddenException unless {@code actor} is an admin
     * @throws RoomNotFoundException when there is no such room
     */
    public void unarchiveRoom(Principal actor, RoomId room) {
        await(engine.setArchived(Objects.requireNonNull(actor, "actor"), room, false));
    }

    /** Every room, archived ones included, with counts and last activity, oldest first. */
    public List<RoomOverview> roomOverviews() {
        return engine.roomOverviews();
    }

    /** The server's numbers now and its recent activity. Reads the store; meant for dashboards, not hot paths. */
    public ServerStats stats() {
        return engine.stats();
    }

    /**
     * Messages posted and users who posted (across all rooms, system messages left out) in each of the
     * last {@code count} buckets of {@code bucket} length, oldest first, empty buckets included. Buckets
     * start at whole multiples of their length since the epoch (whole hours, for an hour) and the last
     * one holds now. Backs the admin panel's charts; one aggregate query on the store.
     *
     * @param bucket at least a minute
     * @param count 1 to 1000
     */
    public List<ActivityBucket> activity(Duration bucket, int count) {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("bucket must be at least a minute: " + bucket);
        }
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("count must be 1 to 1000: " + count);
        }
        return engine.activity(bucket, count);
    }

    /** {@link #activity} without waiting. */
    public CompletableFuture<List<ActivityBucket>> activityAsync(Duration bucket, int count) {
        return engine.hostCalls().read(() -> activity(bucket, count));
    }

    /** The settings in force. */
    public ServerSettings settings() {
        return engine.settings();
    }

    /**
     * Stores new settings and applies them at once; they survive restarts. The inactivity timeout is
     * kept to the second.
     *
     * @throws InvalidRequestException when {@code maxFileBytes} is over {@link #fileSizeCeiling()}
     */
    public ServerSettings updateSettings(ServerSettings settings) {
        return engine.updateSettings(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Deletes, now, every room that is not archived, has nobody present and had no activity (see
     * {@link RoomOverview#lastActivity()}) for {@link ServerSettings#roomInactivityTimeout()}, as the
     * expiry job does every {@link Builder#expiryCheckInterval(Duration)}. Members present elsewhere are
     * not affected; the rooms' files are deleted. Returns the deleted rooms (none when rooms do not expire).
     */
    public List<RoomId> purgeInactiveRooms() {
        return engine.purgeInactiveRooms();
    }

    /** Whether file sharing is on (an attachment store was configured). */
    public boolean filesEnabled() {
        return engine.filesEnabled();
    }

    /** Open connections now. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /**
     * What the engine holds now: connections, loaded and active rooms, queue depths. Cheap (memory only,
     * nothing read from the store), for gauges and health checks; {@link #stats()} has the stored totals.
     */
    public EngineLoad load() {
        return new EngineLoad(engine.connectionCount(), engine.roomsLoaded(), engine.roomsActive(),
                engine.pendingWrites(), engine.queuedRoomTasks(), engine.queuedOutboundFrames());
    }

    /**
     * Checks that the store answers now ({@link ChatStore#ping()}), for a readiness probe: returns when it
     * does, throws when it does not.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws StoreException when it answers with an error
     */
    public void checkStore() {
        engine.pingStore();
    }

    /** {@link #checkStore} without waiting: completes when the store answered, exceptionally when not. */
    public CompletableFuture<Void> checkStoreAsync() {
        return engine.hostCalls().read(() -> {
            engine.pingStore();
            return null;
        });
    }

    /**
     * Starts telling {@code observer} what the engine does (connections, messages, frames, store commits,
     * refusals, errors): the hook a metrics bridge uses, such as
     * {@code dev.webtalk.metrics.micrometer.WebTalkMetrics}. May be called at any time, from any thread;
     * the observer hears what happens from then on.
     */
    public void addObserver(EngineObserver observer) {
        engine.addObserver(Objects.requireNonNull(observer, "observer"));
    }

    /** Stops telling {@code observer}; nothing if it was not added. */
    public void removeObserver(EngineObserver observer) {
        engine.removeObserver(Objects.requireNonNull(observer, "observer"));
    }

    /** The limits in force. */
    public Limits limits() {
        return engine.limits();
    }

    // ---- non-blocking forms ----
    //
    // Each returns at once and never throws: bad arguments, refusals and faults complete the future
    // exceptionally with the exception the blocking form would throw. The call's own work (store reads,
    // password hashing, streaming an upload) runs on a webtalk-host thread, room work on the room's lane,
    // and the future completes on a webtalk-host thread: never on a room's lane, the store writer or the
    // listener thread, so a listener may call these freely and chain onto them. Do not block in what you
    // chain (it would hold up other completions); hand blocking work to your own executor with
    // thenApplyAsync(fn, executor). See docs/ARCHITECTURE.md, "Threads".

    /** {@link #createRoom} without waiting. */
    public CompletableFuture<Room> createRoomAsync(Principal owner, String name, String password) {
        return engine.hostCalls().submit(() -> engine.createRoom(Objects.requireNonNull(owner, "owner"), name, password));
    }

    /** {@link #rooms()} without waiting. */
    public CompletableFuture<List<RoomSummary>> roomsAsync() {
        return engine.hostCalls().read(engine::rooms);
    }

    /** {@link #room(RoomId)} without waiting. */
    public CompletableFuture<Optional<RoomSummary>> roomAsync(RoomId id) {
        return engine.hostCalls().read(() -> engine.room(Objects.requireNonNull(id, "id")));
    }

    /** {@link #checkPassword} without waiting (the password hash runs on a host thread). */
    public CompletableFuture<Void> checkPasswordAsync(Principal principal, RoomId room, String password) {
        return engine.hostCalls().read(() -> {
            engine.checkPassword(Objects.requireNonNull(principal, "principal"), room, password);
            return null;
        });
    }

    /** {@link #history} without waiting. */
    public CompletableFuture<HistoryPage> historyAsync(Principal principal, RoomId room, Long before, Integer limit) {
        return engine.hostCalls().read(() -> engine.history(Objects.requireNonNull(principal, "principal"), room,
                before, limit));
    }

    /** {@link #deleteMessage} without waiting. */
    public CompletableFuture<Void> deleteMessageAsync(Principal actor, RoomId room, long seq) {
        return engine.hostCalls().submit(() -> engine.deleteMessage(Objects.requireNonNull(actor, "actor"), room, seq));
    }

    /** {@link #editMessage} without waiting. */
    public CompletableFuture<Message> editMessageAsync(Principal author, RoomId room, long seq, String text) {
        return engine.hostCalls().submit(() -> engine.editMessage(Objects.requireNonNull(author, "author"), room, seq,
                text));
    }

    /** {@link #react} without waiting. */
    public CompletableFuture<List<Reaction>> reactAsync(Principal user, RoomId room, long seq, String emoji,
                                                        boolean add) {
        return engine.hostCalls().submit(() -> engine.react(Objects.requireNonNull(user, "user"), room, seq, emoji, add));
    }

    /** {@link #pin} without waiting. */
    public CompletableFuture<Void> pinAsync(Principal actor, RoomId room, long seq) {
        return engine.hostCalls().submit(() -> engine.pin(Objects.requireNonNull(actor, "actor"), room, seq, true));
    }

    /** {@link #unpin} without waiting. */
    public CompletableFuture<Void> unpinAsync(Principal actor, RoomId room, long seq) {
        return engine.hostCalls().submit(() -> engine.pin(Objects.requireNonNull(actor, "actor"), room, seq, false));
    }

    /** {@link #pins} without waiting. */
    public CompletableFuture<List<Pin>> pinsAsync(RoomId room) {
        return engine.hostCalls().read(() -> engine.pins(room));
    }

    /** {@link #markRead} without waiting. */
    public CompletableFuture<ReadState> markReadAsync(Principal user, RoomId room, long seq) {
        return engine.hostCalls().submit(() -> engine.markRead(Objects.requireNonNull(user, "user"), room, seq));
    }

    /** {@link #readState} without waiting. */
    public CompletableFuture<ReadState> readStateAsync(Principal user, RoomId room) {
        return engine.hostCalls().submit(() -> engine.readState(Objects.requireNonNull(user, "user"), room));
    }

    /** {@link #messageEdits} without waiting. */
    public CompletableFuture<List<MessageEdit>> messageEditsAsync(Principal principal, RoomId room, long seq) {
        return engine.hostCalls().read(() -> engine.messageEdits(Objects.requireNonNull(principal, "principal"),
                room, seq));
    }

    /** {@link #onlineUsers} without waiting. */
    public CompletableFuture<List<Member>> onlineUsersAsync(RoomId room) {
        return engine.hostCalls().submit(() -> engine.onlineUsers(Objects.requireNonNull(room, "room")));
    }

    /** {@link #kick} without waiting. */
    public CompletableFuture<AuditEntry> kickAsync(Principal actor, RoomId room, UserId target, String reason) {
        return moderateAsync(actor, room, ModerationAction.KICK, target, reason, null, null);
    }

    /** {@link #ban} without waiting. */
    public CompletableFuture<AuditEntry> banAsync(Principal actor, RoomId room, UserId target, String reason,
                                                  Duration duration) {
        return moderateAsync(actor, room, ModerationAction.BAN, target, reason, duration, null);
    }

    /** {@link #unban} without waiting. */
    public CompletableFuture<Optional<AuditEntry>> unbanAsync(Principal actor, RoomId room, UserId target) {
        return moderateAsync(actor, room, ModerationAction.UNBAN, target, null, null, null).thenApply(Optional::ofNullable);
    }

    /** {@link #mute} without waiting. */
    public CompletableFuture<AuditEntry> muteAsync(Principal actor, RoomId room, UserId target, String reason,
                                                   Duration duration) {
        return moderateAsync(actor, room, ModerationAction.MUTE, target, reason, duration, null);
    }

    /** {@link #unmute} without waiting. */
    public CompletableFuture<Optional<AuditEntry>> unmuteAsync(Principal actor, RoomId room, UserId target) {
        return moderateAsync(actor, room, ModerationAction.UNMUTE, target, null, null, null).thenApply(Optional::ofNullable);
    }

    /** {@link #setRole} without waiting. */
    public CompletableFuture<Optional<AuditEntry>> setRoleAsync(Principal actor, RoomId room, UserId target,
                                                                MemberRole role) {
        return moderateAsync(actor, room, ModerationAction.SET_ROLE, target, null, null,
                Objects.requireNonNull(role, "role")).thenApply(Optional::ofNullable);
    }

    /** {@link #transferOwnership} without waiting. */
    public CompletableFuture<AuditEntry> transferOwnershipAsync(Principal actor, RoomId room, UserId target) {
        return moderateAsync(actor, room, ModerationAction.TRANSFER_OWNERSHIP, target, null, null, null);
    }

    private CompletableFuture<AuditEntry> moderateAsync(Principal actor, RoomId room, ModerationAction action,
                                                        UserId target, String reason, Duration duration,
                                                        MemberRole role) {
        return engine.hostCalls().submit(() -> moderation(actor, room, action, target, reason, duration, role));
    }

    /** {@link #auditLog(RoomId, Long, Integer)} without waiting. */
    public CompletableFuture<AuditPage> auditLogAsync(RoomId room, Long before, Integer limit) {
        return engine.hostCalls().read(() -> engine.auditPage(Objects.requireNonNull(room, "room"), before, limit));
    }

    /** {@link #auditLog(Principal, RoomId, Long, Integer)} without waiting. */
    public CompletableFuture<AuditPage> auditLogAsync(Principal principal, RoomId room, Long before, Integer limit) {
        return engine.hostCalls().read(() -> auditLog(principal, room, before, limit));
    }

    /** {@link #setRoomSettings} without waiting. */
    public CompletableFuture<Void> setRoomSettingsAsync(Principal actor, RoomId room, RoomSettings settings) {
        return engine.hostCalls().submit(() -> roomSettingsChange(actor, room, settings)).thenApply(entry -> null);
    }

    /** {@link #updateRoomSettings} without waiting. */
    public CompletableFuture<Optional<AuditEntry>> updateRoomSettingsAsync(Principal actor, RoomId room,
                                                                           Duration slowMode, Boolean locked,
                                                                           String topic) {
        return engine.hostCalls().submit(() -> engine.updateRoomSettings(Objects.requireNonNull(actor, "actor"),
                Objects.requireNonNull(room, "room"), slowMode, locked, topic)).thenApply(Optional::ofNullable);
    }

    /** {@link #roomSettings} without waiting. */
    public CompletableFuture<RoomSettings> roomSettingsAsync(RoomId room) {
        return engine.hostCalls().read(() -> roomSettings(room));
    }

    /** {@link #restrictions} without waiting. */
    public CompletableFuture<List<Restriction>> restrictionsAsync(RoomId room) {
        return engine.hostCalls().read(() -> restrictions(room));
    }

    /** {@link #deleteRoom} without waiting. */
    public CompletableFuture<Void> deleteRoomAsync(Principal actor, RoomId room) {
        return engine.hostCalls().submit(() -> engine.deleteRoom(Objects.requireNonNull(actor, "actor"), room));
    }

    /**
     * {@link #uploadFile} without waiting: {@code content} is read on a host thread (and not closed), so the
     * caller must not touch it until the future completes.
     */
    public CompletableFuture<Message> uploadFileAsync(Principal uploader, RoomId room, String fileName,
                                                      InputStream content) {
        return engine.hostCalls().submit(() -> engine.uploadFile(Objects.requireNonNull(uploader, "uploader"),
                Objects.requireNonNull(room, "room"), fileName, Objects.requireNonNull(content, "content")));
    }

    /** {@link #checkUpload} without waiting. */
    public CompletableFuture<Void> checkUploadAsync(Principal uploader, RoomId room) {
        return engine.hostCalls().read(() -> {
            engine.checkUpload(Objects.requireNonNull(uploader, "uploader"), room);
            return null;
        });
    }

    /** {@link #openFile} without waiting; the caller closes the download. */
    public CompletableFuture<FileDownload> openFileAsync(Principal principal, RoomId room, String fileId) {
        return engine.hostCalls().read(() -> openFile(principal, room, fileId));
    }

    /** {@link #orphanedFiles} without waiting. */
    public CompletableFuture<List<AttachmentStore.StoredFile>> orphanedFilesAsync(Instant storedBefore) {
        return engine.hostCalls().read(() -> orphanedFiles(storedBefore));
    }

    /** {@link #purgeOrphanedFiles} without waiting. */
    public CompletableFuture<Integer> purgeOrphanedFilesAsync(Instant storedBefore) {
        return engine.hostCalls().read(() -> purgeOrphanedFiles(storedBefore));
    }

    /** {@link #archiveRoom} without waiting. */
    public CompletableFuture<Void> archiveRoomAsync(Principal actor, RoomId room) {
        return engine.hostCalls().submit(() -> engine.setArchived(Objects.requireNonNull(actor, "actor"), room, true));
    }

    /** {@link #unarchiveRoom} without waiting. */
    public CompletableFuture<Void> unarchiveRoomAsync(Principal actor, RoomId room) {
        return engine.hostCalls().submit(() -> engine.setArchived(Objects.requireNonNull(actor, "actor"), room, false));
    }

    /** {@link #roomOverviews} without waiting. */
    public CompletableFuture<List<RoomOverview>> roomOverviewsAsync() {
        return engine.hostCalls().read(engine::roomOverviews);
    }

    /** {@link #stats} without waiting. */
    public CompletableFuture<ServerStats> statsAsync() {
        return engine.hostCalls().read(engine::stats);
    }

    /** {@link #updateSettings} without waiting. */
    public CompletableFuture<ServerSettings> updateSettingsAsync(ServerSettings settings) {
        return engine.hostCalls().read(() -> updateSettings(settings));
    }

    /** {@link #purgeInactiveRooms} without waiting. */
    public CompletableFuture<List<RoomId>> purgeInactiveRoomsAsync() {
        return engine.hostCalls().read(engine::purgeInactiveRooms);
    }

    /**
     * What {@code reader} sees around these messages of {@code room} (previews of what they answer,
     * reactions with the reader's own marked, pins), for transports that encode messages themselves with
     * {@link #codec()}. Not API, like the codec: it serves WebTalk's own transports.
     *
     * @hidden
     */
    public java.util.function.Function<Message, dev.webtalk.protocol.MessageContext> messageContexts(
            Principal reader, RoomId room, List<Message> messages) {
        return engine.messageContexts(reader.id(), room, messages);
    }

    /**
     * The wire codec, for transports that answer in the protocol's JSON shapes (e.g. REST). Not API: the
     * codec serves WebTalk's own transports and may change in any release.
     *
     * @hidden
     */
    public ProtocolCodec codec() {
        return engine.codec();
    }

    /**
     * Closes every connection with 1001, commits every accepted write, stops the engine's threads
     * and closes the store. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Waits for room work up to {@link Builder#callTimeout}. The blocking forms do not hop through the host
     * threads, so they work from anywhere, a host thread's completion included.
     */
    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new OverloadedException("No answer within " + callTimeout.toMillis()
                    + " ms (the server is saturated); the call may still take effect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(cause);
        }
    }

    /**
     * Configures a {@link WebTalk}. Every setter validates its argument at once; {@link #build()} may
     * be called once.
     */
    public static final class Builder {
        private ChatStore store;
        private Clock clock = Clock.systemUTC();
        private Limits limits = Limits.defaults();
        private int roomThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int fanOutThreads = Runtime.getRuntime().availableProcessors();
        private int passwordIterations = PasswordHasher.DEFAULT_ITERATIONS;
        private AttachmentStore attachments;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private Duration roomInactivityTimeout = Duration.ZERO;
        private Duration expiryCheckInterval = DEFAULT_EXPIRY_CHECK_INTERVAL;
        private final List<MessageFilter> filters = new ArrayList<>();
        private final List<ChatListener> listeners = new ArrayList<>();
        private Broker broker = Broker.LOCAL;
        private Duration catchUpInterval = DEFAULT_CATCH_UP_INTERVAL;
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private boolean built;

        private Builder() {
        }

        /** Where rooms and messages live (required). The engine takes ownership and closes it. */
        public Builder store(ChatStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The time source for timestamps and throttles (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Size and rate bounds (default: {@link Limits#defaults()}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Threads that run room work; rooms are multiplexed over them (default: max(2, CPU cores)). */
        public Builder roomThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("roomThreads must be >= 1, was " + threads);
            }
            this.roomThreads = threads;
            return this;
        }

        /**
         * Threads that write pushes to connections (default: the number of CPU cores). A room's thread
         * hands each push to these once per thread, with that thread's share of the recipients, so a busy
         * room's fan-out uses every core; each connection stays on one of them, which keeps its frames in
         * order.
         */
        public Builder fanOutThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("fanOutThreads must be >= 1, was " + threads);
            }
            this.fanOutThreads = threads;
            return this;
        }

        /**
         * PBKDF2 iterations for new room password hashes (default 120,000). Lower it only in tests;
         * existing hashes keep the count they were made with.
         */
        public Builder passwordIterations(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("passwordIterations must be >= 1, was " + iterations);
            }
            this.passwordIterations = iterations;
            return this;
        }

        /**
         * Where shared files' bytes live; without one, file sharing is off and uploads are refused
         * with {@code forbidden}. The engine takes ownership and closes it.
         */
        public Builder attachments(AttachmentStore attachments) {
            this.attachments = Objects.requireNonNull(attachments, "attachments");
            return this;
        }

        /**
         * The largest file that may be shared, in bytes (default 16 MiB); also the most an admin may raise
         * {@link ServerSettings#maxFileBytes()} to.
         */
        public Builder maxFileBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFileBytes must be >= 1, was " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * The default {@linkplain ServerSettings#roomInactivityTimeout() inactivity timeout} after which
         * rooms are deleted (default {@link Duration#ZERO}: never). A value an admin stored wins.
         */
        public Builder roomInactivityTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.compareTo(ServerSettings.MAX_INACTIVITY_TIMEOUT) > 0) {
                throw new IllegalArgumentException("roomInactivityTimeout must be 0..3650 days, was " + timeout);
            }
            this.roomInactivityTimeout = timeout;
            return this;
        }

        /**
         * Adds a filter that checks every text message before it is stored (after the engine's own size,
         * rate, ban and mute checks); filters run in the order added. See {@link MessageFilter}.
         */
        public Builder messageFilter(MessageFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * How often a background thread looks for inactive rooms (default 5 minutes;
         * {@link Duration#ZERO}: never, only {@link WebTalk#purgeInactiveRooms()}).
         */
        public Builder expiryCheckInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
                throw new IllegalArgumentException("expiryCheckInterval must be 0 or at least 1 ms, was " + interval);
            }
            this.expiryCheckInterval = interval;
            return this;
        }

        /**
         * Adds a listener for room, message, member and moderation events, called on a dedicated thread
         * (never a room's). See {@link ChatListener}.
         */
        public Builder listener(ChatListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Makes this engine one node of several that share one store (default {@link Broker#LOCAL}: the
         * only node). What this node commits is published through the broker, and what the others commit
         * reaches the connections here in stream order, read from the store when the broker loses it.
         * The store must be one several engines may write (e.g. PostgreSQL, not a SQLite file). The engine
         * takes ownership and closes it.
         */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /**
         * With a clustered {@link #broker}: how often every room with someone present on this node is
         * checked against the store for other nodes' changes that never arrived (default 5 s). It bounds
         * how long a publication the broker lost stays missing in a room that went quiet; a hole before a
         * later arrival is filled within 100 ms anyway. {@link Duration#ZERO}: never.
         */
        public Builder catchUpInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
                throw new IllegalArgumentException("catchUpInterval must be 0 or at least 1 ms, was " + interval);
            }
            this.catchUpInterval = interval;
            return this;
        }

        /**
         * With a clustered {@link #broker}: how long another node may stay silent before it is taken for
         * dead and its users leave every room (default 10 s). Nodes send a heartbeat every third of it;
         * a node that shuts down tells the others at once.
         */
        public Builder nodeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 3) {
                throw new IllegalArgumentException("nodeTimeout must be at least 3 ms, was " + timeout);
            }
            this.nodeTimeout = timeout;
            return this;
        }

        /**
         * How long a blocking call that needs a room's thread (a send, an edit, moderation, room creation,
         * {@link WebTalk#onlineUsers}…) waits for its answer before it fails with
         * {@link OverloadedException} (default 30 s); the call may still take effect afterwards. Store
         * reads made on the caller's thread ({@link WebTalk#history}, {@link WebTalk#rooms}…) are not bounded
         * by it. The non-blocking forms ({@code …Async}) never wait.
         */
        public Builder callTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("callTimeout must be at least 1 ms, was " + timeout);
            }
            this.callTimeout = timeout;
            return this;
        }

        /**
         * Starts the engine.
         *
         * @throws IllegalStateException when called twice, without a {@link #store}, or when the class path
         *     holds a Jackson older than 2.15
         */
        public WebTalk build() {
            JacksonVersion.require();
            if (built) {
                throw new IllegalStateException("build() was already called on this builder");
            }
            if (store == null) {
                throw new IllegalStateException("store(...) is required, e.g. SqliteChatStore.open(path)");
            }
            built = true;
            return new WebTalk(new Engine(store, clock, limits, roomThreads, passwordIterations,
                    attachments, maxFileBytes, roomInactivityTimeout, expiryCheckInterval, filters, listeners,
                    broker, catchUpInterval, nodeTimeout, fanOutThreads), callTimeout);
        }
    }
}
