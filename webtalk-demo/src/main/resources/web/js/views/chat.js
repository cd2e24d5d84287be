// The chat panel: room header, the message log, typing indicator and composer.
//
// The log is reconciled by key against RoomState.timeline() instead of being rebuilt, so a new
// message costs one append, and loading older history keeps the message under the reader's eyes
// where it was (an anchor element and its offset are restored after the update).

import { byId, h, icon, show } from '../dom.js';
import {
  colorClass, formatDateTime, formatDay, formatTime, formatUntil, initials, isoTime, linkify, roomCounts, typingText,
} from '../format.js';
import { t } from '../i18n.js';

const NEAR_BOTTOM_PX = 80;
const LOAD_OLDER_PX = 150;
/** The emoji the reaction palette offers; the server takes any single emoji. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

export function createChatView({ store, onSend, onTyping, onDeleteMessage, onEditMessage, onShowEdits = () => {},
  onReact = () => {},
  onPin = () => {}, onJumpTo = () => {}, onReadToBottom = () => {}, onRetry, onDiscard,
  onLoadOlder, onLeave, onDeleteRoom, onRoomSettings, onBack, renderFile = null }) {
  const emptyPane = byId('chat-empty');
  const roomNotice = byId('room-notice');
  const view = byId('chat-view');
  const title = byId('room-title');
  const meta = byId('room-meta');
  const leaveButton = byId('leave-room');
  const deleteButton = byId('delete-room');
  const settingsButton = byId('room-settings');
  const topic = byId('room-topic');
  const log = byId('message-list');
  const container = byId('messages');
  const historyStatus = byId('history-status');
  const jump = byId('jump-latest');
  const typing = byId('typing-indicator');
  const form = byId('composer');
  const input = byId('composer-input');
  const send = byId('composer-send');
  const counter = byId('char-counter');
  const status = byId('composer-status');
  const attachButton = byId('attach-button');
  const editBar = byId('composer-editing');
  const editCancel = byId('composer-edit-cancel');
  const replyBar = byId('composer-replying');
  const replyText = byId('composer-reply-text');
  const replyCancel = byId('composer-reply-cancel');
  const pinsButton = byId('room-pins');
  const pinsCount = byId('room-pins-count');
  const pinsPanel = byId('pins-panel');
  const palette = byId('reaction-palette');

  /** key -> {el, version} for the room on screen. */
  let rendered = new Map();
  let roomId = null;
  /** The text under "No room open", or null for the default hint (re-translated on a switch). */
  let closeNotice = null;
  /** The seq of my message the composer is editing, or null when it writes a new one. */
  let editing = null;
  /** What the composer held before an edit began, given back when it ends. */
  let draftBeforeEdit = '';
  /** The seq of the message my next send answers, or null. */
  let replying = null;
  /** The seq of the message the reaction palette is open for, or null. */
  let paletteFor = null;
  roomNotice.textContent = t('chat.pickRoom');

  // ---- header ----
  leaveButton.addEventListener('click', () => { closeRoomMenu(); onLeave(); });
  deleteButton.addEventListener('click', () => { closeRoomMenu(); onDeleteRoom(); });
  settingsButton.addEventListener('click', () => { closeRoomMenu(); onRoomSettings(); });
  byId('back-to-rooms').addEventListener('click', () => onBack());

  // On a narrow header the room's actions wait behind a toggle (a disclosure: a button that shows a group
  // of buttons). Escape or a click elsewhere closes it; focus goes in when it opens and back when Escape closes it.
  const menuToggle = byId('room-menu-toggle');
  const roomActions = byId('room-actions');
  function setRoomMenu(open) {
    roomActions.classList.toggle('open', open);
    menuToggle.setAttribute('aria-expanded', String(open));
  }
  function closeRoomMenu() {
    setRoomMenu(false);
  }
  menuToggle.addEventListener('click', () => {
    const open = !roomActions.classList.contains('open');
    setRoomMenu(open);
    if (open) [...roomActions.querySelectorAll('button')].find((b) => !b.hidden)?.focus();
  });
  roomActions.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && roomActions.classList.contains('open')) {
      event.stopPropagation();
      closeRoomMenu();
      menuToggle.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (roomActions.classList.contains('open') && !event.target.closest('.room-menu')) closeRoomMenu();
  });

  // The skip link (the page's first tab stop) goes to the composer, or to the rooms list when no room is open.
  byId('skip-to-composer').addEventListener('click', (event) => {
    event.preventDefault();
    if (roomId !== null && input.getClientRects().length > 0) {
      input.focus();
    } else {
      (document.querySelector('#room-list .room-open[tabindex="0"]') ?? byId('room-search')).focus();
    }
  });

  // ---- message log ----
  /**
   * Whether the log stays at its newest message when its content changes size by itself (a thumbnail's
   * bytes arrive, a reaction row appears): true at the bottom, false once the reader scrolls up. The
   * server keeps no image dimensions, so a thumbnail cannot reserve its box before it loads.
   */
  let pinned = true;
  /** Where the reader was (see captureAnchor), to keep them there when content above them changes size. */
  let lastAnchor = null;
  let anchorFrame = 0;
  log.addEventListener('scroll', () => {
    if (log.scrollTop < LOAD_OLDER_PX) onLoadOlder();
    // Scrolled up: a way back to the newest. At the bottom: what is there has been seen.
    pinned = isNearBottom();
    show(jump, !pinned);
    if (pinned) onReadToBottom();
    if (!anchorFrame) {
      anchorFrame = requestAnimationFrame(() => {
        anchorFrame = 0;
        lastAnchor = captureAnchor();
      });
    }
  }, { passive: true });
  // Content that grows or shrinks after it was placed: follow the bottom, or keep the reader's place.
  new ResizeObserver(() => {
    if (roomId === null || log.clientHeight === 0) return;
    if (pinned) scrollToBottom();
    else restoreAnchor(lastAnchor);
  }).observe(container);
  jump.addEventListener('click', () => {
    scrollToBottom();
    show(jump, false);
    input.focus();
  });
  historyStatus.addEventListener('click', (event) => {
    if (event.target.closest('.history-more')) onLoadOlder({ force: true });
  });
  container.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) {
      selectMessage(event);
      return;
    }
    const item = button.closest('.message');
    const { action } = button.dataset;
    const seq = Number(item?.dataset.seq);
    if (action === 'delete') onDeleteMessage(seq);
    else if (action === 'edit') startEditing(seq);
    else if (action === 'reply') startReplying(seq);
    else if (action === 'react') openPalette(seq, button);
    else if (action === 'toggle-reaction') onReact(seq, button.dataset.emoji, button.getAttribute('aria-pressed') !== 'true');
    else if (action === 'pin') onPin(seq, true);
    else if (action === 'unpin') onPin(seq, false);
    else if (action === 'quote') onJumpTo(Number(button.dataset.target));
    else if (action === 'edits') onShowEdits(seq);
    else if (action === 'retry') onRetry(item.dataset.clientMsgId);
    else if (action === 'discard') onDiscard(item.dataset.clientMsgId);
  });

  /** A tap on a message shows its actions (on touch screens nothing else does); a second tap hides them. */
  function selectMessage(event) {
    if (event.target.closest('a, img, video, .message-file')) return;
    const item = event.target.closest('.message[data-seq]');
    const wasSelected = item?.classList.contains('selected');
    container.querySelectorAll('.message.selected').forEach((el) => el.classList.remove('selected'));
    if (item && !wasSelected) item.classList.add('selected');
  }

  // ---- reactions palette ----
  palette.replaceChildren(...QUICK_REACTIONS.map((emoji) => h('button', {
    type: 'button', class: 'palette-emoji', dataset: { emoji }, 'aria-label': t('reactions.add', { emoji }), text: emoji,
  })));
  palette.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-emoji]');
    if (!button || paletteFor === null) return;
    const message = store.activeRoom?.messages.get(paletteFor);
    const mine = (message?.reactions || []).some((r) => r.emoji === button.dataset.emoji && r.mine);
    onReact(paletteFor, button.dataset.emoji, !mine);
    closePalette();
  });
  document.addEventListener('click', (event) => {
    if (paletteFor !== null && !palette.contains(event.target) && !event.target.closest('button[data-action="react"]')) closePalette();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && paletteFor !== null) closePalette();
  });

  function openPalette(seq, anchor) {
    paletteFor = seq;
    show(palette, true);
    const box = anchor.getBoundingClientRect();
    const width = palette.offsetWidth;
    palette.style.left = `${Math.max(8, Math.min(window.innerWidth - width - 8, box.right - width))}px`;
    palette.style.top = `${Math.max(8, box.top - palette.offsetHeight - 6)}px`;
    palette.querySelector('button')?.focus({ preventScroll: true });
  }

  function closePalette() {
    paletteFor = null;
    show(palette, false);
  }

  // ---- pins ----
  pinsButton.addEventListener('click', () => {
    const open = pinsPanel.hidden;
    show(pinsPanel, open);
    pinsButton.setAttribute('aria-expanded', String(open));
  });
  pinsPanel.addEventListener('click', (event) => {
    const item = event.target.closest('button[data-seq]');
    if (!item) return;
    show(pinsPanel, false);
    pinsButton.setAttribute('aria-expanded', 'false');
    onJumpTo(Number(item.dataset.seq));
  });

  function renderPins(state) {
    const pins = state.pins || [];
    show(pinsButton, pins.length > 0);
    pinsCount.textContent = String(pins.length);
    pinsButton.setAttribute('aria-label', t('pins.button', { count: pins.length }));
    if (!pins.length) show(pinsPanel, false);
    pinsPanel.replaceChildren(h('p', { class: 'pins-heading', text: t('pins.heading') }),
      ...pins.map((pin) => {
        const m = state.messages.get(pin.seq) ?? pin.message;
        return h('button', { type: 'button', class: 'pin-item', dataset: { seq: pin.seq } },
          h('span', { class: 'pin-author', text: m?.author?.name ?? '' }),
          h('span', { class: 'pin-text', text: excerpt(m) }));
      }));
  }

  function excerpt(message) {
    if (!message || message.deleted) return t('message.deleted');
    const text = message.text ?? '';
    return [...text].length > 80 ? `${[...text].slice(0, 80).join('')}…` : text;
  }

  // ---- composer ----
  const maxChars = () => store.limits.maxMessageChars;

  /** The composer's next send answers message `seq`; ends an edit, as one composer does one thing. */
  function startReplying(seq) {
    const message = store.activeRoom?.messages.get(seq);
    if (!message || message.deleted) return;
    stopEditing();
    replying = seq;
    replyText.textContent = t('chat.replyingTo', { name: message.author?.name ?? '', text: excerpt(message) });
    show(replyBar, true);
    input.focus();
  }

  function stopReplying() {
    replying = null;
    show(replyBar, false);
  }

  replyCancel.addEventListener('click', () => {
    stopReplying();
    input.focus();
  });

  /** Puts one of my messages into the composer; Enter saves it, Escape or Cancel gives the draft back. */
  function startEditing(seq) {
    const message = store.activeRoom?.messages.get(seq);
    if (!message || message.deleted || message.kind !== 'text' || !store.isMe(message.author?.id)) return;
    if (editing === null) draftBeforeEdit = input.value;
    stopReplying();
    editing = seq;
    input.value = message.text ?? '';
    form.classList.add('editing');
    show(editBar, true);
    updateComposer();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  function stopEditing() {
    if (editing === null) return;
    editing = null;
    input.value = draftBeforeEdit;
    draftBeforeEdit = '';
    form.classList.remove('editing');
    show(editBar, false);
    updateComposer();
  }

  /** My newest live text message in the room, for ArrowUp in an empty composer. */
  function myLastMessageSeq() {
    const state = store.activeRoom;
    if (!state) return null;
    const seqs = state.seqs;
    for (let i = seqs.length - 1; i >= 0; i--) {
      const m = state.messages.get(seqs[i]);
      if (store.isMe(m.author?.id) && !m.deleted && m.kind === 'text') return m.seq;
    }
    return null;
  }

  editCancel.addEventListener('click', () => {
    stopEditing();
    input.focus();
  });

  /** Ticks while a slow-mode countdown shows. */
  let composerTimer = null;

  /**
   * Why I cannot send in the open room now (a locked room, slow mode's wait, a rate limit's), or null;
   * from the room's settings and my role, as the server would answer (docs/MODERATION.md).
   */
  function sendBlock() {
    const state = roomId === null ? null : store.activeRoom;
    return state ? state.sendBlock(store.canModerate(state)) : null;
  }

  /** Whether `block` stops what the composer does now: slow mode holds new messages, not edits. */
  function holds(block) {
    return block !== null && (editing === null || block.reason !== 'slow');
  }

  function blockText(block) {
    if (block.reason === 'locked') return t('chat.lockedNotice');
    const seconds = Math.max(1, Math.ceil((block.until - Date.now()) / 1000));
    return t(block.reason === 'slow' ? 'chat.slowModeWait' : 'chat.rateLimitWait', { seconds });
  }

  function updateComposer() {
    const length = input.value.length;
    counter.textContent = `${length} / ${maxChars()}`;
    counter.classList.toggle('over', length > maxChars());
    counter.classList.toggle('near', length > maxChars() * 0.8);
    const state = roomId === null ? null : store.activeRoom;
    const block = sendBlock();
    const locked = block?.reason === 'locked';
    // Locked: nothing to write for now (an edit would be refused too). Slow mode: write the next one, send it later.
    if (locked && editing !== null) stopEditing();
    input.disabled = locked;
    attachButton.disabled = roomId === null || block !== null;
    send.disabled = roomId === null || holds(block) || input.value.trim() === '' || length > maxChars();
    form.classList.toggle('blocked', block !== null);
    // A muted user still reads: say why sending will not work rather than failing each message.
    const muted = state?.muted;
    const mutedNow = Boolean(muted) && (muted.until === null || muted.until > Date.now());
    form.classList.toggle('muted', mutedNow);
    input.placeholder = locked ? t('chat.composerLocked')
      : !mutedNow ? t('chat.composerPlaceholder') : muted.until === null ? t('chat.composerMuted')
        : t('chat.composerMutedUntil', { until: formatUntil(muted.until) });
    // The reason in words over the composer (and read with it: aria-describedby), counting down each second.
    const slowMode = state && !store.canModerate(state) ? state.settings.slowMode : 0;
    const text = block ? blockText(block) : slowMode > 0 ? t('chat.slowModeOn', { count: slowMode }) : '';
    if (status.textContent !== text) status.textContent = text;
    status.classList.toggle('info', !block);
    show(status, text !== '');
    clearTimeout(composerTimer);
    composerTimer = block?.until ? setTimeout(updateComposer, Math.min(1000, Math.max(50, (block.until - Date.now()) % 1000 || 1000))) : null;
  }

  input.addEventListener('input', () => {
    updateComposer();
    if (input.value.trim() !== '') onTyping();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && (editing !== null || replying !== null)) {
      event.preventDefault();
      stopEditing();
      stopReplying();
      return;
    }
    if (event.key === 'ArrowUp' && editing === null && input.value === '') {
      const seq = myLastMessageSeq();
      if (seq !== null) {
        event.preventDefault();
        startEditing(seq);
        return;
      }
    }
    // Enter sends, Shift+Enter is a new line; never interrupt an IME composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (roomId === null || text.trim() === '' || text.length > maxChars() || holds(sendBlock())) return;
    if (editing !== null) {
      const seq = editing;
      const before = store.activeRoom?.messages.get(seq)?.text;
      stopEditing();
      if (text !== before) onEditMessage(seq, text);
      input.focus();
      return;
    }
    input.value = '';
    updateComposer();
    const answers = replying;
    stopReplying();
    onSend(text, answers);
    input.focus();
  });

  // ---- rendering ----
  function isNearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
    pinned = true;
  }

  function messageEl(message, state, grouped = false) {
    const own = store.isMe(message.author?.id);
    const deleted = Boolean(message.deleted);
    const system = message.kind === 'system';
    const live = !deleted && !system;
    const moderator = store.canModerate(state);
    const action = (name, cls, label, iconName) => h('button', { type: 'button', class: cls, dataset: { action: name },
      'aria-label': label, title: label }, icon(iconName));
    const buttons = live ? [
      action('reply', 'message-reply', t('message.reply'), 'reply'),
      action('react', 'message-react', t('message.react'), 'smile'),
      moderator ? (message.pinned ? action('unpin', 'message-unpin', t('message.unpin'), 'pin')
        : action('pin', 'message-pin', t('message.pin'), 'pin')) : null,
      own && message.kind === 'text' ? action('edit', 'message-edit', t('message.editOwn'), 'pencil') : null,
      // Owners and admins may remove anyone's message; a separate class keeps .message-delete "own only".
      own ? action('delete', 'message-delete', t('message.deleteOwn'), 'trash')
        : moderator ? action('delete', 'message-delete-any', t('message.deleteOther', { name: message.author.name }), 'trash')
          : null,
    ].filter(Boolean) : [];
    const actions = buttons.length ? h('div', { class: 'message-actions' }, ...buttons) : null;
    return h('div', {
      class: ['message', grouped && 'grouped', own && 'own', deleted && 'deleted', system && 'system', message.kind === 'file' && 'file',
        store.activeRoom?.mentionsMe(message) && 'mention-me', message.pinned && 'pinned'],
      dataset: { seq: message.seq, authorId: message.author?.id },
    },
    h('span', { class: ['avatar', colorClass(message.author?.id)], 'aria-hidden': 'true', text: initials(message.author?.name) }),
    h('div', { class: 'message-body', title: grouped ? formatDateTime(message.createdAt) : null },
      h('div', { class: 'message-meta' },
        h('span', { class: 'message-author', text: message.author?.name ?? t('message.unknownAuthor') }),
        h('time', { class: 'message-time', datetime: isoTime(message.createdAt),
          title: formatDateTime(message.createdAt), text: formatTime(message.createdAt) }),
        message.editedAt && !deleted ? editedMark(message, moderator) : null,
        message.pinned ? h('span', { class: 'message-pinned', title: t('message.pinned') }, icon('pin')) : null),
      message.replyTo ? quoteEl(message, state) : null,
      deleted
        ? h('p', { class: 'message-text', text: t('message.deleted') })
        : (message.file && renderFile ? renderFile(message.room, message)
          : h('p', { class: 'message-text' }, textWithLinks(message.text ?? (message.kind === 'file' ? t('message.file') : '')))),
      !deleted && message.reactions?.length ? reactionsEl(message) : null),
    actions);
  }

  /** "(edited)"; for moderators a button that shows the earlier versions. */
  function editedMark(message, moderator) {
    const title = t('message.editedAt', { at: formatDateTime(message.editedAt) });
    return moderator
      ? h('button', { type: 'button', class: 'message-edited', dataset: { action: 'edits' }, title,
        'aria-label': t('edits.show'), text: t('message.edited') })
      : h('span', { class: 'message-edited', title, text: t('message.edited') });
  }

  /** The message a reply answers: from my own copy when I hold it (it stays current), else the preview sent with it. */
  function quoteEl(message, state) {
    const original = state.original(message);
    const author = original?.author?.name ?? message.replyTo.author?.name ?? '';
    const gone = original ? original.deleted : message.replyTo.deleted || message.replyTo.text === undefined;
    const text = gone ? t('message.deleted') : original ? excerpt(original) : message.replyTo.text;
    return h('button', { type: 'button', class: ['message-quote', gone && 'gone'], dataset: { action: 'quote', target: message.replyTo.seq },
      'aria-label': t('message.quoteLabel', { name: author }) },
    h('span', { class: 'quote-author', text: author }),
    h('span', { class: 'quote-text', text }));
  }

  function reactionsEl(message) {
    return h('div', { class: 'message-reactions' }, ...message.reactions.map((r) => h('button', {
      type: 'button', class: ['reaction', r.mine && 'mine'], dataset: { action: 'toggle-reaction', emoji: r.emoji },
      'aria-pressed': r.mine ? 'true' : 'false', 'aria-label': t('reactions.chip', { emoji: r.emoji, count: r.count }),
    }, h('span', { class: 'reaction-emoji', text: r.emoji }), h('span', { class: 'reaction-count', text: String(r.count) }))));
  }

  function textWithLinks(text) {
    return linkify(text).map((segment) => (segment.href
      ? h('a', { href: segment.href, target: '_blank', rel: 'noopener noreferrer nofollow', text: segment.text })
      : segment.text));
  }

  function pendingEl(pending) {
    const me = store.me;
    const status = {
      sending: t('message.sending'),
      waiting: t('message.waiting'),
      failed: t('message.failed', { reason: pending.error || t('message.failedUnknown') }),
    }[pending.status];
    return h('div', { class: ['message', 'own', 'pending', pending.status], dataset: { clientMsgId: pending.clientMsgId } },
      h('span', { class: ['avatar', colorClass(me?.id)], 'aria-hidden': 'true', text: initials(me?.name) }),
      h('div', { class: 'message-body' },
        h('div', { class: 'message-meta' },
          h('span', { class: 'message-author', text: me?.name ?? '' }),
          h('span', { class: 'message-status' }, pending.status === 'failed' ? icon('alert') : icon('clock'), status)),
        h('p', { class: 'message-text' }, textWithLinks(pending.text)),
        pending.status === 'failed'
          ? h('div', { class: 'pending-actions' },
            h('button', { type: 'button', class: 'btn btn-ghost btn-xs', dataset: { action: 'retry' } }, icon('retry'), t('message.retry')),
            h('button', { type: 'button', class: 'btn btn-ghost btn-xs', dataset: { action: 'discard' } }, t('message.discard')))
          : null));
  }

  /**
   * The log is one composite widget (docs/WEB-UI.md, "Keyboard"): messages are its items, one tab stop
   * among them (roving tabindex); the buttons and links inside a message are reached from it with Enter,
   * so Tab crosses the whole log in one step instead of stopping at every message's actions.
   */
  function entryEl(entry, state) {
    const el = buildEntry(entry, state);
    if (el.classList.contains('message')) {
      el.tabIndex = -1;
      el.setAttribute('role', 'article');
      for (const control of el.querySelectorAll('a, button, [tabindex]')) control.tabIndex = -1;
    }
    return el;
  }

  function buildEntry(entry, state) {
    switch (entry.kind) {
      case 'divider':
        return h('div', { class: 'new-divider', role: 'separator' }, h('span', { text: t('chat.newMessages') }));
      case 'day':
        return h('div', { class: 'day-separator', role: 'separator' }, h('span', { text: formatDay(entry.at) }));
      case 'notice':
        return h('p', { class: 'notice' }, noticeText(entry.notice.text),
          h('time', { class: 'notice-time', datetime: isoTime(entry.notice.at), text: formatTime(entry.notice.at) }));
      case 'pending':
        return pendingEl(entry.pending);
      default:
        return messageEl(entry.message, state, entry.grouped);
    }
  }

  function noticeText(text) {
    return typeof text === 'string' ? text : t(text.key, text.params);
  }

  /** Makes the log's children match the timeline, reusing unchanged elements. */
  function reconcile(state) {
    // A rebuilt element takes focus over from the one it replaces (an edit, a reaction, a re-translation).
    const focused = container.contains(document.activeElement) ? keyOf(document.activeElement.closest('.message')) : null;
    const focusedInside = focused !== null && !document.activeElement.classList.contains('message');
    const entries = state.timeline();
    const next = new Map();
    let cursor = container.firstElementChild;
    for (const entry of entries) {
      const known = rendered.get(entry.key);
      const el = known && known.version === entry.version ? known.el : entryEl(entry, state);
      next.set(entry.key, { el, version: entry.version });
      if (el === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        container.insertBefore(el, cursor);
      }
    }
    while (cursor) {
      const stale = cursor;
      cursor = cursor.nextElementSibling;
      stale.remove();
    }
    rendered = next;
    const again = focused !== null && !container.contains(document.activeElement) ? rendered.get(focused)?.el : null;
    if (again) {
      currentKey = focused;
      (focusedInside ? controlsOf(again)[0] ?? again : again).focus({ preventScroll: true });
    }
    updateTabStop();
  }

  // ---- the log as one composite widget: roving tabindex over the messages ----
  /** The key of the message that holds the log's tab stop; null: the newest. */
  let currentKey = null;

  function keyOf(el) {
    if (!el) return null;
    for (const [key, entry] of rendered) if (entry.el === el) return key;
    return null;
  }

  function items() {
    return [...container.querySelectorAll(':scope > .message')];
  }

  function controlsOf(item) {
    return [...item.querySelectorAll('a[href], button')].filter((c) => !c.disabled && c.getClientRects().length > 0);
  }

  /** One message is tabbable (the current one, else the newest); the log itself only while it has none. */
  function updateTabStop() {
    const all = items();
    let stop = currentKey !== null ? rendered.get(currentKey)?.el : null;
    if (!stop || !stop.isConnected) {
      currentKey = null;
      stop = all[all.length - 1] ?? null;
    }
    for (const item of all) item.tabIndex = item === stop ? 0 : -1;
    log.tabIndex = stop ? -1 : 0;
  }

  function focusItem(item) {
    if (!item) return;
    currentKey = keyOf(item);
    updateTabStop();
    item.focus();
    item.scrollIntoView({ block: 'nearest' });
  }

  container.addEventListener('focusin', (event) => {
    const item = event.target.closest('.message');
    if (item && container.contains(item)) {
      const key = keyOf(item);
      if (key !== null && key !== currentKey) {
        currentKey = key;
        updateTabStop();
      }
    }
  });

  container.addEventListener('keydown', (event) => {
    const item = event.target.closest('.message');
    if (!item || !container.contains(item) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target === item) {
      const all = items();
      const at = all.indexOf(item);
      const go = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: all.length - 1,
        PageUp: Math.max(0, at - 10), PageDown: Math.min(all.length - 1, at + 10) }[event.key];
      if (go !== undefined) {
        event.preventDefault();
        if (go < 0 && state0()?.hasMore) onLoadOlder({ force: true });
        focusItem(all[Math.max(0, Math.min(all.length - 1, go))]);
        return;
      }
      // Enter, the context-menu key or Shift+F10: into the message's own buttons and links.
      if (event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
        // Selected first: on a touch screen the actions show only on a selected message.
        const wasSelected = item.classList.contains('selected');
        item.classList.add('selected');
        const first = controlsOf(item)[0];
        if (first) {
          event.preventDefault();
          first.focus();
        } else if (!wasSelected) {
          item.classList.remove('selected');
        }
      }
      return;
    }
    // Inside a message: arrows move among its controls, Escape goes back to the message.
    const controls = controlsOf(item);
    const at = controls.indexOf(event.target);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      item.classList.remove('selected');
      item.focus();
    } else if (at >= 0 && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      event.preventDefault();
      controls[(at + (event.key === 'ArrowRight' ? 1 : controls.length - 1)) % controls.length].focus();
    }
  });

  container.addEventListener('focusout', (event) => {
    const item = event.target.closest('.message');
    if (item && !item.contains(event.relatedTarget)) item.classList.remove('selected');
  });

  function state0() {
    return roomId === null ? null : store.activeRoom;
  }

  /** The first message or notice in view; day separators move when older days arrive, so never them. */
  function captureAnchor() {
    const top = log.scrollTop;
    for (const [key, { el }] of rendered) {
      if (!key.startsWith('d:') && el.offsetTop + el.offsetHeight > top) return { key, offset: el.offsetTop - top };
    }
    return null;
  }

  function restoreAnchor(anchor) {
    const el = anchor && rendered.get(anchor.key)?.el;
    if (el) log.scrollTop = el.offsetTop - anchor.offset;
  }

  function renderHistoryStatus(state) {
    if (state.loadingOlder) {
      historyStatus.replaceChildren(t('chat.historyLoading'));
    } else if (state.hasMore) {
      historyStatus.replaceChildren(h('button', { type: 'button', class: 'btn btn-ghost btn-xs history-more', text: t('chat.historyMore') }));
    } else if (state.messages.size > 0) {
      historyStatus.replaceChildren(t('chat.historyBeginning', { room: state.room.name }));
    } else {
      historyStatus.replaceChildren(t('chat.historyEmpty'));
    }
  }

  function renderHeader(state) {
    title.textContent = state.room.name;
    const lock = state.room.hasPassword
      ? [h('span', { class: 'room-lock', role: 'img', 'aria-label': t('rooms.locked') }, icon('lock'))] : [];
    const { settings } = state;
    const flags = [
      settings.locked ? h('span', { class: 'room-flag room-flag-locked', text: t('chat.lockedFlag') }) : null,
      settings.slowMode > 0
        ? h('span', { class: 'room-flag room-flag-slow', text: t('chat.slowModeFlag', { count: settings.slowMode }) }) : null,
    ].filter(Boolean);
    meta.replaceChildren(...lock, roomCounts(state.room), ...flags);
    topic.textContent = settings.topic || '';
    show(topic, Boolean(settings.topic));
    show(deleteButton, store.canDeleteRoom(state));
    show(settingsButton, store.canModerate(state));
    renderPins(state);
  }

  function renderTyping(state) {
    typing.textContent = typingText(state.typingNames());
  }

  /**
   * Brings the log up to date. `mode`: `open` (jump to the newest), `own` (I sent: follow it),
   * `append` (follow only if the reader is at the bottom), `prepend`/`update` (keep the reader's place).
   */
  function sync(mode = 'update') {
    const state = store.activeRoom;
    if (!state) return;
    const nearBottom = isNearBottom();
    const anchor = mode === 'open' ? null : captureAnchor();
    if (mode === 'prepend') log.setAttribute('aria-busy', 'true');
    reconcile(state);
    renderHistoryStatus(state);
    if (mode === 'open' || mode === 'own' || (nearBottom && mode !== 'prepend')) {
      scrollToBottom();
      show(jump, false);
    } else {
      restoreAnchor(anchor);
      pinned = isNearBottom();
      if (mode === 'append') show(jump, true);
    }
    lastAnchor = captureAnchor();
    if (mode === 'prepend') requestAnimationFrame(() => log.removeAttribute('aria-busy'));
    updateComposer(); // a message of mine accepted starts slow mode's wait
    // A short history does not fill the pane, so no scroll would ever ask for more: ask now
    // (unless the pane is hidden, as on a phone's rooms screen, where every size reads 0).
    if (state.hasMore && log.clientHeight > 0 && log.scrollHeight <= log.clientHeight + LOAD_OLDER_PX) onLoadOlder();
  }

  return {
    /** Shows a room from scratch. */
    open(state, { focus = true } = {}) {
      const switched = roomId !== state.room.id;
      roomId = state.room.id;
      show(emptyPane, false);
      show(view, true);
      if (switched) {
        closeRoomMenu();
        currentKey = null;
        rendered = new Map();
        container.replaceChildren();
        stopEditing();
        stopReplying();
        closePalette();
        show(pinsPanel, false);
        input.value = '';
      }
      renderHeader(state);
      renderTyping(state);
      updateComposer();
      sync('open');
      if (focus) input.focus({ preventScroll: true });
    },

    /** Shows the "no room open" pane, optionally with a notice (e.g. why the room closed). */
    close(notice = null) {
      closeRoomMenu();
      stopEditing();
      stopReplying();
      closePalette();
      roomId = null;
      rendered = new Map();
      container.replaceChildren();
      show(view, false);
      show(emptyPane, true);
      closeNotice = notice;
      roomNotice.textContent = notice ?? t('chat.pickRoom');
      updateComposer();
    },

    sync,
    /** Rebuilds every text after a language switch, keeping the reader's place. */
    relocalize() {
      if (closeNotice === null) roomNotice.textContent = t('chat.pickRoom');
      const state = store.activeRoom;
      if (!state || roomId === null) return;
      for (const entry of rendered.values()) entry.version = null; // forces a rebuild of each
      renderHeader(state);
      renderTyping(state);
      updateComposer();
      // Rebuilt messages are not news: keep the log (aria-live) from reading them all out again.
      log.setAttribute('aria-busy', 'true');
      sync('update');
      requestAnimationFrame(() => log.removeAttribute('aria-busy'));
    },
    renderHeader() {
      if (store.activeRoom) renderHeader(store.activeRoom);
      updateComposer();
    },
    renderTyping() {
      if (store.activeRoom) renderTyping(store.activeRoom);
    },
    isAtBottom: isNearBottom,
    /** Brings message `seq` into view and flashes it; false when it is not on screen to scroll to. */
    scrollToMessage(seq) {
      const el = rendered.get(`m:${seq}`)?.el;
      if (!el) return false;
      el.scrollIntoView({ block: 'center' });
      el.classList.remove('flash');
      void el.offsetWidth; // restart the animation
      el.classList.add('flash');
      return true;
    },
    focusComposer() {
      if (roomId !== null) input.focus({ preventScroll: true });
    },
    /** Why I cannot send (or share a file) in the open room now, as words; null when I can. */
    sendBlockText() {
      const block = sendBlock();
      return block ? blockText(block) : null;
    },
  };
}
