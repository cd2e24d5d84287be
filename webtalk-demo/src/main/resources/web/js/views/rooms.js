// The rooms panel: search filter, the list (.room-item[data-room-id], .room-lock when protected)
// and the create-room form. The list is one tab stop (roving tabindex): arrow keys, Home and End
// move between rooms, Enter or Space opens one.

import { byId, h, icon, show } from '../dom.js';
import { colorClass, formatUntil, roomCounts } from '../format.js';
import { describeError } from '../errors.js';
import { t } from '../i18n.js';

export function createRoomsView({ store, onOpen, onCreate, onRefresh, onFilter }) {
  const list = byId('room-list');
  const empty = byId('room-list-empty');
  const search = byId('room-search');
  const form = byId('create-room-form');
  const nameInput = byId('create-room-name');
  const passwordInput = byId('create-room-password');
  const submit = byId('create-room-submit');
  const formError = byId('create-room-error');

  search.addEventListener('input', () => onFilter(search.value));
  byId('refresh-rooms').addEventListener('click', onRefresh);

  list.addEventListener('click', (event) => {
    const item = event.target.closest('.room-item');
    if (item && list.contains(item)) onOpen(item.dataset.roomId);
  });

  // ---- keyboard: roving tabindex over the room buttons ----
  /** The room whose button is the list's tab stop. */
  let tabStopId = null;
  const buttons = () => [...list.querySelectorAll('.room-open')];

  function setTabStop(target) {
    for (const button of buttons()) button.tabIndex = button === target ? 0 : -1;
    tabStopId = target?.closest('.room-item')?.dataset.roomId ?? null;
  }

  list.addEventListener('focusin', (event) => {
    if (event.target.classList.contains('room-open')) setTabStop(event.target);
  });
  list.addEventListener('keydown', (event) => {
    const all = buttons();
    const index = all.indexOf(document.activeElement);
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const next = {
      ArrowDown: Math.min(index + 1, all.length - 1),
      ArrowUp: Math.max(index - 1, 0),
      Home: 0,
      End: all.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setTabStop(all[next]);
    all[next].focus();
  });

  function setFormError(text) {
    formError.textContent = text || '';
    show(formError, Boolean(text));
  }

  nameInput.addEventListener('input', () => setFormError(''));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    const password = passwordInput.value;
    const max = store.limits.maxRoomNameChars;
    if (!name) {
      setFormError(t('rooms.errorNoName'));
      nameInput.focus();
      return;
    }
    if ([...name].length > max) {
      setFormError(t('form.tooLong', { max }));
      nameInput.focus();
      return;
    }
    submit.disabled = true;
    try {
      await onCreate({ name, password: password === '' ? undefined : password });
      form.reset();
      setFormError('');
    } catch (e) {
      setFormError(describeError(e));
    } finally {
      submit.disabled = false;
    }
  });

  /** "Banned until 1:05 PM" / "Banned" / "You were removed · you can join again", for a room I was put out of. */
  function barredLine(barred) {
    if (!barred) return null;
    const text = barred.reason === 'kick' ? t('rooms.kicked')
      : barred.until === null ? t('rooms.bannedForGood') : t('rooms.bannedUntil', { until: formatUntil(barred.until) });
    return h('span', { class: ['room-barred', `room-barred-${barred.reason}`], text });
  }

  /** "by Ana" (or "by you"), from the list's `ownerName`; null when the server did not name the owner. */
  function ownerText(room) {
    if (store.isMe(room.ownerId)) return t('rooms.ownerYou');
    return room.ownerName ? t('rooms.owner', { name: room.ownerName }) : null;
  }

  function item(room, sameName) {
    const joined = store.joined.get(room.id);
    const owner = ownerText(room);
    // Hovering names the owner and the id; rooms sharing a name say whose they are in the list too.
    const tooltip = [room.name, owner, `#${room.id}`].filter(Boolean).join(' · ');
    const active = store.activeRoomId === room.id;
    const unread = joined && !active ? joined.unread : 0;
    const mentioned = joined && !active ? joined.mentionCount : 0;
    return h('li', { class: ['room-item', active && 'active', joined && 'joined'], dataset: { roomId: room.id } },
      h('button', { type: 'button', class: 'room-open', tabindex: '-1', 'aria-current': active ? 'true' : false, title: tooltip },
        h('span', { class: ['room-avatar', colorClass(room.id)], 'aria-hidden': 'true', text: '#' }),
        h('span', { class: 'room-main' },
          h('span', { class: 'room-name-line' },
            h('span', { class: 'room-name', text: room.name }),
            room.hasPassword
              ? h('span', { class: 'room-lock', role: 'img', 'aria-label': t('rooms.locked'), title: t('rooms.locked') },
                icon('lock'))
              : null,
            joined ? h('span', { class: 'room-joined', role: 'img', 'aria-label': t('rooms.joined'), title: t('rooms.joined') })
              : null),
          sameName ? h('span', { class: 'room-owner', text: owner ?? `#${room.id}` }) : null,
          h('span', { class: 'room-counts', text: roomCounts(room) }),
          barredLine(store.barredState(room.id))),
        mentioned > 0
          ? h('span', { class: 'room-mentions', 'aria-label': t('rooms.mentions', { count: mentioned }), text: `@${mentioned > 99 ? '99+' : mentioned}` })
          : null,
        unread > 0
          ? h('span', { class: 'room-unread', 'aria-label': t('rooms.unread', { count: unread }), text: unread > 99 ? '99+' : String(unread) })
          : null));
  }

  let lastRendered = null;

  return {
    /** Re-renders when something shown changed (or, after a language switch, when `force`). */
    render({ force = false } = {}) {
      const signature = JSON.stringify([store.filter, store.activeRoomId, store.rooms.size, store.visibleRooms().map((r) => [
        r.id, r.name, r.ownerName, r.hasPassword, r.members, r.online, store.joined.get(r.id)?.unread ?? -1,
        store.joined.get(r.id)?.mentionCount ?? -1, JSON.stringify(store.barredState(r.id))])]);
      if (signature === lastRendered && !force) return;
      lastRendered = signature;
      const focusedId = list.contains(document.activeElement)
        ? document.activeElement.closest('.room-item')?.dataset.roomId : null;
      const rooms = store.visibleRooms();
      const names = new Map();
      for (const r of store.rooms.values()) {
        const key = r.name.toLocaleLowerCase();
        names.set(key, (names.get(key) || 0) + 1);
      }
      list.replaceChildren(...rooms.map((r) => item(r, names.get(r.name.toLocaleLowerCase()) > 1)));
      if (store.rooms.size === 0) {
        empty.textContent = t('rooms.none');
      } else if (rooms.length === 0) {
        empty.textContent = t('rooms.noMatch', { filter: store.filter.trim() });
      }
      show(empty, rooms.length === 0);
      // The tab stop is the open room, else the one last focused, else the first; a room that has
      // focus keeps it (and with it the tab stop).
      const byRoom = (id) => (id ? list.querySelector(`.room-item[data-room-id="${CSS.escape(id)}"] .room-open`) : null);
      setTabStop(byRoom(store.activeRoomId) || byRoom(tabStopId) || list.querySelector('.room-open'));
      if (focusedId) byRoom(focusedId)?.focus();
    },
  };
}
