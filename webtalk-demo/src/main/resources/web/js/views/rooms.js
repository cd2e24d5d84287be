// The rooms panel: search filter, the list (.room-item[data-room-id], .room-lock when protected)
// and the create-room form.

import { byId, h, icon, show } from '../dom.js';
import { colorClass, roomCounts } from '../format.js';
import { describeError } from '../errors.js';

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
      setFormError('Give the room a name.');
      nameInput.focus();
      return;
    }
    if ([...name].length > max) {
      setFormError(`Use at most ${max} characters.`);
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

  function item(room) {
    const joined = store.joined.get(room.id);
    const active = store.activeRoomId === room.id;
    const unread = joined && !active ? joined.unread : 0;
    return h('li', { class: ['room-item', active && 'active', joined && 'joined'], dataset: { roomId: room.id } },
      h('button', { type: 'button', class: 'room-open', 'aria-current': active ? 'true' : false },
        h('span', { class: ['room-avatar', colorClass(room.id)], 'aria-hidden': 'true', text: '#' }),
        h('span', { class: 'room-main' },
          h('span', { class: 'room-name-line' },
            h('span', { class: 'room-name', text: room.name }),
            room.hasPassword
              ? h('span', { class: 'room-lock', role: 'img', 'aria-label': 'Password protected', title: 'Password protected' },
                icon('lock'))
              : null,
            joined ? h('span', { class: 'room-joined', role: 'img', 'aria-label': 'Joined', title: 'Joined' }) : null),
          h('span', { class: 'room-counts', text: roomCounts(room) })),
        unread > 0
          ? h('span', { class: 'room-unread', 'aria-label': `${unread} unread`, text: unread > 99 ? '99+' : String(unread) })
          : null));
  }

  let lastRendered = null;

  return {
    render() {
      const signature = JSON.stringify([store.filter, store.activeRoomId, store.rooms.size, store.visibleRooms().map((r) => [
        r.id, r.name, r.hasPassword, r.members, r.online, store.joined.get(r.id)?.unread ?? -1])]);
      if (signature === lastRendered) return;
      lastRendered = signature;
      const focusedId = list.contains(document.activeElement)
        ? document.activeElement.closest('.room-item')?.dataset.roomId : null;
      const rooms = store.visibleRooms();
      list.replaceChildren(...rooms.map(item));
      if (store.rooms.size === 0) {
        empty.textContent = 'No rooms yet. Create the first one below.';
      } else if (rooms.length === 0) {
        empty.textContent = `No rooms match “${store.filter.trim()}”.`;
      }
      show(empty, rooms.length === 0);
      if (focusedId) list.querySelector(`.room-item[data-room-id="${CSS.escape(focusedId)}"] .room-open`)?.focus();
    },
  };
}
