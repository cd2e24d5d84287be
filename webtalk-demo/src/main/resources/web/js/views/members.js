// The member list (#member-list .member[data-user-id], .online when present) and, on narrow
// screens, the drawer that holds it.

import { byId, h, show } from '../dom.js';
import { colorClass, initials } from '../format.js';
import { t } from '../i18n.js';

export function createMembersView({ store }) {
  const app = byId('app');
  const list = byId('member-list');
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

  function item(member) {
    const me = store.isMe(member.id);
    return h('li', { class: ['member', member.online && 'online'], dataset: { userId: member.id } },
      h('span', { class: ['avatar', 'avatar-sm', colorClass(member.id)], 'aria-hidden': 'true', text: initials(member.name) },
        h('span', { class: 'presence-dot' })),
      h('span', { class: 'member-name', text: member.name }),
      me ? h('span', { class: 'member-you', text: t('members.you') }) : null,
      member.role === 'owner' || member.role === 'moderator'
        ? h('span', { class: 'role-badge', text: t(`members.role.${member.role}`) }) : null,
      h('span', { class: 'sr-only', text: t(member.online ? 'members.online' : 'members.offline') }));
  }

  return {
    render() {
      toggle.setAttribute('aria-label', t(app.dataset.members === 'open' ? 'members.hide' : 'members.show'));
      const state = store.activeRoom;
      if (!state) {
        list.replaceChildren();
        count.textContent = '';
        show(empty, true);
        return;
      }
      const members = state.sortedMembers();
      const online = members.filter((m) => m.online).length;
      list.replaceChildren(...members.map(item));
      count.textContent = `${online}/${members.length}`;
      count.title = t('members.countTitle', { online, count: members.length });
      show(empty, false);
    },
    close: () => setOpen(false),
  };
}
