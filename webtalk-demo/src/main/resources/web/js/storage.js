// What survives a reload, in localStorage: the guest token and user, the rooms this browser joined
// (rejoined without a password, as members need none), the room that was open, and the language and
// notification preferences. Storage can be unavailable (private modes, quotas): then the app still
// works, it just forgets on reload.

const KEYS = {
  token: 'webtalk.token',
  user: 'webtalk.user',
  rooms: 'webtalk.rooms',
  active: 'webtalk.active',
};
const NOTICE_KEY = 'webtalk.notice';
// Preferences of this browser, not of the guest: they survive "Change name".
const LANGUAGE_KEY = 'webtalk.lang';
const NOTIFY_KEY = 'webtalk.notify';
const THEME_KEY = 'webtalk.theme';

export function createStorage(local = safe(() => globalThis.localStorage), session = safe(() => globalThis.sessionStorage)) {
  const get = (store, key) => safe(() => store?.getItem(key)) ?? null;
  const set = (store, key, value) => safe(() => (value === null || value === undefined
    ? store?.removeItem(key) : store?.setItem(key, value)));
  const json = (key, fallback) => {
    try {
      return JSON.parse(get(local, key)) ?? fallback;
    } catch {
      return fallback;
    }
  };

  return {
    token: () => get(local, KEYS.token),
    user: () => json(KEYS.user, null),
    setSession(token, user) {
      set(local, KEYS.token, token);
      set(local, KEYS.user, JSON.stringify(user));
    },
    setUser: (user) => set(local, KEYS.user, JSON.stringify(user)),
    rooms: () => {
      const ids = json(KEYS.rooms, []);
      return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
    },
    setRooms: (ids) => set(local, KEYS.rooms, JSON.stringify(ids)),
    active: () => get(local, KEYS.active),
    setActive: (id) => set(local, KEYS.active, id),
    language: () => get(local, LANGUAGE_KEY),
    setLanguage: (code) => set(local, LANGUAGE_KEY, code),
    /** Whether mention notifications were turned on (the browser's permission is checked apart). */
    notify: () => get(local, NOTIFY_KEY) === 'on',
    setNotify: (on) => set(local, NOTIFY_KEY, on ? 'on' : null),
    /** The in-app theme choice (`light`, `dark`), or null for the system's. Survives "Change name". */
    theme: () => get(local, THEME_KEY),
    setTheme: (theme) => set(local, THEME_KEY, theme === 'light' || theme === 'dark' ? theme : null),
    /** Forgets the guest identity and everything tied to it. */
    clear() {
      Object.values(KEYS).forEach((key) => set(local, key, null));
    },
    /** A one-time message for the next page load (e.g. why the name prompt is back). */
    setNotice: (text) => set(session, NOTICE_KEY, text),
    takeNotice() {
      const text = get(session, NOTICE_KEY);
      set(session, NOTICE_KEY, null);
      return text;
    },
  };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
