// The top bar: connection state (#connection-state[data-state]) and who I am.

import { byId } from '../dom.js';
import { colorClass, initials } from '../format.js';
import { t } from '../i18n.js';

export function createStatusBar({ onSignOut }) {
  const pill = byId('connection-state');
  const label = byId('connection-label');
  const avatar = byId('me-avatar');
  const name = byId('me-name');
  byId('sign-out').addEventListener('click', onSignOut);
  let last = { state: 'reconnecting', everConnected: false, delayMs: 0 };

  /** `detail` is the socket's `state` event. */
  function setConnection(detail) {
    last = detail;
    const { state, everConnected, delayMs } = detail;
    pill.dataset.state = state;
    if (state === 'connected') {
      label.textContent = t('status.connected');
    } else if (state === 'offline') {
      label.textContent = t('status.offline');
    } else if (!everConnected && !delayMs) {
      label.textContent = t('status.connecting');
    } else {
      label.textContent = delayMs >= 2000
        ? t('status.reconnectingIn', { seconds: Math.round(delayMs / 1000) }) : t('status.reconnecting');
    }
    pill.title = t(state === 'connected' ? 'status.liveTitle' : 'status.queuedTitle');
  }
  setConnection(last);

  return {
    setConnection,
    relocalize: () => setConnection(last),

    setMe(user) {
      name.textContent = user.name;
      avatar.textContent = initials(user.name);
      avatar.className = `avatar avatar-sm ${colorClass(user.id)}`;
    },
  };
}
