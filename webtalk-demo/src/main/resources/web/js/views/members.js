// The member list (#member-list .member[data-user-id], .online when present) and, on narrow
// screens, the drawer that holds it.

import { byId, h, show } from '../dom.js';
import { colorClass, formatDateTime, formatUntil, initials } from '../format.js';
import { t } from '../i18n.js';

// Moderation choices offered on a member: [label key, request type, duration in seconds or null].
const ACTIONS = [
  ['moderate.kick', 'kick', null],
  ['moderate.mute10m', 'mute', 600],
  ['moderate.unmute', 'unmute', null],
  ['moderate.ban10m', 'ban', 600],
  ['moderate.ban1d', 'ban', 86400],
  ['moderate.banForever', 'ban', null],
];

export function createMembersView({ store, onModerate = () => {}, onMore = () => {} }) {
  const app = byId('app');
  const list = byId('member-list');
  const more = byId('member-list-more');
  const count = byId('member-count');
  const empty = byId('member-list-empty');
  const toggle = byId('toggle-members');
  const backdrop = byId('drawer-backdrop');

  function setOpen(open) {
    app.dataset.members = open ? 'open' : 'closed';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', t(open ? 'members.hide' : 'members.show'));
    show(backdrop, open);
    if (open) byId('close-members').focus();
  }

  // A big room's join lists only its first members; the rest come a page at a time.
  more.addEventListener('click', () => onMore());

  toggle.setAttribute('aria-label', t('members.show'));
  toggle.addEventListener('click', () => setOpen(app.dataset.members !== 'open'));
  byId('close-members').addEventListener('click', () => { setOpen(false); toggle.focus(); });
  backdrop.addEventListener('click', () => setOpen(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && app.dataset.members === 'open') {
      setOpen(false);
      toggle.focus();
    }
  });

  // A row: the name on a line of its own (it wraps rather than being cut), and under it what else there is
  // to say — the role, "(you)", a mute this tab saw, with a short time.
  function item(member) {
    const me = store.isMe(member.id);
    const mutedUntil = store.activeRoom?.mutedUntil(member.id);
    const sub = [
      member.role === 'owner' || member.role === 'moderator'
        ? h('span', { class: 'role-badge', text: t(`members.role.${member.role}`) }) : null,
      me ? h('span', { class: 'member-you', text: t('members.you') }) : null,
      mutedUntil !== undefined ? h('span', { class: 'member-muted', title: mutedUntil === null ? '' : formatDateTime(mutedUntil),
        text: mutedUntil === null ? t('members.muted') : t('members.mutedUntil', { until: formatUntil(mutedUntil) }) }) : null,
    ].filter(Boolean);
    return h('li', { class: ['member', member.online && 'online', mutedUntil !== undefined && 'muted'], dataset: { userId: member.id } },
      h('span', { class: ['avatar', 'avatar-sm', colorClass(member.id)], 'aria-hidden': 'true', text: initials(member.name) },
        h('span', { class: 'presence-dot' })),
      h('span', { class: 'member-main' },
        h('span', { class: 'member-name', text: member.name }),
        sub.length ? h('span', { class: 'member-sub' }, ...sub) : null),
      h('span', { class: 'sr-only', text: t(member.online ? 'members.online' : 'members.offline') }),
      moderation(member));
  }

  // A <details> menu: no script needed to open it, keyboard-accessible, and closed again after a choice.
  function moderation(member) {
    const state = store.activeRoom;
    if (!state || !store.canActOn(state, member)) return null;
    const buttons = ACTIONS.map(([key, type, duration]) => h('button', {
      type: 'button',
      class: ['member-action', `member-${type}`],
      dataset: { action: type, duration: duration === null ? '' : String(duration) },
      text: t(key),
    }));
    if (store.canSetRole(state, member)) {
      const promote = member.role !== 'moderator';
      buttons.push(h('button', {
        type: 'button', class: ['member-action', 'member-role'],
        dataset: { action: 'set_role', role: promote ? 'moderator' : 'member' },
        text: t(promote ? 'moderate.makeModerator' : 'moderate.removeModerator'),
      }));
    }
    const menu = h('details', { class: 'member-actions' },
      h('summary', { class: 'member-actions-toggle', 'aria-label': t('moderate.menuLabel', { name: member.name }), text: '⋯' }),
      h('div', { class: 'member-actions-menu', role: 'group', 'aria-label': t('moderate.menuLabel', { name: member.name }) }, ...buttons));
    menu.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      menu.open = false;
      onModerate(member, {
        type: button.dataset.action,
        duration: button.dataset.duration ? Number(button.dataset.duration) : null,
        role: button.dataset.role || null,
      });
    });
    return menu;
  }

  return {
    render() {
      toggle.setAttribute('aria-label', t(app.dataset.members === 'open' ? 'members.hide' : 'members.show'));
      const state = store.activeRoom;
      if (!state) {
        list.replaceChildren();
        count.textContent = '';
        show(empty, true);
        show(more, false);
        return;
      }
      const members = state.sortedMembers();
      // The room's counts, not the rows held: a big room's list is paged.
      const online = Math.max(state.room?.online ?? 0, members.filter((m) => m.online).length);
      const total = Math.max(state.room?.members ?? 0, members.length);
      list.replaceChildren(...members.map(item));
      count.textContent = `${online}/${total}`;
      count.title = t('members.countTitle', { online, count: total });
      show(empty, false);
      show(more, Boolean(state.membersNext));
    },
    close: () => setOpen(false),
  };
}
