// The top bar: connection state (#connection-state[data-state]) and who I am.

import { byId } from '../dom.js';
import { colorClass, initials } from '../format.js';

export function createStatusBar({ onSignOut }) {
  const pill = byId('connection-state');
  const label = byId('connection-label');
  const avatar = byId('me-avatar');
  const name = byId('me-name');
  byId('sign-out').addEventListener('click', onSignOut);

  return {
    /** `detail` is the socket's `state` event. */
    setConnection({ state, everConnected, delayMs }) {
      pill.dataset.state = state;
      if (state === 'connected') {
        label.textContent = 'Connected';
      } else if (state === 'offline') {
        label.textContent = 'Offline';
      } else if (!everConnected && !delayMs) {
        label.textContent = 'Connecting…';
      } else {
        label.textContent = delayMs >= 2000 ? `Reconnecting in ${Math.round(delayMs / 1000)} s…` : 'Reconnecting…';
      }
      pill.title = state === 'connected' ? 'Live updates are on' : 'Messages you write now are sent when the connection is back';
    },

    setMe(user) {
      name.textContent = user.name;
      avatar.textContent = initials(user.name);
      avatar.className = `avatar avatar-sm ${colorClass(user.id)}`;
    },
  };
}
