// Modal dialogs: the room password prompt (#password-dialog) and a generic confirmation
// (#confirm-dialog). Both use <dialog> with showModal(), which makes the page behind inert and
// closes on Escape; on top of that Tab cycles inside the dialog (instead of leaving for the browser's
// own controls) and closing returns focus to what had it before, even in browsers that do not.

import { auditIds, auditSentence } from '../audit.js';
import { byId, h, show } from '../dom.js';
import { describeError } from '../errors.js';
import { formatDateTime, isoTime } from '../format.js';
import { onLanguageChange, t } from '../i18n.js';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), '
  + 'textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** Opens `dialog` modally, keeps Tab inside it and gives focus back on close. */
function openModal(dialog) {
  if (dialog.open) return;
  const opener = document.activeElement;
  dialog.showModal();
  dialog.addEventListener('close', () => {
    // The browser may already have moved focus back; do it when it has not (focus left on <body>).
    if (opener instanceof HTMLElement && opener.isConnected
      && (document.activeElement === document.body || dialog.contains(document.activeElement))) {
      opener.focus();
    }
  }, { once: true });
}

function trapTab(dialog) {
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => !el.hidden && el.getClientRects().length > 0);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}

export function createPasswordDialog() {
  const dialog = byId('password-dialog');
  const form = byId('password-form');
  const desc = byId('password-desc');
  const input = byId('password-input');
  const submit = byId('password-submit');
  const error = byId('password-error');
  let attempt = null;
  let onJoined = null;

  function setError(text) {
    error.textContent = text || '';
    show(error, Boolean(text));
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  trapTab(dialog);
  input.addEventListener('input', () => setError(''));
  byId('password-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    attempt = null;
    onJoined = null;
    input.value = '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!attempt) return;
    if (input.value === '') {
      setError(t('password.empty'));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await attempt(input.value);
      const then = onJoined;
      dialog.close(); // gives focus back to the opener, so move it on only afterwards
      then?.();
    } catch (e) {
      // Wrong passwords stay in the dialog; anything else is not the user's typing to fix.
      setError(e.code === 'wrong_password' ? t('password.wrong') : describeError(e));
      input.select();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    /**
     * Asks for the password of `roomName`; `tryJoin(password)` rejects to keep the dialog open.
     * `joined` runs once the dialog has closed after a success.
     */
    open(roomName, tryJoin, joined = null) {
      attempt = tryJoin;
      onJoined = joined;
      desc.textContent = t('password.desc', { room: roomName });
      setError('');
      input.value = '';
      openModal(dialog);
      input.focus();
    },
  };
}

/** The earlier texts of an edited message, for the room's moderators (`message_edits`). */
/**
 * The image lightbox (#lightbox): an image at full size with its name, Download and Close. Escape,
 * Close or a click outside the image close it; focus goes back to the thumbnail that opened it.
 */
export function createLightbox() {
  const dialog = byId('lightbox');
  const image = byId('lightbox-image');
  const title = byId('lightbox-title');
  let download = null;
  trapTab(dialog);
  byId('lightbox-close').addEventListener('click', () => dialog.close());
  byId('lightbox-download').addEventListener('click', () => download?.());
  // A click on the backdrop (the dialog box itself, outside the bar and the image) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    image.removeAttribute('src');
    download = null;
  });
  return {
    /** Shows the image at `src` (a blob: URL) named `name`; `onDownload` saves the file. */
    open({ src, name, onDownload }) {
      title.textContent = name;
      image.alt = name;
      image.src = src;
      download = onDownload;
      openModal(dialog);
      byId('lightbox-close').focus();
    },
  };
}

export function createEditsDialog() {
  const dialog = byId('edits-dialog');
  const list = byId('edits-list');
  trapTab(dialog);
  return {
    show(edits, current) {
      list.replaceChildren(
        ...edits.map((e) => h('li', { class: 'edit-entry' },
          h('p', { class: 'edit-text', text: e.text }),
          h('time', { class: 'edit-time muted', datetime: isoTime(e.replacedAt),
            text: t('edits.replacedAt', { at: formatDateTime(e.replacedAt) }) }))),
        h('li', { class: 'edit-entry current' },
          h('p', { class: 'edit-text', text: current ?? '' }),
          h('span', { class: 'edit-time muted', text: t('edits.current') })));
      openModal(dialog);
      byId('edits-close').focus();
    },
  };
}

export function createConfirmDialog() {
  const dialog = byId('confirm-dialog');
  const form = byId('confirm-form');
  const title = byId('confirm-title');
  const text = byId('confirm-text');
  const ok = byId('confirm-ok');
  let settle = null;

  trapTab(dialog);
  byId('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    dialog.close('ok');
  });
  dialog.addEventListener('close', () => {
    settle?.(dialog.returnValue === 'ok');
    settle = null;
  });

  return {
    /** Resolves true when the user confirms. */
    ask({ title: heading, text: body, confirmLabel = t('dialog.delete') }) {
      title.textContent = heading;
      text.textContent = body;
      ok.textContent = confirmLabel;
      dialog.returnValue = '';
      settle?.(false); // a question asked again replaces the unanswered one
      openModal(dialog);
      ok.focus();
      return new Promise((resolve) => { settle = resolve; });
    },
  };
}

/**
 * The room settings dialog (#room-settings-dialog) for moderators, owners and admins: topic, slow mode
 * and lock, saved with one `set_room` request. Its "Activity log" button closes it and calls `onShowLog`.
 */
export function createRoomSettingsDialog({ onShowLog = null } = {}) {
  const dialog = byId('room-settings-dialog');
  const form = byId('room-settings-form');
  const topic = byId('room-settings-topic');
  const slowMode = byId('room-settings-slow-mode');
  const locked = byId('room-settings-locked');
  const save = byId('room-settings-save');
  const error = byId('room-settings-error');
  let onSave = null;

  function setError(text) {
    error.textContent = text || '';
    show(error, Boolean(text));
  }

  trapTab(dialog);
  byId('room-settings-cancel').addEventListener('click', () => dialog.close());
  byId('room-settings-log').addEventListener('click', () => {
    dialog.close();
    onShowLog?.();
  });
  dialog.addEventListener('close', () => {
    onSave = null;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!onSave) return;
    const seconds = Number(slowMode.value || 0);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
      setError(t('roomSettings.slowModeInvalid'));
      slowMode.focus();
      return;
    }
    save.disabled = true;
    try {
      await onSave({ topic: topic.value.trim(), slowMode: seconds, locked: locked.checked });
      dialog.close();
    } catch (e) {
      setError(describeError(e));
    } finally {
      save.disabled = false;
    }
  });

  return {
    /** Shows `settings`; `save(fields)` sends them and rejects to keep the dialog open with the error. */
    open(settings, saveSettings) {
      onSave = saveSettings;
      topic.value = settings.topic || '';
      slowMode.value = String(settings.slowMode || 0);
      locked.checked = Boolean(settings.locked);
      setError('');
      openModal(dialog);
      topic.focus();
    },
  };
}

/**
 * The room's moderation audit log (#audit-dialog), for its moderators, owner and admins: newest first,
 * one page at a time ("Load older"). Sentences come from audit.js and reach the page as text only.
 */
export function createAuditDialog() {
  const dialog = byId('audit-dialog');
  const roomLine = byId('audit-room');
  const list = byId('audit-list');
  const empty = byId('audit-empty');
  const error = byId('audit-error');
  const more = byId('audit-more');
  let entries = [];
  let hasMore = false;
  let loadPage = null;
  let nameOf = () => undefined;
  /** Names of the actors seen in the log, for targets who have since left the member list. */
  const actorNames = new Map();
  let generation = 0; // a page that arrives after the dialog was closed or reopened is dropped

  function setError(text) {
    error.textContent = text || '';
    show(error, Boolean(text));
  }

  function item(entry) {
    const names = (id) => nameOf(id) || actorNames.get(id);
    return h('li', { class: 'audit-entry', dataset: { action: entry.action, id: entry.id } },
      h('time', { class: 'audit-time', datetime: isoTime(entry.at), text: formatDateTime(entry.at) }),
      h('span', { class: 'audit-text', title: auditIds(entry, names), text: auditSentence(entry, names) }));
  }

  function render() {
    list.replaceChildren(...entries.map(item));
    show(empty, entries.length === 0 && !hasMore && loadPage !== null && !error.textContent);
    show(more, hasMore);
  }

  async function load() {
    if (!loadPage) return;
    const mine = generation;
    const before = entries.length > 0 ? entries[entries.length - 1].id : null;
    more.disabled = true;
    setError('');
    try {
      const page = await loadPage(before);
      if (mine !== generation) return;
      const known = new Set(entries.map((e) => e.id));
      for (const e of page.entries || []) if (e.actor?.name) actorNames.set(e.actor.id, e.actor.name);
      entries = entries.concat((page.entries || []).filter((e) => !known.has(e.id)));
      hasMore = Boolean(page.hasMore) && (page.entries || []).length > 0;
      // Appending keeps what the reader is looking at in place; only new items are added.
      list.append(...entries.slice(list.children.length).map(item));
      show(empty, entries.length === 0 && !hasMore);
      show(more, hasMore);
    } catch (e) {
      if (mine === generation) setError(describeError(e));
    } finally {
      if (mine === generation) more.disabled = false;
    }
  }

  trapTab(dialog);
  more.addEventListener('click', () => load());
  byId('audit-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    generation += 1;
    loadPage = null;
  });
  onLanguageChange(() => {
    if (dialog.open) render();
  });

  return {
    /**
     * Shows the log of `roomName`: `fetchPage(before)` resolves to `{entries, hasMore}` (before: the
     * oldest entry id shown, or null for the newest page); `names(id)` names users known by id only.
     */
    open(roomName, fetchPage, names = () => undefined) {
      generation += 1;
      loadPage = fetchPage;
      nameOf = names;
      entries = [];
      hasMore = false;
      actorNames.clear();
      roomLine.textContent = roomName;
      list.replaceChildren();
      show(empty, false);
      show(more, false);
      setError('');
      openModal(dialog);
      byId('audit-close').focus();
      return load();
    },
  };
}
