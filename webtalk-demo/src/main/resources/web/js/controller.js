// The glue between the socket, the store and the views: server pushes update the store and the
// views; user actions become protocol requests. Every request that can fail tells the user why,
// using the error code.
//
// The socket is the WebTalk JS client (socket.js, docs/CLIENT.md). Rooms are joined through it, so after a
// reconnect (or a gap in the `seq`s it receives) it joins each again with `since`, the room's stream
// position this tab is current to, and hands over the result (`resumed`): every message that changed
// meanwhile (posted, edited, deleted) in its current state, or `resync` (too much, start over from the
// newest page); holes elsewhere are fetched with `history`, so the log never shows a silent gap.
// Messages go out through its `send`: written while offline they wait as "pending" and go out, in order
// and with their clientMsgId, once the room is resumed; each is shown once, whichever confirms it first.

import { countsAsUnread, totalUnread } from './attention.js';
import { describeError, isConnectionError } from './errors.js';
import { formatUntil, newClientMsgId } from './format.js';
import { t } from './i18n.js';

const TYPING_EVERY_MS = 2000;
const ROOMS_REFRESH_MS = 20000;
const OLDER_RETRY_MS = 5000;
const MAX_GAP_PAGES = 5;
const HISTORY_PAGE = 50;
const AUDIT_PAGE = 20;
/** Least time between two `mark_read` of one room; the server stores a marker about once a second anyway. */
const MARK_READ_EVERY_MS = 1000;
/** Older pages fetched at most to reach a quoted message before giving up. */
const MAX_JUMP_PAGES = 20;
/** Join failures that mean the room is gone for us, not that the connection hiccupped. */
const GONE_CODES = ['room_not_found', 'wrong_password', 'forbidden', 'banned'];

export function createController({ store, socket, api, storage, layout, views, onSessionExpired }) {
  const { rooms, chat, members, status, toasts, passwordDialog, confirmDialog, roomSettingsDialog, auditDialog, notifier,
    editsDialog } = views;
  const lastTypingSent = new Map();
  const joining = new Set();
  let typingTimer = null;

  const isActive = (state) => state !== undefined && store.activeRoom === state;
  const showError = (error) => toasts.error(describeError(error), error.code);

  // ---- rendering helpers ----

  function renderRooms() {
    rooms.render();
    updateTitle();
  }

  function updateTitle() {
    layout.setTitle(store.activeRoom?.room.name, totalUnread(store.joined.values()));
  }

  function renderActive(mode) {
    if (!store.activeRoom) return;
    chat.renderHeader();
    chat.sync(mode);
    members.render();
  }

  function persistRooms() {
    storage.setRooms([...store.joined.keys()]);
    storage.setActive(store.activeRoomId);
  }

  function activate(id, { focus = true } = {}) {
    const state = store.joined.get(id);
    if (!state) return;
    store.activeRoomId = id;
    // The "new messages" line goes where I left off, for as long as the room stays open.
    state.dividerSeq = state.unread > 0 ? state.readSeq : null;
    persistRooms();
    layout.setScreen('chat');
    members.close();
    chat.open(state, { focus: focus && !layout.isNarrow() });
    members.render();
    renderRooms();
    scheduleTypingRefresh();
    markReadSoon(state);
  }

  // ---- read state ----

  const lastMarkRead = new Map();
  const markReadTimers = new Map();

  /**
   * Tells the server I have read the open room up to its newest message, when I can see it: the tab is
   * visible and the log is at the bottom. At most once a second per room; a later call in that second
   * waits for it.
   */
  function markReadSoon(state) {
    if (!isActive(state) || document.hidden || !chat.isAtBottom()) return;
    const newest = state.maxSeq;
    if (newest <= state.readSeq && state.unread === 0) return;
    const id = state.room.id;
    if (markReadTimers.has(id)) return;
    const wait = Math.max(0, (lastMarkRead.get(id) || 0) + MARK_READ_EVERY_MS - Date.now());
    markReadTimers.set(id, setTimeout(async () => {
      markReadTimers.delete(id);
      lastMarkRead.set(id, Date.now());
      // What was in view when asked, or, if the reader is still at the bottom, what is there now.
      const seq = isActive(state) && !document.hidden && chat.isAtBottom() ? state.maxSeq : newest;
      if (!socket.connected || store.joined.get(id) !== state) return;
      try {
        state.applyRead(await socket.request('mark_read', { room: id, seq }));
        renderRooms();
      } catch (e) {
        if (!isConnectionError(e)) console.warn(`WebTalk: mark_read failed: ${e.code}`);
      }
    }, wait));
  }

  /** Redraws the rooms list when the soonest ban shown ends, so it drops its "banned until" line then. */
  let barredTimer = null;
  function scheduleBarredRender() {
    clearTimeout(barredTimer);
    const ends = [...store.barred.keys()].map((id) => store.barredState(id)?.until).filter((u) => u != null);
    if (!ends.length) return;
    // setTimeout holds at most ~24.8 days; a later end is looked at again then.
    barredTimer = setTimeout(() => {
      renderRooms();
      scheduleBarredRender();
    }, Math.min(2 ** 31 - 1, Math.max(0, Math.min(...ends) - Date.now()) + 250));
  }

  /** Forgets a room (deleted, left, or no longer ours) and explains why when `text` is given. */
  function roomGone(id, text, { keepListed = false } = {}) {
    socket.forget(id);
    const wasActive = store.activeRoomId === id;
    const known = store.joined.has(id) || store.rooms.has(id);
    store.removeRoom(id, { keepListed });
    lastTypingSent.delete(id);
    persistRooms();
    if (wasActive) {
      chat.close(text || undefined);
      members.render();
      layout.setScreen('rooms');
    }
    renderRooms();
    if (text && known) toasts.info(text);
  }

  const roomName = (id) => store.joined.get(id)?.room.name ?? store.rooms.get(id)?.name ?? t('notice.someRoom');

  // ---- rooms ----

  async function refreshRooms({ manual = false } = {}) {
    try {
      const { rooms: list } = socket.connected ? await socket.request('list_rooms') : await api.rooms();
      store.setRooms(list || []);
      renderRooms();
      chat.renderHeader();
    } catch (e) {
      if (e.code === 'unauthorized') onSessionExpired();
      else if (manual) showError(e);
    }
  }

  async function openRoom(id) {
    if (store.joined.has(id)) {
      activate(id);
      return;
    }
    if (joining.has(id)) return;
    joining.add(id);
    try {
      // Try without a password first: members who joined before need none.
      afterJoin(await socket.join(id));
    } catch (e) {
      if (e.code === 'wrong_password') {
        passwordDialog.open(roomName(id), async (password) => {
          afterJoin(await socket.join(id, { password }));
        }, () => {
          if (!layout.isNarrow()) chat.focusComposer();
        });
      } else {
        showError(e);
        if (e.code === 'room_not_found') roomGone(id, null);
        if (e.code === 'banned') {
          store.setBarred(id, 'ban', e.until);
          renderRooms();
          scheduleBarredRender();
        }
      }
    } finally {
      joining.delete(id);
    }
  }

  function afterJoin(result) {
    store.applyJoin(result);
    activate(result.room.id);
  }

  async function createRoom({ name, password }) {
    // Errors here are shown inline in the form by the rooms view.
    const { room } = await socket.request('create_room', { name, password });
    store.upsertRoom(room);
    renderRooms();
    try {
      afterJoin(await socket.join(room.id));
    } catch (e) {
      showError(e);
    }
  }

  async function leaveRoom() {
    const state = store.activeRoom;
    if (!state) return;
    try {
      await socket.leave(state.room.id);
    } catch (e) {
      if (e.code !== 'not_member' && e.code !== 'room_not_found') {
        showError(e);
        return;
      }
    }
    roomGone(state.room.id, null, { keepListed: true });
    refreshRooms();
  }

  async function deleteRoom() {
    const state = store.activeRoom;
    if (!state) return;
    const confirmed = await confirmDialog.ask({
      title: t('confirm.deleteRoomTitle'),
      text: t('confirm.deleteRoomText', { room: state.room.name }),
      confirmLabel: t('confirm.deleteRoomOk'),
    });
    if (!confirmed) return;
    try {
      await socket.request('delete_room', { room: state.room.id });
      roomGone(state.room.id, t('notice.roomDeleted', { room: state.room.name }));
    } catch (e) {
      showError(e);
    }
  }

  // ---- messages ----

  function sendMessage(text, replyTo = null) {
    const state = store.activeRoom;
    if (!state) return;
    const clientMsgId = newClientMsgId();
    state.addPending(clientMsgId, text, Date.now(), replyTo);
    chat.sync('own');
    deliver(state, clientMsgId);
  }

  async function deliver(state, clientMsgId) {
    const pending = state.pending.get(clientMsgId);
    if (!pending) return;
    const room = state.room.id;
    state.setPendingStatus(clientMsgId, socket.connected ? 'sending' : 'waiting');
    try {
      // Kept by the client across reconnects: it settles once the message is stored, or is refused.
      const message = await socket.send(room, pending.text,
        pending.replyTo ? { clientMsgId, replyTo: pending.replyTo } : { clientMsgId });
      if (message) state.addMessages([message]);
      state.pending.delete(clientMsgId);
      state.noteSent();
      lastTypingSent.delete(room);
    } catch (e) {
      if (e.code === 'cancelled' || store.joined.get(room) !== state) return; // the room was left meanwhile
      if (isConnectionError(e)) {
        state.setPendingStatus(clientMsgId, 'waiting');
      } else if (e.code === 'not_member' || e.code === 'room_not_found') {
        roomGone(room, t(e.code === 'not_member' ? 'notice.noLongerMember' : 'notice.roomGone', { room: state.room.name }));
        return;
      } else {
        if (e.code === 'muted') {
          state.muted = { until: e.until };
          if (isActive(state)) chat.renderHeader();
        }
        if (e.code === 'rate_limited' && e.retryAfterMs) {
          state.noteRetryAfter(e.retryAfterMs); // the composer counts it down
          if (isActive(state)) chat.renderHeader();
        }
        state.setPendingStatus(clientMsgId, 'failed', describeError(e));
        showError(e);
      }
    }
    if (isActive(state)) chat.sync('update');
  }

  /** Pending sends say whether they are on their way or waiting for the connection. */
  function showPendingConnection(connected) {
    for (const state of store.joined.values()) {
      let changed = false;
      for (const [clientMsgId, pending] of state.pending) {
        const status = connected ? 'sending' : 'waiting';
        if (pending.status !== 'failed' && pending.status !== status) {
          state.setPendingStatus(clientMsgId, status);
          changed = true;
        }
      }
      if (changed && isActive(state)) chat.sync('update');
    }
  }

  function retryPending(clientMsgId) {
    const state = store.activeRoom;
    if (!state) return;
    state.setPendingStatus(clientMsgId, 'sending');
    chat.sync('update');
    deliver(state, clientMsgId);
  }

  function discardPending(clientMsgId) {
    const state = store.activeRoom;
    if (!state) return;
    state.pending.delete(clientMsgId);
    socket.cancelSend(clientMsgId);
    chat.sync('update');
  }

  /** The next page of the open room's member list (`members`), after what the join listed. */
  async function loadMoreMembers() {
    const state = store.activeRoom;
    if (!state?.membersNext) return;
    try {
      const { members: page = [], next = null } = await socket.request('members', { room: state.room.id, after: state.membersNext });
      state.addMembers(page, next);
      members.render();
    } catch (e) {
      showError(e);
    }
  }

  /** Shows a moderator the texts an edited message had before (`message_edits`). */
  async function showEdits(seq) {
    const state = store.activeRoom;
    if (!state) return;
    try {
      const { edits = [] } = await socket.request('message_edits', { room: state.room.id, seq });
      editsDialog.show(edits, state.messages.get(seq)?.text);
    } catch (e) {
      showError(e);
    }
  }

  /** Puts (`add`) or takes off my `emoji` on a message; the result says how it stands for me. */
  async function react(seq, emoji, add) {
    const state = store.activeRoom;
    if (!state) return;
    try {
      const { message } = await socket.request('react', { room: state.room.id, seq, emoji, add });
      if (state.applyReactions(seq, message?.reactions ?? []) && isActive(state)) chat.sync('update');
    } catch (e) {
      showError(e);
    }
  }

  /** Pins or unpins a message (moderators); the `pinned` push updates every member. */
  async function pin(seq, pinned) {
    const state = store.activeRoom;
    if (!state) return;
    try {
      await socket.request(pinned ? 'pin' : 'unpin', { room: state.room.id, seq });
    } catch (e) {
      showError(e);
    }
  }

  /** Scrolls to message `seq`, loading older history until it is held (a quote or a pin points at it). */
  async function jumpTo(seq) {
    const state = store.activeRoom;
    if (!state) return;
    for (let page = 0; page < MAX_JUMP_PAGES && !state.messages.has(seq) && state.hasMore; page++) {
      await loadOlder({ force: true });
      if (store.activeRoom !== state) return;
    }
    if (!chat.scrollToMessage(seq)) toasts.info(t('chat.messageGone'));
  }

  /** Replaces the text of one of my messages; the push that follows updates every tab. */
  async function editMessage(seq, text) {
    const state = store.activeRoom;
    if (!state) return false;
    try {
      const { message } = await socket.request('edit_message', { room: state.room.id, seq, text });
      if (state.applyEdited(message) && isActive(state)) chat.sync('update');
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  }

  async function deleteMessage(seq) {
    const state = store.activeRoom;
    if (!state) return;
    const message = state.messages.get(seq);
    if (message && !store.isMe(message.author?.id)) {
      const confirmed = await confirmDialog.ask({
        title: t('confirm.deleteMessageTitle'),
        text: t('confirm.deleteMessageText', { name: message.author.name }),
        confirmLabel: t('confirm.deleteMessageOk'),
      });
      if (!confirmed) return;
    }
    try {
      await socket.request('delete_message', { room: state.room.id, seq });
      if (state.markDeleted(seq) && isActive(state)) chat.sync('update');
    } catch (e) {
      showError(e);
    }
  }

  // ---- moderation ----

  async function moderate(member, { type, duration = null, role = null }) {
    const state = store.activeRoom;
    if (!state) return;
    if (type === 'kick' || type === 'ban') {
      const span = duration === null ? (type === 'ban' ? t('moderate.forGood') : '')
        : duration >= 86400 ? t('moderate.forDays', { count: duration / 86400 })
          : t('moderate.forMinutes', { count: duration / 60 });
      const confirmed = await confirmDialog.ask({
        title: t(type === 'ban' ? 'moderate.banTitle' : 'moderate.kickTitle', { name: member.name }),
        text: t(type === 'ban' ? 'moderate.banText' : 'moderate.kickText', { name: member.name, span }),
        confirmLabel: t(type === 'ban' ? 'moderate.ban' : 'moderate.kick'),
      });
      if (!confirmed) return;
    }
    const fields = { room: state.room.id, user: member.id };
    if (duration !== null) fields.duration = duration;
    if (role) fields.role = role;
    try {
      await socket.request(type, fields);
    } catch (e) {
      showError(e);
    }
  }

  /** Opens the settings dialog of the open room; saving sends `set_room`, and the push updates everyone. */
  function openRoomSettings() {
    const state = store.activeRoom;
    if (!state || !roomSettingsDialog) return;
    roomSettingsDialog.open(state.settings, async (fields) => {
      const { settings } = await socket.request('set_room', { room: state.room.id, ...fields });
      applySettings(state, settings);
    });
  }

  /** Opens the open room's moderation log (the `audit` request pages it, newest first). */
  function openAuditLog() {
    const state = store.activeRoom;
    if (!state || !auditDialog) return null;
    const room = state.room.id;
    return auditDialog.open(state.room.name, (before) => socket.request('audit',
      before === null ? { room, limit: AUDIT_PAGE } : { room, before, limit: AUDIT_PAGE }),
    (id) => state.members.get(id)?.name);
  }

  function applySettings(state, settings) {
    if (!settings) return;
    state.settings = settings;
    if (isActive(state)) chat.renderHeader();
  }

  async function loadOlder({ force = false } = {}) {
    const state = store.activeRoom;
    if (!state || !state.hasMore || state.loadingOlder || !socket.connected) return;
    if (!force && Date.now() - (state.olderFailedAt || 0) < OLDER_RETRY_MS) return;
    const before = state.minSeq;
    state.loadingOlder = true;
    chat.sync('prepend');
    try {
      const request = { room: state.room.id, limit: HISTORY_PAGE };
      if (before !== null) request.before = before;
      const { messages = [], hasMore } = await socket.request('history', request);
      state.addMessages(messages);
      state.hasMore = Boolean(hasMore) && messages.length > 0;
    } catch (e) {
      state.olderFailedAt = Date.now();
      if (!isConnectionError(e)) showError(e);
    } finally {
      state.loadingOlder = false;
      if (isActive(state)) chat.sync('prepend');
    }
  }

  /** Fetches what is missing between held messages, newest hole first; drops the rest if too much. */
  async function fillGaps(state) {
    for (let page = 0; page < MAX_GAP_PAGES; page++) {
      const gap = state.newestGap();
      if (!gap) return;
      const { messages = [] } = await socket.request('history', {
        room: state.room.id, before: gap.before, limit: Math.min(gap.limit, store.limits.historyPageMax),
      });
      if (state.addMessages(messages).length === 0) break;
    }
    const gap = state.newestGap();
    if (gap) state.dropBefore(gap.before);
  }

  /** Joins a room this tab had open before the page loaded (from storage). */
  async function rejoin(id) {
    try {
      applyResume(await socket.join(id));
    } catch (e) {
      if (GONE_CODES.includes(e.code)) {
        if (e.code === 'banned') {
          store.setBarred(id, 'ban', e.until);
          scheduleBarredRender();
        }
        roomGone(id, null, { keepListed: e.code === 'banned' });
      } else if (!isConnectionError(e)) {
        showError(e);
      }
    }
  }

  /** A join result for a room held already (the client resumed it): merge it and catch up. */
  async function applyResume(result) {
    const state = store.applyJoin(result);
    if (isActive(state)) renderActive(result.resync ? 'open' : 'update');
    renderRooms();
    try {
      await fillGaps(state);
      if (isActive(state)) renderActive('update');
    } catch (e) {
      if (!isConnectionError(e)) showError(e);
    }
  }

  // ---- typing ----

  function composerTyping() {
    const state = store.activeRoom;
    if (!state) return;
    const id = state.room.id;
    const now = Date.now();
    if (now - (lastTypingSent.get(id) || 0) < TYPING_EVERY_MS) return;
    if (socket.notify('typing', { room: id })) lastTypingSent.set(id, now);
  }

  function scheduleTypingRefresh() {
    clearTimeout(typingTimer);
    const next = store.activeRoom?.nextTypingExpiry();
    if (next === null || next === undefined) return;
    typingTimer = setTimeout(() => {
      chat.renderTyping();
      scheduleTypingRefresh();
    }, Math.max(50, next - Date.now() + 10));
  }

  // ---- socket events ----

  socket.on('state', (detail) => {
    status.setConnection(detail);
    showPendingConnection(detail.state === 'connected');
  });

  socket.on('welcome', async ({ user, limits, reconnected }) => {
    store.setMe(user, limits);
    storage.setUser(user);
    status.setMe(user);
    refreshRooms();
    if (reconnected) return; // the client resumes the rooms it holds itself (`resumed`, `room_lost`)
    const active = storage.active();
    await Promise.all(storage.rooms().map((id) => rejoin(id)));
    if (active && store.joined.has(active)) activate(active, { focus: false });
    persistRooms();
  });

  socket.on('resumed', ({ room, result }) => {
    if (store.joined.has(room)) applyResume(result);
    else socket.forget(room);
  });

  socket.on('room_lost', ({ room, error }) => {
    if (error?.code === 'banned') {
      store.setBarred(room, 'ban', error.until);
      scheduleBarredRender();
    }
    roomGone(room, t('notice.noLongerMemberWhy', { room: roomName(room), reason: describeError(error) }),
      { keepListed: error?.code === 'banned' });
  });

  socket.on('handshake_failed', async ({ failures, error }) => {
    // The ticket call says when the guest token is no longer good.
    if (error?.code === 'unauthorized') {
      onSessionExpired();
      return;
    }
    // A browser cannot see why a handshake itself failed; ask the REST API whether the token is still good.
    if (failures !== 2 && failures % 10 !== 0) return;
    try {
      await api.rooms();
    } catch (e) {
      if (e.code === 'unauthorized') onSessionExpired();
    }
  });

  socket.on('server_error', (error) => {
    // Only id-less frames (typing notices) fail this way; nothing the user did is lost.
    console.warn(`WebTalk: server error ${error.code}: ${error.message}`);
  });

  socket.on('message', ({ room, pos, message }) => {
    const state = store.joined.get(room);
    if (!state || !message) return;
    state.advance(pos);
    const added = state.addMessages([message]).length > 0;
    state.typing.delete(message.author?.id);
    const own = store.isMe(message.author?.id);
    const active = isActive(state);
    if (own) {
      state.applyRead({ seq: message.seq, unread: 0, mentions: 0 }); // writing is reading
      if (added) state.noteSent(); // from another tab, or a file: slow mode counts it too
    } else if (countsAsUnread({ added, own, active, hidden: document.hidden })
        || (added && active && !chat.isAtBottom())) {
      state.unread += 1;
      if (state.mentionsMe(message)) state.mentionCount += 1;
    }
    if (active) {
      chat.sync(own ? 'own' : 'append');
      chat.renderTyping();
      updateTitle();
      markReadSoon(state);
    } else {
      renderRooms();
    }
    if (added) notifier?.message(message, state.room.name);
    // A gap before it is the client's business: it resumes the room and hands over the result (`resumed`).
  });

  socket.on('reactions', ({ room, pos, seq, reactions }) => {
    const state = store.joined.get(room);
    if (!state) return;
    state.advance(pos);
    if (state.applyReactions(seq, reactions) && isActive(state)) chat.sync('update');
  });

  socket.on('pinned', (push) => {
    const state = store.joined.get(push.room);
    if (!state) return;
    state.advance(push.pos);
    state.applyPinned(push);
    if (isActive(state)) renderActive('update');
  });

  // My own reading, from another tab or device: the badges follow.
  socket.on('read', (push) => {
    const state = store.joined.get(push.room);
    if (!state) return;
    state.applyRead(push);
    renderRooms();
  });

  socket.on('message_edited', ({ room, pos, message }) => {
    const state = store.joined.get(room);
    if (!state) return;
    state.advance(pos);
    if (state.applyEdited(message) && isActive(state)) chat.sync('update');
  });

  socket.on('message_deleted', ({ room, pos, seq, message }) => {
    const state = store.joined.get(room);
    if (!state) return;
    state.advance(pos);
    if (state.markDeleted(seq, message) && isActive(state)) chat.sync('update');
  });

  // One user, or a burst of joins sent together (which may list this user too: nothing to announce then).
  const membersJoined = (room, users) => {
    const state = store.joined.get(room);
    if (!state || !Array.isArray(users)) return;
    for (const user of users) {
      if (user && state.memberJoined(user) && !store.isMe(user.id)) {
        state.addNotice({ key: 'notice.joined', params: { name: user.name } });
      }
    }
    store.upsertRoom(state.room);
    if (isActive(state)) renderActive('update');
    renderRooms();
  };
  socket.on('member_joined', ({ room, user }) => membersJoined(room, [user]));
  socket.on('members_joined', ({ room, users }) => membersJoined(room, users));

  socket.on('member_left', ({ room, user, reason }) => {
    const state = store.joined.get(room);
    if (!state || !user) return;
    if (store.isMe(user.id) && reason === 'left') {
      roomGone(room, t('notice.leftElsewhere', { room: state.room.name }), { keepListed: true });
      return;
    }
    state.memberLeft(user, reason);
    if (reason === 'left') state.addNotice({ key: 'notice.left', params: { name: user.name } });
    store.upsertRoom(state.room);
    if (isActive(state)) {
      renderActive('update');
      chat.renderTyping();
    }
    renderRooms();
  });

  socket.on('moderation', ({ room, pos, action, actor, target, until, role }) => {
    const state = store.joined.get(room);
    if (!state || !target) return;
    state.advance(pos);
    const untilText = until ? t('moderate.until', { until: formatUntil(until) }) : '';
    if (store.isMe(target.id)) {
      if (action === 'kick' || action === 'ban') {
        // The room stays in my list, saying why I am out of it (the next list_rooms keeps it too).
        store.setBarred(room, action, until ?? null);
        roomGone(room, t(action === 'kick' ? 'moderate.youWereKicked' : 'moderate.youWereBanned',
          { actor: actor.name, room: state.room.name, until: untilText }), { keepListed: true });
        scheduleBarredRender();
        return;
      }
      if (action === 'mute') state.muted = { until: until ?? null };
      if (action === 'unmute') state.muted = null;
    }
    if (action === 'mute') state.setMemberMuted(target.id, until ?? null);
    if (action === 'unmute') state.setMemberMuted(target.id, undefined);
    const name = target.name || target.id;
    if (['mute', 'unmute', 'kick', 'ban'].includes(action)) {
      state.addNotice(t(`moderate.notice.${action}`, { actor: actor.name, name, until: untilText }));
    }
    if (action === 'set_role') {
      state.setMemberRole(target.id, role);
      if (store.isMe(target.id)) state.role = role;
      state.addNotice(t(role === 'moderator' ? 'moderate.notice.madeModerator' : 'moderate.notice.madeMember',
        { actor: actor.name, name }));
    }
    if (action === 'transfer_ownership') {
      state.setMemberRole(state.room.ownerId, 'moderator');
      if (store.isMe(state.room.ownerId)) state.role = 'moderator';
      state.setMemberRole(target.id, 'owner');
      if (store.isMe(target.id)) state.role = 'owner';
      state.room = { ...state.room, ownerId: target.id };
      store.upsertRoom(state.room);
      state.addNotice(t('moderate.notice.transfer', { actor: actor.name, name }));
    }
    if (isActive(state)) {
      renderActive('update');
      chat.renderHeader();
    }
  });

  socket.on('room_updated', ({ room, pos, settings }) => {
    const state = store.joined.get(room);
    if (!state) return;
    state.advance(pos);
    applySettings(state, settings);
  });

  socket.on('typing', ({ room, user }) => {
    const state = store.joined.get(room);
    if (!state || !user || store.isMe(user.id)) return;
    state.setTyping(user);
    if (isActive(state)) {
      chat.renderTyping();
      scheduleTypingRefresh();
    }
  });

  socket.on('room_deleted', ({ room }) => {
    roomGone(room, store.joined.has(room) ? t('notice.roomDeleted', { room: roomName(room) }) : null);
  });

  // ---- page lifecycle ----

  function start() {
    window.addEventListener('online', () => socket.setNetworkOnline(true));
    window.addEventListener('offline', () => socket.setNetworkOnline(false));
    socket.setNetworkOnline(navigator.onLine !== false);
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) return;
      socket.reconnectNow();
      const state = store.activeRoom;
      if (state) markReadSoon(state);
    });
    setInterval(() => {
      if (!document.hidden) refreshRooms();
    }, ROOMS_REFRESH_MS);
    renderRooms();
    refreshRooms();
    socket.start();
  }

  return {
    start,
    openRoom,
    createRoom,
    refreshRooms,
    leaveRoom,
    deleteRoom,
    sendMessage,
    editMessage,
    showEdits,
    loadMoreMembers,
    react,
    pin,
    jumpTo,
    /** The log reached its bottom: what is there has been seen. */
    readToBottom() {
      if (store.activeRoom) markReadSoon(store.activeRoom);
    },
    deleteMessage,
    moderate,
    openRoomSettings,
    openAuditLog,
    retryPending,
    discardPending,
    loadOlder,
    composerTyping,
    back() {
      members.close();
      layout.setScreen('rooms');
    },
    /** Re-renders every text the views built, after a language switch. */
    relocalize() {
      rooms.render({ force: true });
      chat.relocalize();
      members.render();
      status.relocalize();
      notifier?.relocalize();
      updateTitle();
    },
    setFilter(text) {
      store.filter = text;
      rooms.render();
    },
  };
}
