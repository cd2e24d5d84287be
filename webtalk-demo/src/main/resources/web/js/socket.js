// The demo's connection to the server: the WebTalk JS client that the Jetty adapter serves at
// /webtalk/client.js (docs/CLIENT.md) — reconnect with backoff, requests with timeouts, rooms resumed
// with `since`, sends kept by `clientMsgId` until stored. The guest token never goes in the WebSocket
// URL: before every attempt the client trades it (in a header) for a single-use ticket from
// POST api/ws-ticket, and only the ticket travels in the URL (docs/PROTOCOL.md, "Connecting").

import { WebTalkClient, restTicket } from '../webtalk/client.js';

export { State, backoffDelay, isConnectionError } from '../webtalk/client.js';

/**
 * The client for this page's server.
 *
 * @param {object} options
 * @param {() => string|null} options.getToken the guest token, asked anew for every attempt
 * @param {string} [options.base] the app's base URL
 */
export function createSocket({ getToken, base = document.baseURI }) {
  return new WebTalkClient({
    url: new URL('ws', base).href,
    ticket: restTicket(new URL('api/ws-ticket', base), {
      headers: () => ({ Authorization: `Bearer ${getToken() || ''}` }),
    }),
  });
}
