// Desktop notifications for mentions (#notify-toggle, aria-pressed). Opt-in: the toggle asks for the
// Notification permission, and it is on only while that permission is granted. Which messages
// notify is decided in attention.js (hidden tab, someone else's message, "@my name").

import { shouldNotify } from '../attention.js';
import { byId } from '../dom.js';
import { t } from '../i18n.js';

const MAX_BODY_CHARS = 140;

export function createNotifier({ storage, getMe, onInfo, onOpenRoom, NotificationImpl = globalThis.Notification }) {
  const toggle = byId('notify-toggle');
  const supported = typeof NotificationImpl === 'function';
  let enabled = supported && storage.notify() && NotificationImpl.permission === 'granted';

  function render() {
    toggle.setAttribute('aria-pressed', String(enabled));
    toggle.title = t(enabled ? 'notify.onTitle' : 'notify.offTitle');
  }

  async function turnOn() {
    if (!supported) {
      onInfo(t('notify.unsupported'));
      return false;
    }
    let permission = NotificationImpl.permission;
    if (permission === 'default') permission = await NotificationImpl.requestPermission();
    if (permission !== 'granted') {
      onInfo(t('notify.denied'));
      return false;
    }
    onInfo(t('notify.enabled', { name: getMe()?.name ?? '' }));
    return true;
  }

  toggle.addEventListener('click', async () => {
    enabled = enabled ? false : await turnOn();
    storage.setNotify(enabled);
    render();
  });
  render();

  return {
    /** Called for every message push; shows a notification when it mentions me in a hidden tab. */
    message(message, roomName) {
      if (!shouldNotify({ message, me: getMe(), hidden: document.hidden, enabled })) return;
      if (NotificationImpl.permission !== 'granted') return;
      const text = message.text.length > MAX_BODY_CHARS ? `${message.text.slice(0, MAX_BODY_CHARS)}…` : message.text;
      try {
        const notification = new NotificationImpl(t('notify.title', { name: message.author.name, room: roomName }), {
          body: text, tag: `webtalk-${message.room}-${message.seq}`, icon: 'icons/icon-192.png', lang: document.documentElement.lang,
        });
        notification.addEventListener('click', () => {
          window.focus();
          onOpenRoom(message.room);
          notification.close();
        });
      } catch {
        // Some browsers only allow notifications from a service worker; mentions still count as unread.
      }
    },
    relocalize: render,
  };
}
