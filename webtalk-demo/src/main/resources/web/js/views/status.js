// The top bar: connection state (#connection-state[data-state]) and who I am; and the connection banner
// (#connection-banner) with a live countdown to the next attempt and "Retry now" while the connection is down.

import { byId, show } from '../dom.js';
import { colorClass, initials } from '../format.js';
import { t } from '../i18n.js';

const TICK_MS = 250;

export function createStatusBar({ onSignOut, onRetry = () => {}, now = () => Date.now() }) {
  const pill = byId('connection-state');
  const label = byId('connection-label');
  const avatar = byId('me-avatar');
  const name = byId('me-name');
  const banner = byId('connection-banner');
  const bannerText = byId('connection-banner-text');
  const retry = byId('connection-retry');
  byId('sign-out').addEventListener('click', onSignOut);
  retry.addEventListener('click', () => onRetry());
  let last = { state: 'reconnecting', everConnected: false, delayMs: 0 };
  /** When the next attempt starts (epoch ms), or null while one is under way. */
  let retryAt = null;
  let ticker = null;

  /** `detail` is the socket's `state` event. */
  function setConnection(detail) {
    const fresh = detail !== last;
    last = detail;
    const { state, everConnected, delayMs, attempt = 0 } = detail;
    if (fresh) retryAt = delayMs > 0 ? now() + delayMs : null;
    pill.dataset.state = state;
    if (state === 'connected') {
      label.textContent = t('status.connected');
    } else if (state === 'offline') {
      label.textContent = t('status.offline');
    } else if (!everConnected && !delayMs) {
      label.textContent = t('status.connecting');
    } else {
      label.textContent = t('status.reconnecting'); // the banner counts down; a live region should not
    }
    pill.title = t(state === 'connected' ? 'status.liveTitle' : 'status.queuedTitle');
    // The first attempt of a page load goes by unseen; a lost connection, or a first attempt that failed, shows.
    const down = state !== 'connected' && (everConnected || attempt > 0 || delayMs > 0);
    show(banner, down);
    banner.dataset.state = state;
    renderBanner();
    clearInterval(ticker);
    ticker = down && retryAt !== null ? setInterval(renderBanner, TICK_MS) : null;
  }

  function renderBanner() {
    if (banner.hidden) return;
    const lead = t(last.state === 'offline' ? 'status.bannerOffline' : 'status.bannerLost');
    const left = retryAt === null ? 0 : retryAt - now();
    const next = left >= 500 ? t('status.reconnectingIn', { seconds: Math.ceil(left / 1000) }) : t('status.reconnecting');
    const text = last.state === 'offline' ? lead : `${lead} ${next}`;
    if (bannerText.textContent !== text) bannerText.textContent = text;
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
