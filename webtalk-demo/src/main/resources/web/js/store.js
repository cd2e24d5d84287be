// Client state, without DOM: the room list, and for every joined room its members, the messages the
// client holds (a contiguous run of `seq`s, so a gap is always visible), pending sends, join/leave
// notices and who is typing. The controller mutates it and then asks the views to render it.

import { dayKey } from './format.js';

/** Consecutive messages of one author this close together share one header and avatar. */
export const GROUP_WITHIN_MS = 5 * 60 * 1000;

/** How long a typing notice stays on screen; peers repeat it every 2 s while they type. */
export const TYPING_TTL_MS = 4000;

export const DEFAULT_LIMITS = Object.freeze({
  maxMessageChars: 2000, maxFrameBytes: 65536, historyPageMax: 100, maxRoomNameChars: 50,
});

export class Store {
  constructor() {
    this.me = null;
    this.limits = DEFAULT_LIMITS;
    /** Room list as last fetched, by id, in server order (oldest first). */
    this.rooms = new Map();
    /** RoomState for every room this tab has joined, by id. */
    this.joined = new Map();
    this.activeRoomId = null;
    this.filter = '';
    /**
     * Rooms I was put out of, by id: `{reason: 'kick'|'ban', until}` (`until`: epoch ms, null for a ban
     * without end or a kick). The list keeps them with that state instead of dropping them.
     */
    this.barred = new Map();
  }

  /** I was kicked (`kick`) or banned (`ban`, until `until` or for good) from room `id`. */
  setBarred(id, reason, until = null) {
    this.barred.set(id, { reason, until: reason === 'ban' ? until : null });
  }

  /**
   * Why room `id` is closed to me, as far as this tab knows: `{reason: 'ban', until}` while a ban holds,
   * `{reason: 'kick'}` after a kick (joining again is allowed), else null. An expired ban is forgotten.
   */
  barredState(id, now = Date.now()) {
    const entry = this.barred.get(id);
    if (!entry) return null;
    if (entry.reason === 'ban' && entry.until !== null && entry.until <= now) {
      this.barred.delete(id);
      return null;
    }
    return entry;
  }

  setMe(user, limits) {
    this.me = user;
    this.limits = { ...DEFAULT_LIMITS, ...(limits || {}) };
  }

  isMe(userId) {
    return this.me !== null && this.me.id === userId;
  }

  setRooms(list) {
    this.rooms = new Map(list.map((room) => [room.id, room]));
    for (const [id, state] of this.joined) {
      const fresh = this.rooms.get(id);
      if (fresh) {
        state.room = fresh;
        state.setCounts(fresh);
      }
    }
  }

  upsertRoom(room) {
    this.rooms.set(room.id, room);
    const state = this.joined.get(room.id);
    if (state) state.room = room;
  }

  /** Forgets a room everywhere (deleted, or left). */
  removeRoom(id, { keepListed = false } = {}) {
    if (!keepListed) this.rooms.delete(id);
    this.joined.delete(id);
    if (this.activeRoomId === id) this.activeRoomId = null;
  }

  /** Rooms matching the search filter (case-insensitive substring of the name). */
  visibleRooms() {
    const needle = this.filter.trim().toLocaleLowerCase();
    const all = [...this.rooms.values()];
    return needle ? all.filter((r) => r.name.toLocaleLowerCase().includes(needle)) : all;
  }

  get activeRoom() {
    return this.activeRoomId === null ? null : this.joined.get(this.activeRoomId) ?? null;
  }

  canDeleteRoom(state) {
    return Boolean(this.me && (this.me.admin || state.room.ownerId === this.me.id || state.role === 'owner'));
  }

  /** Owners and admins may delete anyone's message; everyone may delete their own. */
  canModerate(state) {
    return Boolean(this.me && (this.me.admin || state.role === 'owner' || state.role === 'moderator'));
  }

  /**
   * Whether I may kick, ban or mute `member` here: the rule of docs/MODERATION.md — moderators act on
   * members only, the owner on everyone else, admins on everyone but themselves. The server decides.
   */
  canActOn(state, member) {
    if (!this.me || !member || this.isMe(member.id)) return false;
    const rank = { owner: 3, moderator: 2, member: 1 };
    const mine = this.me.admin ? 4 : (state.room.ownerId === this.me.id ? 3 : rank[state.role] ?? 1);
    const theirs = state.room.ownerId === member.id ? 3 : rank[member.role] ?? 1;
    return mine >= 2 && mine > theirs;
  }

  /** Whether I may promote or demote `member` (owner and admins; not the owner). */
  canSetRole(state, member) {
    return this.canActOn(state, member) && (this.me.admin || state.room.ownerId === this.me.id
      || state.role === 'owner') && member.role !== 'owner';
  }

  /**
   * Applies a `join` result. A fresh join takes the page as is; a resume after a reconnect (the JS
   * client rejoins with `since` by itself and hands over the result) keeps
   * what the client held and merges in what it missed (`missed`, current state of each message) or
   * the new page (the caller then fills any gap). `resync` means the held copy cannot be patched:
   * it is dropped for the newest page.
   */
  applyJoin(result) {
    const id = result.room.id;
    this.barred.delete(id);
    this.upsertRoom(result.room);
    let state = this.joined.get(id);
    if (!state) {
      state = new RoomState(result.room, this.me?.id);
      state.hasMore = Boolean(result.hasMore);
      this.joined.set(id, state);
    } else if (result.resync) {
      state.resetMessages(Boolean(result.hasMore));
      state.pos = 0;
    } else if (state.messages.size === 0 && !result.missed) {
      state.hasMore = Boolean(result.hasMore);
    }
    state.advance(result.pos);
    state.role = result.role || 'member';
    if (result.settings) state.settings = result.settings;
    state.setCounts(result.room);
    if (typeof result.readSeq === 'number') state.readSeq = Math.max(state.readSeq, result.readSeq);
    state.pins = Array.isArray(result.pins) ? result.pins : [];
    state.setMembers(result.members || [], result.membersNext ?? null);
    state.typing.clear();
    state.addMessages(result.missed || result.history || []);
    state.noteOwnHistory();
    return state;
  }
}

/**
 * Whether `known` is a later state of the same message than `other`: a delete is final, and a later
 * edit wins over an earlier one.
 */
function isLater(known, other) {
  if (known.deleted) return !other.deleted;
  return !other.deleted && (known.editedAt ?? 0) > (other.editedAt ?? 0);
}

/** One joined room. */
export class RoomState {
  constructor(room, myId) {
    this.room = room;
    this.myId = myId;
    this.role = 'member';
    /** Slow mode (seconds), lock and topic, from the join result and `room_updated`. */
    this.settings = { slowMode: 0, locked: false, topic: null };
    this.members = new Map();
    this.messages = new Map();
    this.hasMore = false;
    this.loadingOlder = false;
    this.pending = new Map();
    this.notices = [];
    this.typing = new Map();
    this.unread = 0;
    this.sortedSeqs = null;
    this.noticeCounter = 0;
    /** The room's stream position this copy is current to: every change up to it is applied. */
    this.pos = 0;
    /** The newest message I have read, as the server knows it (shared by my devices). */
    this.readSeq = 0;
    /** Unread messages that mention me. */
    this.mentionCount = 0;
    /** Where the "new messages" line goes: after this seq; null for none. */
    this.dividerSeq = null;
    /** The room's pins, oldest first: {seq, by, at, message}. */
    this.pins = [];
    /** Mutes seen live: user id -> until (epoch ms, null for good). */
    this.mutes = new Map();
    /** When my newest message here was accepted, on this clock (epoch ms; 0: none seen), for slow mode. */
    this.lastSentAt = 0;
    /** Not before this (epoch ms) may I send again, as a `rate_limited` answer's `retryAfterMs` said. */
    this.retryAt = 0;
  }

  /** One of my messages (text or file, from any of my tabs) was accepted at `at`. */
  noteSent(at = Date.now()) {
    if (at > this.lastSentAt) this.lastSentAt = at;
  }

  /** A send was refused `rate_limited`: wait `retryAfterMs` from `now`. */
  noteRetryAfter(retryAfterMs, now = Date.now()) {
    if (retryAfterMs > 0) this.retryAt = Math.max(this.retryAt, now + retryAfterMs);
  }

  /**
   * Why I cannot send here now, or null when I can: `{reason: 'locked'}` (a locked room, for plain
   * members), `{reason: 'slow', until}` (slow mode since my last message, plain members) or
   * `{reason: 'wait', until}` (a rate limit's `retryAfterMs`). `exempt`: I moderate the room (moderators,
   * the owner and admins are exempt from lock and slow mode, docs/MODERATION.md). The server decides;
   * this only lets the composer say so before a send fails.
   */
  sendBlock(exempt, now = Date.now()) {
    if (this.settings.locked && !exempt) return { reason: 'locked' };
    const slowUntil = !exempt && this.settings.slowMode > 0 && this.lastSentAt > 0
      ? this.lastSentAt + this.settings.slowMode * 1000 : 0;
    const until = Math.max(slowUntil, this.retryAt);
    if (until <= now) return null;
    return { reason: slowUntil >= this.retryAt ? 'slow' : 'wait', until };
  }

  /** Takes the time of my newest held message as my last send, unless a later one is known (after a join). */
  noteOwnHistory(now = Date.now()) {
    const seqs = this.seqs;
    for (let i = seqs.length - 1; i >= 0; i--) {
      const m = this.messages.get(seqs[i]);
      if (m.author?.id === this.myId && m.kind !== 'system') {
        if (Number.isFinite(m.createdAt)) this.noteSent(Math.min(m.createdAt, now)); // a server clock ahead must not lengthen the wait
        return;
      }
    }
  }

  /** Takes the unread and mention counts the server reports for a room, when it reports them. */
  setCounts(room) {
    if (typeof room?.unread === 'number') this.unread = room.unread;
    if (typeof room?.mentions === 'number') this.mentionCount = room.mentions;
  }

  /** A `read` push or `mark_read` result: how far I have read and what is left. */
  applyRead({ seq, unread, mentions }) {
    if (typeof seq === 'number' && seq >= this.readSeq) {
      this.readSeq = seq;
      if (typeof unread === 'number') this.unread = unread;
      if (typeof mentions === 'number') this.mentionCount = mentions;
    }
  }

  /** Whether `message` mentions me, by name or `@room` (my own messages never do). */
  mentionsMe(message) {
    if (!message || message.deleted || message.author?.id === this.myId) return false;
    return Boolean(message.mentionsRoom) || (Array.isArray(message.mentions) && message.mentions.includes(this.myId));
  }

  /**
   * New reaction counts for a held message. Entries with `mine` (my own frame, a reply) are taken as
   * they are; a frame shared by the room has counts only, so whether I am among them is kept from what
   * I held. Returns whether the message is held.
   */
  applyReactions(seq, reactions) {
    const message = this.messages.get(seq);
    if (!message || !Array.isArray(reactions)) return false;
    const mine = new Map((message.reactions || []).map((r) => [r.emoji, Boolean(r.mine)]));
    const next = reactions.map((r) => ({ emoji: r.emoji, count: r.count,
      mine: 'mine' in r ? Boolean(r.mine) : (mine.get(r.emoji) ?? false) }));
    const copy = { ...message };
    if (next.length) copy.reactions = next;
    else delete copy.reactions;
    this.messages.set(seq, copy);
    return true;
  }

  /** A `pinned` push: marks the held message and keeps the room's pin list. */
  applyPinned({ seq, pinned, by, message }) {
    this.pins = this.pins.filter((p) => p.seq !== seq);
    if (pinned) this.pins.push({ seq, by: by?.id, at: Date.now(), message });
    const held = this.messages.get(seq);
    if (held) {
      const copy = { ...held };
      if (pinned) copy.pinned = true;
      else delete copy.pinned;
      this.messages.set(seq, copy);
    }
  }

  /** Notes that the change at stream position `pos` (from a push or a join result) is applied. */
  advance(pos) {
    if (typeof pos === 'number' && pos > this.pos) this.pos = pos;
  }

  get seqs() {
    if (this.sortedSeqs === null) this.sortedSeqs = [...this.messages.keys()].sort((a, b) => a - b);
    return this.sortedSeqs;
  }

  get minSeq() {
    return this.seqs.length ? this.seqs[0] : null;
  }

  get maxSeq() {
    return this.seqs.length ? this.seqs[this.seqs.length - 1] : 0;
  }

  /**
   * Stores messages by `seq`, keeping the later state of each (so a page fetched before a delete or
   * an edit, answered after it, does not undo it), and settles my pending sends they confirm. Returns
   * the messages that were new.
   */
  addMessages(list) {
    const added = [];
    for (const message of list) {
      if (!message || typeof message.seq !== 'number') continue;
      if (!this.messages.has(message.seq)) added.push(message);
      const known = this.messages.get(message.seq);
      this.messages.set(message.seq, known && isLater(known, message) ? known : message);
      if (message.clientMsgId && message.author?.id === this.myId) this.pending.delete(message.clientMsgId);
    }
    if (added.length) this.sortedSeqs = null;
    return added;
  }

  /**
   * A message's new state from a `message_edited` push; only for a message held (one outside the held
   * range arrives with its page). Returns whether anything changed.
   */
  applyEdited(message) {
    const known = message && this.messages.get(message.seq);
    if (!known || isLater(known, message) || known.editedAt === message.editedAt) return false;
    // An edit changes words and mentions; reactions and the pin are not in the push and stay.
    const copy = { ...message };
    if (known.reactions) copy.reactions = known.reactions;
    if (known.pinned) copy.pinned = true;
    this.messages.set(message.seq, copy);
    return true;
  }

  /** Forgets every held message (pending sends stay), for a `resync`. */
  resetMessages(hasMore) {
    this.messages.clear();
    this.sortedSeqs = null;
    this.notices = [];
    this.hasMore = hasMore;
  }

  /**
   * Marks a held message deleted: as `deleted` says (the server's deleted form, from the push) or, for
   * my own delete before its push arrives, with the text dropped here.
   */
  markDeleted(seq, deleted = null) {
    const message = this.messages.get(seq);
    if (!message) return false;
    if (message.deleted) {
      if (deleted?.deleted) this.messages.set(seq, deleted); // the server's time replaces my guess
      return false;
    }
    this.messages.set(seq, deleted?.deleted ? deleted : { ...message, text: null, file: undefined, deleted: true, deletedAt: Date.now() });
    return true;
  }

  /**
   * The newest hole in the held `seq`s, as the `history` request that fills it from the top:
   * `{before, limit}`, or null when the held messages are contiguous.
   */
  newestGap() {
    const seqs = this.seqs;
    for (let i = seqs.length - 1; i > 0; i--) {
      if (seqs[i] - seqs[i - 1] > 1) return { before: seqs[i], limit: seqs[i] - seqs[i - 1] - 1 };
    }
    return null;
  }

  /** Drops everything older than `seq` (when a gap is too big to fill); older pages load on scroll. */
  dropBefore(seq) {
    for (const key of this.messages.keys()) if (key < seq) this.messages.delete(key);
    this.sortedSeqs = null;
    this.hasMore = true;
  }

  /**
   * The first page of the member list (a join result) and the cursor for the rest (`membersNext`, null
   * when that was everyone): a big room's join lists only its first members.
   */
  setMembers(list, next = null) {
    this.members = new Map(list.map((m) => [m.id, { id: m.id, name: m.name, role: m.role, online: Boolean(m.online) }]));
    this.membersNext = next;
  }

  /** A further page of the member list (a `members` result); what pushes said since stays. */
  addMembers(list, next = null) {
    for (const m of list) {
      if (!this.members.has(m.id)) this.members.set(m.id, { id: m.id, name: m.name, role: m.role, online: Boolean(m.online) });
    }
    this.membersNext = next;
  }

  /** A user became present. Returns true when they were not a member before (a real join). */
  memberJoined(user) {
    const known = this.members.get(user.id);
    this.members.set(user.id, { id: user.id, name: user.name, role: user.role || known?.role || 'member', online: true });
    this.room = { ...this.room, online: (this.room.online || 0) + (known?.online ? 0 : 1),
      members: (this.room.members || 0) + (known ? 0 : 1) };
    return !known;
  }

  /**
   * A member's mute as far as this tab saw it (`moderation` pushes; a join does not list mutes): until
   * when (epoch ms), null for good, undefined to forget it.
   */
  setMemberMuted(userId, until) {
    if (until === undefined) this.mutes.delete(userId);
    else this.mutes.set(userId, until);
  }

  /** Until when `userId` is muted (null: for good), or undefined when not (as far as this tab saw). */
  mutedUntil(userId, now = Date.now()) {
    const until = this.mutes.get(userId);
    return until === undefined || (until !== null && until <= now) ? undefined : until;
  }

  /** A member's role changed (set_role, transfer_ownership). */
  setMemberRole(userId, role) {
    const known = this.members.get(userId);
    if (known) this.members.set(userId, { ...known, role });
  }

  /**
   * A user's last connection left: `left`, `kicked` and `banned` end the membership, `disconnected`
   * only the presence.
   */
  memberLeft(user, reason) {
    const known = this.members.get(user.id);
    const ended = reason === 'left' || reason === 'kicked' || reason === 'banned';
    if (ended) {
      this.members.delete(user.id);
      this.typing.delete(user.id);
    } else if (known) {
      this.members.set(user.id, { ...known, online: false });
    }
    this.room = { ...this.room, online: Math.max(0, (this.room.online || 0) - (known?.online ? 1 : 0)),
      members: Math.max(0, (this.room.members || 0) - (known && ended ? 1 : 0)) };
  }

  /** Members, online first, then owners and moderators, then by name. */
  sortedMembers() {
    const rank = { owner: 0, moderator: 1 };
    return [...this.members.values()].sort((a, b) => (Number(b.online) - Number(a.online))
      || ((rank[a.role] ?? 2) - (rank[b.role] ?? 2))
      || a.name.localeCompare(b.name));
  }

  /**
   * An inline notice ("Ana joined") placed after the newest message held now. `text` is a string or,
   * so that it follows a language switch, an i18n `{key, params}` the view translates.
   */
  addNotice(text, at = Date.now()) {
    this.noticeCounter += 1;
    this.notices.push({ id: this.noticeCounter, afterSeq: this.maxSeq, text, at });
  }

  setTyping(user, now = Date.now()) {
    this.typing.set(user.id, { name: user.name, until: now + TYPING_TTL_MS });
  }

  /** Names of who is typing now; forgets expired notices. */
  typingNames(now = Date.now()) {
    const names = [];
    for (const [id, entry] of this.typing) {
      if (entry.until <= now) this.typing.delete(id);
      else names.push(entry.name);
    }
    return names;
  }

  /** Earliest time a typing notice expires, or null. */
  nextTypingExpiry() {
    let next = null;
    for (const entry of this.typing.values()) if (next === null || entry.until < next) next = entry.until;
    return next;
  }

  /** A message of mine on its way: `sending`, `waiting` (for the connection) or `failed`. */
  addPending(clientMsgId, text, at = Date.now(), replyTo = null) {
    this.pending.set(clientMsgId, { clientMsgId, text, at, replyTo, status: 'sending', error: null });
  }

  setPendingStatus(clientMsgId, status, error = null) {
    const entry = this.pending.get(clientMsgId);
    if (entry) this.pending.set(clientMsgId, { ...entry, status, error });
  }

  /** The held original a reply quotes, or null: the quote is drawn from it when held, so it stays current. */
  original(message) {
    return message?.replyTo ? this.messages.get(message.replyTo.seq) ?? null : null;
  }

  /** Changes when the quoted original changes, so the reply is drawn again. */
  replyVersion(message) {
    const original = this.original(message);
    return original ? `${original.deleted ? 'x' : ''}${original.editedAt ?? ''}` : '';
  }

  /**
   * What the chat view shows, in order: day separators, messages by `seq` with notices after the
   * message they followed, then pending sends. Each entry has a stable `key` and a `version` that
   * changes when its element must be rebuilt. A message right after one of the same author (nothing in
   * between, same day, within GROUP_WITHIN_MS, neither a system message) is `grouped`: drawn without
   * its own header and avatar.
   */
  timeline() {
    const entries = [];
    let day = null;
    const days = new Set();
    const addDay = (at) => {
      const key = dayKey(at);
      if (key === day) return;
      day = key;
      // Keys must stay unique even if clocks disagree and a day comes back.
      if (days.has(key)) return;
      days.add(key);
      entries.push({ kind: 'day', key: `d:${key}`, version: '', at });
    };
    const notices = [...this.notices].sort((a, b) => a.afterSeq - b.afterSeq || a.id - b.id);
    let n = 0;
    const flushNotices = (beforeSeq) => {
      while (n < notices.length && notices[n].afterSeq < beforeSeq) {
        const notice = notices[n++];
        addDay(notice.at);
        entries.push({ kind: 'notice', key: `n:${notice.id}`, version: '', notice });
      }
    };
    let divided = false;
    for (const seq of this.seqs) {
      flushNotices(seq);
      const message = this.messages.get(seq);
      addDay(message.createdAt);
      if (!divided && this.dividerSeq !== null && seq > this.dividerSeq) {
        divided = true;
        entries.push({ kind: 'divider', key: 'new-messages', version: '' });
      }
      const before = entries[entries.length - 1];
      const grouped = before?.kind === 'message' && message.kind !== 'system' && before.message.kind !== 'system'
        && Boolean(message.author?.id) && before.message.author?.id === message.author.id
        && message.createdAt - before.message.createdAt < GROUP_WITHIN_MS;
      const version = [message.deleted ? 'deleted' : message.editedAt ?? 'live', JSON.stringify(message.reactions ?? []),
        message.pinned ? 'pinned' : '', this.replyVersion(message), grouped ? 'g' : ''].join('|');
      entries.push({ kind: 'message', key: `m:${seq}`, version, message, grouped });
    }
    flushNotices(Infinity);
    for (const pending of this.pending.values()) {
      addDay(pending.at);
      entries.push({ kind: 'pending', key: `p:${pending.clientMsgId}`, version: pending.status, pending });
    }
    return entries;
  }
}
