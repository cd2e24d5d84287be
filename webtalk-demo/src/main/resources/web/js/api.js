// REST client for the demo's /api endpoints (docs/PROTOCOL.md, "REST API"). Every call but
// `guest` carries the guest token as a Bearer credential; error bodies become a ChatError whose
// `code` is the protocol's error code.

import { ChatError } from './errors.js';

export function createApi({ base = new URL('api/', document.baseURI), getToken = () => null, fetchImpl } = {}) {
  const doFetch = fetchImpl || ((...args) => fetch(...args));

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await doFetch(new URL(path, base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ChatError('network', 'Cannot reach the server');
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = data && data.error;
      throw new ChatError(error?.code || codeForStatus(response.status),
        error?.message || `HTTP ${response.status}`, response.status);
    }
    return data ?? {};
  }

  return {
    /** `POST /api/guest` -> `{token, user}`. */
    guest: (name) => call('POST', 'guest', { name }),
    /** `GET /api/rooms` -> `{rooms}`. */
    rooms: () => call('GET', 'rooms'),
  };
}

function codeForStatus(status) {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'overloaded';
  return status >= 500 ? 'internal' : 'invalid';
}
