// WebTalk client for protocol version 2 (docs/PROTOCOL.md), as one dependency-free ES module.
// The Jetty adapter serves this file at /webtalk/client.js; the API is documented in docs/CLIENT.md.
//
// What it does for its caller:
// - connects, answers nothing but keeps the connection alive with `ping`, and reconnects with
//   exponential backoff (capped, jittered) when the connection drops or stops answering;
// - authenticates with a short-lived single-use ticket fetched before every attempt (`ticket` option),
//   so no long-lived secret ever travels in a URL;
// - correlates requests and replies by `id`, with a timeout per request;
// - keeps, for every room joined through `join()`, the highest stream position applied, drops pushes at
//   or below it (duplicates), resumes the room with `since` after a reconnect or when a message `seq`
//   shows a gap, and reports the result (`resumed`, with `missed` or `resync`);
// - keeps sends made through `send()` pending by `clientMsgId` across reconnects: they go out again
//   (the server stores a `clientMsgId` once) after their room is resumed, and each promise settles once.

/** Connection states (the `state` event and {@link WebTalkClient#state}). */
export const State = Object.freeze({
  /** Welcomed by the server: requests go out. */
  CONNECTED: 'connected',
  /** Between attempts or in a handshake, while the network is thought to be up. */
  RECONNECTING: 'reconnecting',
  /** Stopped, or waiting while the network is known to be down. */
  OFFLINE: 'offline',
});

/**
 * An error with a stable machine `code`: one of the server's codes (docs/PROTOCOL.md, "Error codes"),
 * or one of the client's own: `offline` (not connected), `disconnected` (the connection dropped before
 * the reply), `timeout`, `network` (an HTTP call could not reach the server), `cancelled`, `closed`.
 */
export class WebTalkError extends Error {
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'WebTalkError';
    this.code = code;
    /** The HTTP status of a REST answer, 0 otherwise. */
    this.status = typeof details.status === 'number' ? details.status : 0;
    /** `banned` and `muted`: until when (epoch ms), when not for good. */
    this.until = typeof details.until === 'number' ? details.until : null;
    /** `rate_limited`: how long to wait, when the server said. */
    this.retryAfterMs = typeof details.retryAfterMs === 'number' ? details.retryAfterMs : null;
    /** `internal`: the reference the server logged the fault under. */
    this.ref = typeof details.ref === 'string' ? details.ref : null;
  }
}

/** Refusals of a resume that pass with time: the resume is tried again; any other loses the room. */
const PASSING_CODES = new Set(['overloaded', 'rate_limited', 'unavailable', 'internal', 'timeout']);
/** Client codes for "the connection was not there": worth trying again once it is back. */
const CONNECTION_CODES = new Set(['offline', 'disconnected', 'timeout', 'network']);
const OPEN = 1;

/** Whether an error only means the connection was missing, so the same call can succeed later. */
export function isConnectionError(error) {
  return CONNECTION_CODES.has(error?.code);
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `minMs`, capped at `maxMs`, with
 * "equal jitter" — half fixed, half random — so a restarted server is not hit by every client at once.
 */
export function backoffDelay(attempt, { minMs = 500, maxMs = 5000, random = Math.random } = {}) {
  const cap = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * A `ticket` option for {@link WebTalkClient} that asks the REST API for a WebSocket ticket:
 * `POST <endpoint>` with the given headers (e.g. `{Authorization: 'Bearer …'}`) or cookies, answered
 * `{"ticket":"…","expiresIn":30}`. A refusal becomes a {@link WebTalkError} with the server's code
 * (`unauthorized` when the credentials are no longer good).
 *
 * @param {string|URL} endpoint e.g. `https://chat.example.com/api/ws-ticket`
 * @param {object} [options]
 * @param {object|(() => object|Promise<object>)} [options.headers] extra request headers, asked anew each time
 * @param {Function} [options.fetch] the fetch function (default: the global one)
 * @param {string} [options.credentials] fetch's `credentials` (default `same-origin`)
 * @returns {() => Promise<string>}
 */
export function restTicket(endpoint, { headers = {}, fetch: fetchImpl, credentials = 'same-origin' } = {}) {
  return async () => {
    const extra = typeof headers === 'function' ? await headers() : headers;
    const doFetch = fetchImpl || globalThis.fetch;
    let response;
    try {
      response = await doFetch(String(endpoint), {
        method: 'POST', credentials, cache: 'no-store', headers: { Accept: 'application/json', ...extra },
      });
    } catch {
      throw new WebTalkError('network', 'Cannot reach the server');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok || typeof body?.ticket !== 'string') {
      const error = body?.error ?? {};
      const code = error.code || (response.status === 401 ? 'unauthorized' : response.ok ? 'internal' : `http_${response.status}`);
      throw new WebTalkError(code, error.message || `HTTP ${response.status}`, { ...error, status: response.status });
    }
    return body.ticket;
  };
}

/** A `clientMsgId`: unique enough per user, ≤ 64 characters. */
function newClientMsgId(random) {
  return `c-${Date.now().toString(36)}-${Math.floor(random() * 2 ** 48).toString(36)}`;
}

/** The highest `seq` in a list of messages, or null for none. */
function maxSeq(messages) {
  let max = null;
  for (const m of messages || []) if (typeof m?.seq === 'number' && (max === null || m.seq > max)) max = m.seq;
  return max;
}

/**
 * A connection to a WebTalk server that survives disconnects. Create one, subscribe with {@link on},
 * then {@link start}. See docs/CLIENT.md for the whole API and an example.
 */
export class WebTalkClient {
  #listeners = new Map();
  #requests = new Map();
  #nextId = 0;
  #ws = null;
  #welcomed = false;
  #everWelcomed = false;
  #stopped = true;
  #attempt = 0;
  #failuresBeforeWelcome = 0;
  #retryTimer = null;
  #pingTimer = null;
  #networkOnline = true;
  #state = State.OFFLINE;
  /** Bumped by every connection attempt, so that a slow ticket fetch for an older one is dropped. */
  #generation = 0;
  /** Rooms joined through join(), by id: {id, pos, lastSeq, joined, resuming, resumeFailures}. */
  #rooms = new Map();
  /** Sends made through send() and not settled yet, by clientMsgId, in the order made. */
  #sends = new Map();
  #user = null;
  #limits = null;

  /**
   * @param {object} options
   * @param {string|URL|(() => string|URL|Promise<string|URL>)} options.url the WebSocket URL (ws: or wss:;
   *        http: and https: are turned into them), or a function asked before every attempt
   * @param {() => Promise<string|null>} [options.ticket] fetches a fresh ticket before every attempt
   *        (see {@link restTicket}); it is added to the URL as `?ticket=`. Without it the URL is used as is.
   * @param {Function} [options.WebSocket] the WebSocket constructor (default: the global one; Node 20
   *        has none, pass e.g. the `ws` package's)
   * @param {number} [options.requestTimeoutMs=15000] how long a request waits for its reply
   * @param {number} [options.pingMs=25000] how often an idle connection sends `ping`
   * @param {number} [options.pingTimeoutMs=10000] a `ping` unanswered this long drops the connection
   * @param {number} [options.minDelayMs=500] first reconnect delay (before jitter)
   * @param {number} [options.maxDelayMs=5000] reconnect delay cap
   * @param {number} [options.sendTimeoutMs=0] a `send()` not confirmed within this long fails with
   *        `timeout`; 0 waits as long as the client runs
   * @param {object} [options.timers] `{setTimeout, clearTimeout, setInterval, clearInterval}`, for tests
   * @param {() => number} [options.random] for tests
   * @param {{warn: Function, error: Function}} [options.logger] where problems are reported (default: console)
   */
  constructor(options) {
    const {
      url, ticket = null, WebSocket: WebSocketCtor, timers = globalThis, random = Math.random,
      requestTimeoutMs = 15000, pingMs = 25000, pingTimeoutMs = 10000, minDelayMs = 500, maxDelayMs = 5000,
      sendTimeoutMs = 0, logger = console,
    } = options || {};
    if (!url) throw new TypeError('WebTalkClient: the url option is required');
    this.options = Object.freeze({
      url, ticket, WebSocket: WebSocketCtor || globalThis.WebSocket, timers, random,
      requestTimeoutMs, pingMs, pingTimeoutMs, minDelayMs, maxDelayMs, sendTimeoutMs, logger,
    });
    if (typeof this.options.WebSocket !== 'function') {
      throw new TypeError('WebTalkClient: no WebSocket constructor; pass one as the WebSocket option');
    }
  }

  /** The connection state: one of {@link State}. */
  get state() {
    return this.#state;
  }

  /** Whether requests can go out now. */
  get connected() {
    return this.#state === State.CONNECTED;
  }

  /** The user of the last `welcome` (`{id, name, admin}`), or null before the first. */
  get user() {
    return this.#user;
  }

  /** The limits of the last `welcome`, or null before the first. */
  get limits() {
    return this.#limits;
  }

  /**
   * Subscribes to an event; returns the function that unsubscribes. Events:
   * `state` `{state, everConnected, attempt, delayMs}`; `welcome` (the frame, plus `reconnected`);
   * `handshake_failed` `{failures, code, error}` (an attempt ended before `welcome`; `error` when the
   * ticket call said why); `server_error` (a WebTalkError answering a frame without `id`);
   * `resumed` `{room, result, reason}` (a room joined again by the client itself, `reason` `reconnect`
   * or `gap`); `room_lost` `{room, error}` (a room could not be joined again and is forgotten); and every
   * push by its `type` (`message`, `member_joined`, …), duplicates dropped.
   */
  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.#listeners.get(type)?.delete(listener);
  }

  #emit(type, data) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(data);
      } catch (e) {
        this.options.logger.error(`WebTalk: a "${type}" listener failed`, e);
      }
    }
  }

  /** Opens the connection; does nothing when already started. */
  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /**
   * Closes for good: no reconnect until {@link start}. Requests in flight fail with `disconnected`;
   * pending sends stay pending (they go out after the next start) unless `failSends` is set, which
   * fails them with `closed`.
   */
  stop({ failSends = false } = {}) {
    this.#stopped = true;
    this.#generation += 1;
    this.#clearRetry();
    const ws = this.#ws;
    if (ws) {
      this.#closed(ws, 1000, { quiet: true });
      try { ws.close(1000, 'bye'); } catch { /* already closing */ }
    }
    if (failSends) {
      for (const send of [...this.#sends.values()]) this.#settleSend(send, null, new WebTalkError('closed', 'The client was stopped'));
    }
    this.#setState(State.OFFLINE);
  }

  /**
   * Skips the remaining backoff wait. With `force` (the user's "retry now", the network coming back) an
   * attempt still in its handshake is dropped for a fresh one too: one started while the network was
   * down may hang until the platform gives up on it. A live connection is always kept.
   */
  reconnectNow({ force = false } = {}) {
    if (this.#stopped) return;
    const ws = this.#ws;
    if (ws) {
      if (!force || this.#welcomed) return;
      this.#closed(ws, 4000, { quiet: true });
      try { ws.close(); } catch { /* still connecting */ }
    } else if (!force && this.#retryTimer === null) {
      return; // an attempt is fetching its ticket
    }
    this.#clearRetry();
    this.#connect();
  }

  /** Feeds the platform's online/offline signal: back online retries at once; offline shows in the state. */
  setNetworkOnline(online) {
    this.#networkOnline = online;
    if (online) {
      this.reconnectNow({ force: true });
    } else if (!this.#ws && !this.#stopped) {
      this.#setState(State.OFFLINE);
    }
  }

  /**
   * Sends a request with a fresh `id`. Resolves with its `result`; rejects with a {@link WebTalkError}
   * carrying the server's code, or `offline` (not connected), `disconnected` (dropped before the reply),
   * `timeout` (no reply within `timeoutMs`). Nothing is retried: see {@link send} for that.
   */
  request(type, fields = {}, { timeoutMs = this.options.requestTimeoutMs } = {}) {
    if (!this.#isOpen()) return Promise.reject(new WebTalkError('offline', 'Not connected'));
    const id = String(++this.#nextId);
    return new Promise((resolve, reject) => {
      const timer = this.options.timers.setTimeout(() => {
        this.#requests.delete(id);
        reject(new WebTalkError('timeout', `No answer to ${type}`));
      }, timeoutMs);
      this.#requests.set(id, { resolve, reject, timer });
      try {
        this.#ws.send(JSON.stringify({ ...fields, type, id }));
      } catch {
        // The socket is closing under us: its close event follows and reconnects.
        this.#settleRequest(id, (r) => r.reject(new WebTalkError('disconnected', 'Connection closing')));
      }
    });
  }

  /** Sends a frame without `id` (no reply, e.g. `typing`); returns whether it went out. */
  notify(type, fields = {}) {
    if (!this.#isOpen()) return false;
    try {
      this.#ws.send(JSON.stringify({ ...fields, type }));
      return true;
    } catch {
      return false; // closing: the close event follows
    }
  }

  /**
   * Joins a room and keeps it: from now on the client tracks its stream position, drops duplicate
   * pushes, and joins it again with `since` after every reconnect (emitting `resumed`). Resolves with
   * the `join` result. Give `since` to resume a copy kept elsewhere (e.g. across a page load).
   */
  async join(room, { password, since } = {}) {
    const known = this.#rooms.get(room);
    const tracked = known ?? { id: room, pos: 0, lastSeq: null, joined: false, resuming: null, resumeFailures: 0 };
    if (!known) this.#rooms.set(room, tracked);
    const fields = { room };
    if (password !== undefined && password !== null) fields.password = password;
    if (typeof since === 'number') fields.since = since;
    try {
      const result = await this.request('join', fields);
      this.#applyJoin(tracked, result);
      this.#flushSends(room);
      return result;
    } catch (e) {
      if (!known && !tracked.joined && this.#rooms.get(room) === tracked) this.#rooms.delete(room);
      throw e;
    }
  }

  /**
   * Leaves a room (the `leave` request) and forgets it; its pending sends fail with `cancelled`. When
   * the request fails for want of a connection the room is kept (and resumed): leave again later.
   */
  async leave(room) {
    try {
      const result = await this.request('leave', { room });
      this.forget(room);
      return result;
    } catch (e) {
      if (e.code === 'not_member' || e.code === 'room_not_found') this.forget(room);
      throw e;
    }
  }

  /**
   * Stops tracking a room without telling the server (e.g. after `room_deleted`): no more resumes; its
   * pending sends fail with `cancelled`.
   */
  forget(room, reason = new WebTalkError('cancelled', `Room ${room} was left`)) {
    this.#rooms.delete(room);
    for (const send of [...this.#sends.values()]) if (send.room === room) this.#settleSend(send, null, reason);
  }

  /** The rooms joined through {@link join} and not left, with the stream position applied: `[{room, pos}]`. */
  rooms() {
    return [...this.#rooms.values()].map((r) => ({ room: r.id, pos: r.pos }));
  }

  /** The stream position applied for a tracked room (the `since` its resume will use), or null. */
  position(room) {
    return this.#rooms.get(room)?.pos ?? null;
  }

  /**
   * Sends a message so that it arrives exactly once. Resolves with the stored Message; rejects only with
   * a server refusal ({@link WebTalkError}: `muted`, `rate_limited`, …), `cancelled` (left, forgotten or
   * {@link cancelSend}), `closed` or `timeout` (the `sendTimeoutMs` option). Through a lost connection
   * it waits: after the reconnect and its room's resume it goes out again with the same `clientMsgId`,
   * which the server stores once; the send is also settled by its own `message` push or by a resume
   * result that holds it, whichever comes first. Sends of one room go out in the order made. Calling it
   * again with the `clientMsgId` of a pending send returns that send's promise.
   *
   * @param {string} room a room joined through {@link join} (others: one attempt, like {@link request})
   * @param {string} text
   * @param {{clientMsgId?: string, replyTo?: number}} [options]
   */
  send(room, text, { clientMsgId, replyTo } = {}) {
    const id = clientMsgId || newClientMsgId(this.options.random);
    const known = this.#sends.get(id);
    if (known) return known.promise;
    const fields = { room, text, clientMsgId: id };
    if (typeof replyTo === 'number') fields.replyTo = replyTo;
    if (!this.#rooms.has(room)) {
      return this.request('send', fields).then((result) => result.message);
    }
    const send = { id, room, fields, settled: false, inFlight: false, timer: null };
    send.promise = new Promise((resolve, reject) => {
      send.resolve = resolve;
      send.reject = reject;
    });
    if (this.options.sendTimeoutMs > 0) {
      send.timer = this.options.timers.setTimeout(() => this.#settleSend(send, null,
        new WebTalkError('timeout', 'The message could not be delivered in time')), this.options.sendTimeoutMs);
    }
    this.#sends.set(id, send);
    this.#trySend(send);
    return send.promise;
  }

  /** The sends not settled yet (optionally of one room), oldest first: `[{room, clientMsgId, text}]`. */
  pendingSends(room = null) {
    return [...this.#sends.values()].filter((s) => room === null || s.room === room)
      .map((s) => ({ room: s.room, clientMsgId: s.id, text: s.fields.text }));
  }

  /**
   * Gives up on a pending send: its promise rejects with `cancelled` and it is not sent again (an
   * attempt already on the wire may still be stored). Returns whether it was pending.
   */
  cancelSend(clientMsgId) {
    const send = this.#sends.get(clientMsgId);
    if (!send) return false;
    this.#settleSend(send, null, new WebTalkError('cancelled', 'The send was cancelled'));
    return true;
  }

  // ---- sends ----

  #trySend(send) {
    const room = this.#rooms.get(send.room);
    if (send.settled || send.inFlight || !this.#isOpen() || !room || !room.joined || room.resuming) return;
    send.inFlight = true;
    this.request('send', send.fields).then((result) => {
      send.inFlight = false;
      this.#settleSend(send, result.message ?? null, null);
    }, (error) => {
      send.inFlight = false;
      if (!isConnectionError(error)) {
        this.#settleSend(send, null, error);
      } else if (error.code === 'timeout') {
        this.#trySend(send); // the same clientMsgId again: stored once whichever attempt lands
      } // disconnected: goes out again after the room's resume
    });
  }

  #flushSends(room) {
    for (const send of this.#sends.values()) if (send.room === room) this.#trySend(send);
  }

  #settleSend(send, message, error) {
    if (send.settled) return;
    send.settled = true;
    this.#sends.delete(send.id);
    if (send.timer !== null) this.options.timers.clearTimeout(send.timer);
    if (error) send.reject(error);
    else send.resolve(message);
  }

  /** Settles pending sends that `messages` (pushed, or in a join result) show stored. */
  #confirmSends(messages) {
    if (this.#sends.size === 0 || !this.#user) return;
    for (const message of messages || []) {
      const send = message?.clientMsgId ? this.#sends.get(message.clientMsgId) : undefined;
      if (send && message.author?.id === this.#user.id && message.room === send.room) this.#settleSend(send, message, null);
    }
  }

  // ---- rooms ----

  #applyJoin(room, result) {
    room.joined = true;
    room.resumeFailures = 0;
    const messages = result.missed ?? result.history ?? [];
    const newest = maxSeq(messages);
    if (result.resync) {
      // The held copy is void: start from the page (the room's positions may even have gone back).
      room.pos = typeof result.pos === 'number' ? result.pos : room.pos;
      room.lastSeq = newest ?? 0;
    } else if (result.missed === undefined) {
      // A fresh join: pushes that overtook the result are not undone.
      room.pos = Math.max(room.pos, typeof result.pos === 'number' ? result.pos : 0);
      room.lastSeq = Math.max(room.lastSeq ?? 0, newest ?? 0);
    } else {
      if (typeof result.pos === 'number' && result.pos > room.pos) room.pos = result.pos;
      if (newest !== null && (room.lastSeq === null || newest > room.lastSeq)) room.lastSeq = newest;
    }
    this.#confirmSends(messages);
  }

  /** Joins a tracked room again with `since` (after a reconnect, or a gap), then resends its sends. */
  #resume(room, reason, since = room.pos) {
    if (room.resuming || !this.#isOpen()) return;
    const ws = this.#ws;
    const attempt = this.request('join', { room: room.id, since });
    room.resuming = attempt;
    attempt.then((result) => {
      if (room.resuming === attempt) room.resuming = null;
      if (this.#rooms.get(room.id) !== room) return;
      this.#applyJoin(room, result);
      this.#emit('resumed', { room: room.id, result, reason });
      this.#flushSends(room.id);
    }, (error) => {
      if (room.resuming === attempt) room.resuming = null;
      if (this.#rooms.get(room.id) !== room || this.#ws !== ws) return; // a new connection resumes anew
      if (!PASSING_CODES.has(error.code)) {
        this.forget(room.id, error); // room_not_found, banned, forbidden, not_member, …
        this.#emit('room_lost', { room: room.id, error });
      } else {
        // Busy, rate limited, slow or a fault: try again on this connection after a while.
        const { minDelayMs: minMs, maxDelayMs: maxMs, random } = this.options;
        const delay = error.retryAfterMs ?? backoffDelay(room.resumeFailures++, { minMs, maxMs, random });
        this.options.timers.setTimeout(() => {
          if (this.#ws === ws && this.#rooms.get(room.id) === room) this.#resume(room, reason, Math.min(since, room.pos));
        }, delay);
      }
    });
  }

  /**
   * Applies a push to the room tracking. Returns false for a duplicate (its `pos` is already applied),
   * which is then not passed on.
   */
  #track(frame) {
    const room = typeof frame.room === 'string' ? this.#rooms.get(frame.room) : undefined;
    if (!room) return true;
    if (typeof frame.pos === 'number') {
      if (frame.pos <= room.pos) return false;
      const since = room.pos;
      room.pos = frame.pos;
      const seq = frame.type === 'message' ? frame.message?.seq : undefined;
      if (typeof seq === 'number') {
        if (room.joined && !room.resuming && room.lastSeq !== null && seq > room.lastSeq + 1) {
          // A message is missing between what we hold and this one: ask for everything after `since`.
          this.#resume(room, 'gap', since);
        }
        if (room.lastSeq === null || seq > room.lastSeq) room.lastSeq = seq;
      }
    }
    return true;
  }

  /** Stops tracking a room the server took us out of, after the push says so. */
  #untrackAfter(frame) {
    const me = this.#user?.id;
    const room = frame.room;
    if (!this.#rooms.has(room)) return;
    const lost = frame.type === 'room_deleted'
      || (frame.type === 'moderation' && frame.target?.id === me && (frame.action === 'kick' || frame.action === 'ban'))
      || (frame.type === 'member_left' && frame.user?.id === me && frame.reason !== 'disconnected');
    if (lost) {
      const code = frame.type === 'room_deleted' ? 'room_not_found' : frame.action === 'ban' || frame.reason === 'banned' ? 'banned' : 'not_member';
      this.forget(room, new WebTalkError(code, `No longer in room ${room}`));
    }
  }

  // ---- connection ----

  #isOpen() {
    return this.#ws !== null && this.#welcomed && this.#ws.readyState === OPEN;
  }

  #connect() {
    const generation = ++this.#generation;
    this.#setState(this.#networkOnline ? State.RECONNECTING : State.OFFLINE, { attempt: this.#attempt });
    let address;
    try {
      address = this.#address();
    } catch (error) {
      this.#addressFailed(generation, error);
      return;
    }
    if (typeof address?.then === 'function') {
      address.then((a) => this.#open(generation, a), (error) => this.#addressFailed(generation, error));
    } else {
      this.#open(generation, address);
    }
  }

  /**
   * The URL of the next attempt, with a fresh ticket when the client has a ticket source: a string, or
   * a promise of one when the url function or the ticket source is asynchronous.
   */
  #address() {
    const { url, ticket } = this.options;
    const raw = typeof url === 'function' ? url() : url;
    if (typeof raw?.then !== 'function' && !ticket) return WebTalkClient.#webSocketUrl(raw).href;
    return (async () => {
      const address = WebTalkClient.#webSocketUrl(await raw);
      const value = ticket ? await ticket() : null;
      if (value) address.searchParams.set('ticket', value);
      return address.href;
    })();
  }

  static #webSocketUrl(raw) {
    const base = globalThis.location?.href;
    const address = base ? new URL(String(raw), base) : new URL(String(raw));
    if (address.protocol === 'http:') address.protocol = 'ws:';
    if (address.protocol === 'https:') address.protocol = 'wss:';
    return address;
  }

  /** The URL or the ticket could not be had (e.g. the ticket call answered 401): counts as a failed handshake. */
  #addressFailed(generation, error) {
    if (generation !== this.#generation || this.#stopped) return;
    this.#failuresBeforeWelcome += 1;
    const reason = error instanceof WebTalkError ? error : new WebTalkError('network', String(error?.message || error));
    this.#emit('handshake_failed', { failures: this.#failuresBeforeWelcome, code: 0, error: reason });
    this.#scheduleRetry();
  }

  #open(generation, address) {
    if (generation !== this.#generation || this.#stopped) return;
    let ws;
    try {
      ws = new this.options.WebSocket(address);
    } catch (e) {
      // Never log the address: it may carry a ticket.
      this.options.logger.error(`WebTalk: cannot open the WebSocket (${e?.name || 'Error'})`);
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    this.#welcomed = false;
    ws.onmessage = (event) => {
      if (ws === this.#ws) this.#onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (ws === this.#ws) this.#afterClose(ws, event?.code ?? 1006);
    };
    ws.onerror = () => { /* a close event always follows */ };
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.options.logger.warn('WebTalk: ignoring a frame that is not JSON');
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    switch (frame.type) {
      case 'welcome':
        this.#onWelcome(frame);
        break;
      case 'result':
        this.#settleRequest(frame.id, (r) => r.resolve(frame.result ?? {}));
        break;
      case 'error': {
        const error = new WebTalkError(frame.code || 'internal', frame.message, frame);
        if (frame.id === undefined || frame.id === null || !this.#requests.has(String(frame.id))) {
          this.#emit('server_error', error);
        } else {
          this.#settleRequest(frame.id, (r) => r.reject(error));
        }
        break;
      }
      default:
        if (!this.#track(frame)) return;
        if (frame.type === 'message') this.#confirmSends([frame.message]);
        this.#emit(frame.type, frame);
        this.#untrackAfter(frame);
    }
  }

  #onWelcome(frame) {
    const reconnected = this.#everWelcomed;
    this.#welcomed = true;
    this.#everWelcomed = true;
    this.#attempt = 0;
    this.#failuresBeforeWelcome = 0;
    this.#user = frame.user ?? null;
    this.#limits = frame.limits ?? null;
    this.#startPing();
    this.#setState(State.CONNECTED);
    this.#emit('welcome', { ...frame, reconnected });
    // Every kept room is joined again from where we are; sends of a room follow its resume.
    for (const room of [...this.#rooms.values()]) {
      room.resuming = null;
      if (room.joined) this.#resume(room, 'reconnect');
    }
  }

  #settleRequest(id, action) {
    const key = String(id);
    const pending = this.#requests.get(key);
    if (!pending) return;
    this.#requests.delete(key);
    this.options.timers.clearTimeout(pending.timer);
    action(pending);
  }

  #startPing() {
    this.#stopPing();
    this.#pingTimer = this.options.timers.setInterval(() => {
      const ws = this.#ws;
      this.request('ping', {}, { timeoutMs: this.options.pingTimeoutMs }).catch((error) => {
        // A half-open TCP connection never fires `close` by itself: give up on it here.
        if (error.code === 'timeout' && ws === this.#ws) {
          this.#afterClose(ws, 4000);
          try { ws.close(4000, 'ping timeout'); } catch { /* ignore */ }
        }
      });
    }, this.options.pingMs);
  }

  #stopPing() {
    if (this.#pingTimer !== null) this.options.timers.clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  /** Forgets `ws` and fails its requests in flight; later events from it are ignored. */
  #closed(ws, code, { quiet = false } = {}) {
    if (ws !== this.#ws) return false;
    this.#ws = null;
    this.#stopPing();
    for (const [id, pending] of this.#requests) {
      this.options.timers.clearTimeout(pending.timer);
      this.#requests.delete(id);
      pending.reject(new WebTalkError('disconnected', `Connection closed (${code})`));
    }
    if (!this.#welcomed && !quiet) {
      this.#failuresBeforeWelcome += 1;
      this.#emit('handshake_failed', { failures: this.#failuresBeforeWelcome, code, error: null });
    }
    this.#welcomed = false;
    return true;
  }

  #afterClose(ws, code) {
    if (!this.#closed(ws, code) || this.#stopped) return;
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    this.#clearRetry();
    if (this.#stopped) return;
    const { minDelayMs, maxDelayMs, random } = this.options;
    const delayMs = backoffDelay(this.#attempt, { minMs: minDelayMs, maxMs: maxDelayMs, random });
    this.#attempt += 1;
    this.#setState(this.#networkOnline ? State.RECONNECTING : State.OFFLINE, { attempt: this.#attempt, delayMs });
    this.#retryTimer = this.options.timers.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delayMs);
  }

  #clearRetry() {
    if (this.#retryTimer !== null) this.options.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.#emit('state', { state, everConnected: this.#everWelcomed, ...detail });
  }
}
