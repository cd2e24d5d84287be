// Admin API calls. The session lives in an HttpOnly cookie the script never sees; every request that
// changes something carries the CSRF token from the login answer (kept in sessionStorage, per tab).

const CSRF_KEY = 'webtalk.admin.csrf';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export const csrf = {
  get: () => sessionStorage.getItem(CSRF_KEY),
  set: (token) => sessionStorage.setItem(CSRF_KEY, token),
  clear: () => sessionStorage.removeItem(CSRF_KEY),
};

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = csrf.get();
  if (method !== 'GET' && token) headers['X-CSRF-Token'] = token;
  const response = await fetch('/api/admin' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    throw new ApiError(response.status, error.code || 'internal', error.message || response.statusText);
  }
  return json;
}

export const api = {
  login: (password) => call('POST', '/login', { password }),
  logout: () => call('POST', '/logout'),
  stats: () => call('GET', '/stats'),
  activity: (range) => call('GET', `/activity?range=${encodeURIComponent(range)}`),
  rooms: ({ q, sort, order }) => call('GET', '/rooms?' + new URLSearchParams({ q, sort, order })),
  deleteRoom: (id) => call('DELETE', '/rooms/' + encodeURIComponent(id)),
  archive: (id, archived) => call('POST', '/rooms/' + encodeURIComponent(id) + (archived ? '/archive' : '/unarchive')),
  settings: () => call('GET', '/settings'),
  saveSettings: (settings) => call('PUT', '/settings', settings),
  purge: () => call('POST', '/purge-inactive'),
  audit: (id, before) => call('GET', '/rooms/' + encodeURIComponent(id) + '/audit?'
    + new URLSearchParams(before ? { limit: 50, before } : { limit: 50 })),
  restrictions: (id) => call('GET', '/rooms/' + encodeURIComponent(id) + '/restrictions'),
  /** `action`: kick, ban, unban, mute or unmute; `body`: optional { reason, duration }. */
  moderate: (id, user, action, body) => call('POST', '/rooms/' + encodeURIComponent(id) + '/members/'
    + encodeURIComponent(user) + '/' + action, body),
};
