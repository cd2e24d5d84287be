// WebSocket client for protocol v2 (docs/PROTOCOL.md). It numbers requests and settles one promise
// per request from the matching `result` or `error`, hands pushes to listeners by `type`, keeps the
// connection alive with `ping`, and reconnects with exponential backoff and jitter. What to do after
// a reconnect (rejoin rooms, fetch missed history) is the caller's business: it gets a `welcome`
// event with `reconnected: true`.

import { ChatError } from './errors.js';

/** Connection states, mirrored in #connection-state[data-state]. */
export const State = Object.freeze({
  CONNECTED: 'connected',
  RECONNECTING: 'reconnecting',
  OFFLINE: 'offline',
});

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter" —
 * half fixed, half random — so a server restart is not hit by every client at the same instant.
 * The cap is 5 s: a restarted server is back within a couple of seconds, and waiting up to 30 s after
 * that (the old cap) is what made reconnecting feel broken. The browser's `online` event and "Retry
 * now" skip the wait altogether.
 */
export function backoffDelay(attempt, { minMs = 500, maxMs = 5000, random = Math.random } = {}) {
  const cap = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

const OPEN = 1;

export class ChatSocket {
  #listeners = new Map();
  #pending = new Map();
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

  /**
   * @param {object} options
   * @param {() => string} options.url WebSocket URL, asked anew for every attempt (the token may change)
   * @param {Function} [options.WebSocketImpl] constructor, for tests
   * @param {object} [options.timers] `{setTimeout, clearTimeout, setInterval, clearInterval}`, for tests
   */
  constructor({
    url, WebSocketImpl = globalThis.WebSocket, timers = globalThis, random = Math.random,
    pingMs = 25000, pingTimeoutMs = 10000, requestTimeoutMs = 15000, minDelayMs = 500, maxDelayMs = 5000,
  }) {
    this.url = url;
    this.WebSocketImpl = WebSocketImpl;
    this.timers = timers;
    this.options = { random, pingMs, pingTimeoutMs, requestTimeoutMs, minDelayMs, maxDelayMs };
  }

  get state() {
    return this.#state;
  }

  get connected() {
    return this.#state === State.CONNECTED;
  }

  /**
   * Subscribes to an event; returns the unsubscribe function. Events: `state` ({state,
   * everConnected, attempt, delayMs}), `welcome` (the frame plus `reconnected`), `handshake_failed` ({failures, code}),
   * `server_error` (a ChatError answering a request without id), and every push `type`.
   */
  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.#listeners.get(type)?.delete(listener);
  }

  #emit(type, data) {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(data);
      } catch (e) {
        console.error(`WebTalk: a "${type}" listener failed`, e);
      }
    }
  }

  /** Opens the connection (no-op when already started). */
  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /** Closes for good: no reconnect until {@link start} is called again. */
  stop() {
    this.#stopped = true;
    this.#clearRetry();
    const ws = this.#ws;
    if (ws) {
      this.#closed(ws, 1000, { quiet: true });
      try { ws.close(1000, 'bye'); } catch { /* already closing */ }
    }
    this.#setState(State.OFFLINE);
  }

  /**
   * Skips the remaining backoff wait, e.g. when the tab becomes visible. With `force` (the user's "Retry
   * now", the network coming back) an attempt still in its handshake is dropped for a fresh one too: one
   * started while the network was down may hang until the browser gives up on it.
   */
  reconnectNow({ force = false } = {}) {
    if (this.#stopped) return;
    const ws = this.#ws;
    if (ws) {
      if (!force || this.#welcomed) return;
      this.#closed(ws, 4000, { quiet: true });
      try { ws.close(); } catch { /* still connecting */ }
    }
    this.#clearRetry();
    this.#connect();
  }

  /** Feeds the browser's online/offline signal: back online retries at once; offline changes what the state says. */
  setNetworkOnline(online) {
    this.#networkOnline = online;
    if (online) {
      this.reconnectNow({ force: true });
    } else if (!this.#ws && !this.#stopped) {
      this.#setState(State.OFFLINE);
    }
  }

  /**
   * Sends a request with a fresh `id`; resolves with its `result`, rejects with a ChatError carrying
   * the server's code, or a client code: `offline` (not connected), `disconnected` (the connection
   * dropped before the reply), `timeout`.
   */
  request(type, fields = {}, { timeoutMs = this.options.requestTimeoutMs } = {}) {
    if (!this.#isOpen()) {
      return Promise.reject(new ChatError('offline', 'Not connected'));
    }
    const id = String(++this.#nextId);
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.#pending.delete(id);
        reject(new ChatError('timeout', `No answer to ${type}`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#ws.send(JSON.stringify({ ...fields, type, id }));
    });
  }

  /** Sends a frame without an id (no reply expected); returns whether it went out. */
  notify(type, fields = {}) {
    if (!this.#isOpen()) return false;
    this.#ws.send(JSON.stringify({ ...fields, type }));
    return true;
  }

  #isOpen() {
    return this.#ws !== null && this.#welcomed && this.#ws.readyState === OPEN;
  }

  #connect() {
    this.#setState(this.#networkOnline ? State.RECONNECTING : State.OFFLINE, { attempt: this.#attempt });
    let ws;
    try {
      ws = new this.WebSocketImpl(this.url());
    } catch (e) {
      console.error('WebTalk: cannot open the WebSocket', e);
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    this.#welcomed = false;
    ws.onmessage = (event) => {
      if (ws === this.#ws) this.#onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (ws === this.#ws) this.#afterClose(ws, event.code);
    };
    ws.onerror = () => { /* a close event always follows */ };
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      console.warn('WebTalk: ignoring a frame that is not JSON');
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    switch (frame.type) {
      case 'welcome': {
        const reconnected = this.#everWelcomed;
        this.#welcomed = true;
        this.#everWelcomed = true;
        this.#attempt = 0;
        this.#failuresBeforeWelcome = 0;
        this.#startPing();
        this.#setState(State.CONNECTED);
        this.#emit('welcome', { ...frame, reconnected });
        break;
      }
      case 'result':
        this.#settle(frame.id, (p) => p.resolve(frame.result ?? {}));
        break;
      case 'error': {
        const error = new ChatError(frame.code || 'internal', frame.message, 0, frame);
        if (frame.id === undefined || frame.id === null || !this.#pending.has(String(frame.id))) {
          this.#emit('server_error', error);
        } else {
          this.#settle(frame.id, (p) => p.reject(error));
        }
        break;
      }
      default:
        this.#emit(frame.type, frame);
    }
  }

  #settle(id, action) {
    const key = String(id);
    const pending = this.#pending.get(key);
    if (!pending) return;
    this.#pending.delete(key);
    this.timers.clearTimeout(pending.timer);
    action(pending);
  }

  #startPing() {
    this.#stopPing();
    this.#pingTimer = this.timers.setInterval(() => {
      const ws = this.#ws;
      this.request('ping', {}, { timeoutMs: this.options.pingTimeoutMs }).catch((error) => {
        // A half-open TCP connection never fires `close` on its own; give up on it ourselves.
        if (error.code === 'timeout' && ws === this.#ws) {
          this.#afterClose(ws, 4000);
          try { ws.close(4000, 'ping timeout'); } catch { /* ignore */ }
        }
      });
    }, this.options.pingMs);
  }

  #stopPing() {
    if (this.#pingTimer !== null) this.timers.clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  /** Forgets `ws` and fails its outstanding requests; later events from it are ignored. */
  #closed(ws, code, { quiet = false } = {}) {
    if (ws !== this.#ws) return false;
    this.#ws = null;
    this.#stopPing();
    for (const [id, pending] of this.#pending) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(new ChatError('disconnected', `Connection closed (${code})`));
      this.#pending.delete(id);
    }
    if (!this.#welcomed && !quiet) {
      this.#failuresBeforeWelcome += 1;
      this.#emit('handshake_failed', { failures: this.#failuresBeforeWelcome, code });
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
    const { minDelayMs, maxDelayMs, random } = this.options;
    const delayMs = backoffDelay(this.#attempt, { minMs: minDelayMs, maxMs: maxDelayMs, random });
    this.#attempt += 1;
    this.#setState(this.#networkOnline ? State.RECONNECTING : State.OFFLINE,
      { attempt: this.#attempt, delayMs });
    this.#retryTimer = this.timers.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delayMs);
  }

  #clearRetry() {
    if (this.#retryTimer !== null) this.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.#emit('state', { state, everConnected: this.#everWelcomed, ...detail });
  }
}
