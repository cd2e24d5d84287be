package dev.webtalk.protocol;

/**
 * The requests a client may send, one record per protocol {@code type}. {@link #id()} is the optional
 * request id the reply echoes, or {@code null}. Decoded by {@link ProtocolCodec#decode}; the fields are
 * only checked for shape there, the engine checks their meaning.
 *
 * <p>Not API: serves WebTalk's own transports and may change in any release.
 *
 * @hidden
 */
public sealed interface ClientFrame {
    /** A request that acts on one room; the engine orders such requests per room and connection. */
    sealed interface RoomFrame extends ClientFrame {
        /** The room id as the client sent it. */
        String room();
    }

    /** The request id to echo in the reply, or {@code null}. */
    String id();

    /** {@code list_rooms}. */
    record ListRooms(String id) implements ClientFrame {
    }

    /** {@code create_room}; {@code password} is {@code null} for an open room. */
    record CreateRoom(String id, String name, String password) implements ClientFrame {
    }

    /**
     * {@code join}; {@code password} may be {@code null}; {@code since} is the last seq the client holds
     * (a resume), or {@code null} for a fresh join.
     */
    record Join(String id, String room, String password, Long since) implements RoomFrame {
    }

    /** {@code leave}. */
    record Leave(String id, String room) implements RoomFrame {
    }

    /** {@code send}; {@code clientMsgId} may be {@code null}; {@code replyTo} the seq it answers, or {@code null}. */
    record Send(String id, String room, String text, String clientMsgId, Long replyTo) implements RoomFrame {
    }

    /** {@code react}: put ({@code add} true or {@code null}) or take off ({@code false}) one's emoji on a message. */
    record React(String id, String room, long seq, String emoji, Boolean add) implements RoomFrame {
    }

    /** {@code pin} ({@code pinned} true) or {@code unpin}. */
    record Pin(String id, String room, long seq, boolean pinned) implements RoomFrame {
    }

    /** {@code mark_read}: the user has read the room up to message {@code seq}. */
    record MarkRead(String id, String room, long seq) implements RoomFrame {
    }

    /** {@code delete_message}. */
    record DeleteMessage(String id, String room, long seq) implements RoomFrame {
    }

    /** {@code edit_message}: replace the text of one's own message. */
    record EditMessage(String id, String room, long seq, String text) implements RoomFrame {
    }

    /** {@code message_edits}: the earlier texts of an edited message, for the room's moderators. */
    record MessageEdits(String id, String room, long seq) implements RoomFrame {
    }

    /** {@code history}; {@code before} is {@code null} for the newest page, {@code limit} {@code null} for the default. */
    record History(String id, String room, Long before, Integer limit) implements RoomFrame {
    }

    /**
     * {@code members}: a page of the room's member list, online first; {@code after} is the {@code next}
     * of the previous page ({@code null} for the first), {@code limit} {@code null} for the default.
     */
    record Members(String id, String room, String after, Integer limit) implements RoomFrame {
    }

    /** {@code typing}. */
    record Typing(String id, String room) implements RoomFrame {
    }

    /** {@code delete_room}. */
    record DeleteRoom(String id, String room) implements RoomFrame {
    }

    /**
     * A moderation request: {@code kick}, {@code ban}, {@code unban}, {@code mute}, {@code unmute},
     * {@code set_role} or {@code transfer_ownership} (the type is {@code action.wire()}). {@code reason},
     * {@code duration} (seconds; {@code null} for forever) and {@code role} are {@code null} where the action
     * takes none.
     */
    record Moderate(String id, dev.webtalk.ModerationAction action, String room, String user, String reason,
                    Long duration, String role) implements RoomFrame {
    }

    /**
     * {@code set_room}: change the room's settings; {@code null} fields stay as they are. {@code slowMode}
     * is in seconds (0: off); an empty {@code topic} clears it.
     */
    record SetRoom(String id, String room, Long slowMode, Boolean locked, String topic) implements RoomFrame {
    }

    /** {@code restrictions}: the bans and mutes in force in a room, for its moderators. */
    record Restrictions(String id, String room) implements RoomFrame {
    }

    /** {@code audit}: a page of the room's moderation log; {@code before} an entry id or {@code null}. */
    record Audit(String id, String room, Long before, Integer limit) implements RoomFrame {
    }

    /** {@code ping}. */
    record Ping(String id) implements ClientFrame {
    }
}
