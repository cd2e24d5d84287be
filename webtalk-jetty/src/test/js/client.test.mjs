// Unit tests of the WebTalk JS client (src/main/resources/META-INF/resources/webtalk/client.js) against a
// hand-driven fake WebSocket and fake timers. Node's built-in runner, no dependencies:
//   node --test webtalk-jetty/src/test/js/
// ClientInNodeIT runs the same client against a real server.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  State, WebTalkClient, WebTalkError, backoffDelay, isConnectionError, restTicket,
} from '../../main/resources/META-INF/resources/webtalk/client.js';

// ---- fakes ----

/** Timers driven by hand: `advance(ms)` runs what falls due, in order. */
class FakeTimers {
  now = 0;
  nextId = 1;
  tasks = new Map();

  setTimeout = (fn, ms) => this.#add(fn, ms, null);
  setInterval = (fn, ms) => this.#add(fn, ms, ms);
  clearTimeout = (id) => this.tasks.delete(id);
  clearInterval = (id) => this.tasks.delete(id);

  #add(fn, ms, every) {
    const id = this.nextId++;
    this.tasks.set(id, { fn, at: this.now + ms, every });
    return id;
  }

  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, task] = due;
      this.now = task.at;
      if (task.every) task.at += task.every; else this.tasks.delete(id);
      task.fn();
    }
    this.now = end;
  }
}

/** A WebSocket whose server side the test plays: `receive` a frame, `reply` to the last request, `close`. */
class FakeWebSocket {
  static instances = [];
  readyState = 1;
  sent = [];
  constructor(url) {
    this.url = url;
    FakeWebSocket.instances.push(this);
  }
  static get last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code });
  }
  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  welcome(user = { id: 'u1', name: 'Ana', admin: false }) {
    this.receive({ type: 'welcome', protocol: 2, user, limits: { maxMessageChars: 2000 } });
  }
  /** The requests sent of one type. */
  requests(type) {
    return this.sent.filter((f) => f.type === type);
  }
  result(request, result) {
    this.receive({ type: 'result', id: request.id, result });
  }
  error(request, code, extra = {}) {
    this.receive({ type: 'error', id: request.id, code, message: code, ...extra });
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const silent = { warn() {}, error() {} };

function newClient(options = {}) {
  FakeWebSocket.instances = [];
  const timers = new FakeTimers();
  const client = new WebTalkClient({
    url: 'ws://test/ws', WebSocket: FakeWebSocket, timers, random: () => 0.5, logger: silent, ...options,
  });
  return { client, timers };
}

const message = (seq, extra = {}) => ({
  room: 'r1', seq, author: { id: 'u2', name: 'Bo' }, kind: 'text', text: `m${seq}`,
  createdAt: 1_700_000_000_000 + seq, deleted: false, ...extra,
});

const joinResult = (extra = {}) => ({
  room: { id: 'r1', name: 'General' }, role: 'member', members: [], pos: 10,
  history: [message(1), message(2), message(3)], hasMore: false, ...extra,
});

/** A connected client that joined r1 (history up to seq 3, pos 10). */
async function joined(options = {}) {
  const { client, timers } = newClient(options);
  client.start();
  FakeWebSocket.last.welcome();
  const join = client.join('r1');
  FakeWebSocket.last.result(FakeWebSocket.last.requests('join')[0], joinResult());
  await join;
  return { client, timers };
}

/** Drops the connection, waits out the backoff and welcomes the next one. */
function reconnect(timers) {
  FakeWebSocket.last.close(1006);
  timers.advance(60_000);
  FakeWebSocket.last.welcome();
  return FakeWebSocket.last;
}

// ---- connection ----

test('backoff grows exponentially, is capped and jittered', () => {
  assert.equal(backoffDelay(0, { minMs: 500, random: () => 0 }), 250);
  assert.equal(backoffDelay(0, { minMs: 500, random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { minMs: 500, random: () => 1 }), 4000);
  assert.equal(backoffDelay(50, { minMs: 500, maxMs: 30000, random: () => 1 }), 30000);
  assert.ok(backoffDelay(50, { minMs: 500, maxMs: 30000, random: () => 0 }) >= 15000);
  for (let attempt = 0; attempt < 40; attempt++) assert.ok(backoffDelay(attempt, { random: () => 1 }) <= 5000);
});

test('without a WebSocket constructor (Node 20) the client says so at once', () => {
  const saved = globalThis.WebSocket;
  try {
    delete globalThis.WebSocket;
    assert.throws(() => new WebTalkClient({ url: 'ws://x/ws' }), /WebSocket constructor/);
  } finally {
    if (saved) globalThis.WebSocket = saved;
  }
});

test('requests resolve by result and reject by error with its code and details', async () => {
  const { client } = newClient();
  client.start();
  assert.equal(client.state, State.RECONNECTING);
  await assert.rejects(client.request('list_rooms'), { code: 'offline' });
  FakeWebSocket.last.welcome();
  assert.equal(client.state, State.CONNECTED);
  assert.deepEqual(client.user, { id: 'u1', name: 'Ana', admin: false });

  const ok = client.request('list_rooms');
  const bad = client.request('send', { room: 'x', text: 'hi' });
  const [first, second] = FakeWebSocket.last.sent;
  assert.deepEqual(first, { type: 'list_rooms', id: '1' });
  assert.deepEqual(second, { type: 'send', room: 'x', text: 'hi', id: '2' });
  FakeWebSocket.last.error(second, 'muted', { until: 1234 });
  FakeWebSocket.last.result(first, { rooms: [] });
  assert.deepEqual(await ok, { rooms: [] });
  await assert.rejects(bad, (e) => e instanceof WebTalkError && e.code === 'muted' && e.until === 1234);
});

test('a request unanswered in time rejects with timeout; a late reply changes nothing', async () => {
  const { client, timers } = newClient({ requestTimeoutMs: 1000 });
  client.start();
  FakeWebSocket.last.welcome();
  const slow = client.request('history', { room: 'r1' }, { timeoutMs: 500 });
  timers.advance(499);
  const settled = await Promise.race([slow.then(() => 'settled', () => 'settled'), flush().then(() => 'open')]);
  assert.equal(settled, 'open');
  timers.advance(1);
  await assert.rejects(slow, { code: 'timeout' });
  FakeWebSocket.last.result(FakeWebSocket.last.sent[0], {}); // ignored
  assert.ok(isConnectionError(new WebTalkError('timeout')));
});

test('pushes reach listeners by type; id-less errors become server_error; a throwing listener hurts no one', () => {
  const { client } = newClient();
  const seen = [];
  client.on('typing', () => { throw new Error('boom'); });
  const off = client.on('typing', (frame) => seen.push(frame.user.name));
  client.on('server_error', (e) => seen.push(e.code));
  client.start();
  FakeWebSocket.last.welcome();
  FakeWebSocket.last.receive({ type: 'typing', room: 'r1', user: { id: 'u2', name: 'Bo' } });
  FakeWebSocket.last.receive({ type: 'error', code: 'not_member', message: 'x' });
  off();
  FakeWebSocket.last.receive({ type: 'typing', room: 'r1', user: { id: 'u2', name: 'Bo' } });
  assert.deepEqual(seen, ['Bo', 'not_member']);
  assert.equal(client.notify('typing', { room: 'r1' }), true);
  assert.deepEqual(FakeWebSocket.last.sent.at(-1), { type: 'typing', room: 'r1' });
});

test('a dropped connection fails requests in flight, backs off with jitter and a cap, and reconnects', async () => {
  const { client, timers } = newClient({ minDelayMs: 1000, maxDelayMs: 4000 });
  const states = [];
  const delays = [];
  const welcomes = [];
  client.on('state', (s) => { states.push(s.state); if (s.delayMs) delays.push(s.delayMs); });
  client.on('welcome', (w) => welcomes.push(w.reconnected));
  client.start();
  FakeWebSocket.last.welcome();
  const inFlight = client.request('history', { room: 'r1' });
  FakeWebSocket.last.close(1006);
  await assert.rejects(inFlight, { code: 'disconnected' });
  assert.equal(client.state, State.RECONNECTING);
  timers.advance(749); // cap 1000: half fixed + half of 0.5 random = 750 ms
  assert.equal(FakeWebSocket.instances.length, 1);
  timers.advance(1);
  assert.equal(FakeWebSocket.instances.length, 2);
  for (let i = 0; i < 4; i++) {
    FakeWebSocket.last.close(1006);
    timers.advance(4000);
  }
  assert.deepEqual(delays, [750, 1500, 3000, 3000, 3000], 'doubling, then capped at 4000 (jittered to 3000)');
  FakeWebSocket.last.welcome();
  assert.deepEqual(welcomes, [false, true]);
  assert.equal(states.at(-1), State.CONNECTED);
  const next = FakeWebSocket.instances.length;
  FakeWebSocket.last.close(1006);
  timers.advance(750);
  assert.equal(FakeWebSocket.instances.length, next + 1, 'a welcome resets the backoff');
});

test('"retry now" and coming back online skip the wait, even over an attempt still connecting', () => {
  const { client, timers } = newClient();
  client.start();
  FakeWebSocket.last.welcome();
  FakeWebSocket.last.close(1006);
  timers.advance(10000);
  FakeWebSocket.last.close(1006); // a retry is now waiting
  const before = FakeWebSocket.instances.length;
  client.reconnectNow({ force: true });
  assert.equal(FakeWebSocket.instances.length, before + 1, 'an attempt at once');
  const hanging = FakeWebSocket.last;
  client.reconnectNow();
  assert.equal(FakeWebSocket.instances.length, before + 1, 'without force an attempt under way is left alone');
  client.setNetworkOnline(false);
  client.setNetworkOnline(true);
  assert.equal(FakeWebSocket.instances.length, before + 2, 'online again: a fresh attempt replaces the hanging one');
  hanging.onclose?.({ code: 1006 }); // its late close event changes nothing
  FakeWebSocket.last.welcome();
  assert.equal(client.state, State.CONNECTED);
  client.reconnectNow({ force: true });
  assert.equal(FakeWebSocket.instances.length, before + 2, 'a live connection is kept');
});

test('handshake failures are counted; stop() ends reconnecting', () => {
  const { client, timers } = newClient();
  const failures = [];
  client.on('handshake_failed', (f) => failures.push(f.failures));
  client.start();
  FakeWebSocket.last.close(1006);
  timers.advance(60000);
  FakeWebSocket.last.close(1006);
  assert.deepEqual(failures, [1, 2]);
  client.setNetworkOnline(false);
  assert.equal(client.state, State.OFFLINE);
  client.stop();
  const count = FakeWebSocket.instances.length;
  timers.advance(600000);
  assert.equal(FakeWebSocket.instances.length, count);
  assert.equal(client.state, State.OFFLINE);
});

test('an unanswered ping drops the connection and reconnects', async () => {
  const { client, timers } = newClient({ pingMs: 25000, pingTimeoutMs: 10000 });
  client.start();
  FakeWebSocket.last.welcome();
  timers.advance(25000);
  assert.equal(FakeWebSocket.last.sent.at(-1).type, 'ping');
  timers.advance(10000);
  await flush();
  assert.equal(client.state, State.RECONNECTING);
  assert.equal(FakeWebSocket.instances[0].readyState, 3, 'the silent socket is closed');
  timers.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 2);
});

// ---- tickets ----

test('every attempt fetches a fresh ticket and puts only the ticket in the URL', async () => {
  let n = 0;
  const { client, timers } = newClient({ url: 'http://test/ws', ticket: async () => `t${++n}` });
  client.start();
  await flush();
  assert.equal(FakeWebSocket.last.url, 'ws://test/ws?ticket=t1');
  FakeWebSocket.last.close(1006);
  timers.advance(60000);
  await flush();
  assert.equal(FakeWebSocket.last.url, 'ws://test/ws?ticket=t2');
  assert.doesNotMatch(FakeWebSocket.last.url, /token/);
});

test('a refused ticket call is a handshake failure that says why, and is retried with backoff', async () => {
  const errors = [];
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    return { ok: false, status: 401, json: async () => ({ error: { code: 'unauthorized', message: 'no' } }) };
  };
  const { client, timers } = newClient({
    ticket: restTicket('http://test/api/ws-ticket', { headers: () => ({ Authorization: 'Bearer secret' }), fetch: fetchImpl }),
  });
  client.on('handshake_failed', (f) => errors.push(f.error?.code));
  client.start();
  await flush();
  assert.deepEqual(errors, ['unauthorized']);
  assert.equal(FakeWebSocket.instances.length, 0, 'no WebSocket without a ticket');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer secret', 'the secret goes in a header');
  timers.advance(60000);
  await flush();
  assert.equal(calls.length, 2);
});

test('restTicket returns the ticket of a 200 answer', async () => {
  const ticket = restTicket('http://test/api/ws-ticket', {
    fetch: async () => ({ ok: true, status: 200, json: async () => ({ ticket: 'abc', expiresIn: 30 }) }),
  });
  assert.equal(await ticket(), 'abc');
  const down = restTicket('http://test/api/ws-ticket', { fetch: async () => { throw new TypeError('down'); } });
  await assert.rejects(down(), { code: 'network' });
});

test('stop() during a ticket fetch opens nothing', async () => {
  let release;
  const { client } = newClient({ ticket: () => new Promise((resolve) => { release = resolve; }) });
  client.start();
  await flush();
  client.stop();
  release('t');
  await flush();
  assert.equal(FakeWebSocket.instances.length, 0);
});

// ---- rooms: resume, ordering ----

test('after a reconnect each joined room is joined again with since = the highest position applied', async () => {
  const { client, timers } = await joined();
  const pushes = [];
  const resumed = [];
  client.on('message', (p) => pushes.push(p.pos));
  client.on('resumed', (r) => resumed.push(r));
  FakeWebSocket.last.receive({ type: 'message', room: 'r1', pos: 11, message: message(4) });
  FakeWebSocket.last.receive({ type: 'reactions', room: 'r1', pos: 12, seq: 4, reactions: [] });
  assert.equal(client.position('r1'), 12);

  const ws = reconnect(timers);
  const [rejoin] = ws.requests('join');
  assert.deepEqual({ room: rejoin.room, since: rejoin.since }, { room: 'r1', since: 12 });
  ws.result(rejoin, { ...joinResult({ pos: 14, history: undefined, hasMore: undefined }), missed: [message(5)], resync: false });
  await flush();
  assert.equal(resumed.length, 1);
  assert.equal(resumed[0].reason, 'reconnect');
  assert.deepEqual(resumed[0].result.missed.map((m) => m.seq), [5]);
  assert.equal(client.position('r1'), 14);
  assert.deepEqual(client.rooms(), [{ room: 'r1', pos: 14 }]);
  assert.deepEqual(pushes, [11]);
});

test('pushes at or below the position applied are dropped as duplicates; others pass in order', async () => {
  const { client } = await joined();
  const seen = [];
  for (const type of ['message', 'message_edited', 'room_updated']) client.on(type, (p) => seen.push(`${type}@${p.pos}`));
  const ws = FakeWebSocket.last;
  ws.receive({ type: 'message', room: 'r1', pos: 9, message: message(3) }); // in the join result already
  ws.receive({ type: 'message', room: 'r1', pos: 10, message: message(3) });
  ws.receive({ type: 'message', room: 'r1', pos: 11, message: message(4) });
  ws.receive({ type: 'message_edited', room: 'r1', pos: 11, message: message(4) }); // a repeat
  ws.receive({ type: 'room_updated', room: 'r1', pos: 13, settings: {} });
  ws.receive({ type: 'member_joined', room: 'r1', user: { id: 'u3', name: 'Cy' } }); // no pos: passed on
  assert.deepEqual(seen, ['message@11', 'room_updated@13']);
  // An untracked room's pushes are passed on as they come.
  ws.receive({ type: 'message', room: 'other', pos: 1, message: message(1, { room: 'other' }) });
  assert.equal(seen.length, 3);
});

test('a message seq gap resumes the room from the position before the gap', async () => {
  const { client } = await joined();
  const resumed = [];
  client.on('resumed', (r) => resumed.push(r));
  const ws = FakeWebSocket.last;
  ws.receive({ type: 'message', room: 'r1', pos: 11, message: message(4) });
  assert.equal(ws.requests('join').length, 1, 'no gap yet');
  ws.receive({ type: 'message', room: 'r1', pos: 15, message: message(7) }); // 5 and 6 never came
  const rejoin = ws.requests('join')[1];
  assert.equal(rejoin.since, 11, 'everything after what was applied before the gap');
  ws.receive({ type: 'message', room: 'r1', pos: 16, message: message(8) });
  assert.equal(ws.requests('join').length, 2, 'one resume at a time');
  ws.result(rejoin, { ...joinResult({ pos: 16, history: undefined }), missed: [message(5), message(6), message(7), message(8)] });
  await flush();
  assert.equal(resumed[0].reason, 'gap');
  assert.deepEqual(resumed[0].result.missed.map((m) => m.seq), [5, 6, 7, 8]);
  assert.equal(client.position('r1'), 16);
  ws.receive({ type: 'message', room: 'r1', pos: 17, message: message(9) });
  assert.equal(ws.requests('join').length, 2, 'contiguous again');
});

test('resync replaces the held position; a room gone on resume is forgotten and reported', async () => {
  const { client, timers } = await joined();
  const lost = [];
  client.on('room_lost', (l) => lost.push(l));
  let ws = reconnect(timers);
  ws.result(ws.requests('join')[0], joinResult({ pos: 700, resync: true, history: [message(600)] }));
  await flush();
  assert.equal(client.position('r1'), 700);
  ws.receive({ type: 'message', room: 'r1', pos: 701, message: message(601) });
  assert.equal(ws.requests('join').length, 1, 'seq continues from the resync page: no gap');

  ws = reconnect(timers);
  ws.error(ws.requests('join')[0], 'banned', { until: 99 });
  await flush();
  assert.equal(lost.length, 1);
  assert.equal(lost[0].error.code, 'banned');
  assert.deepEqual(client.rooms(), []);
});

test('a resume refused for a while (overloaded) is tried again on the same connection', async () => {
  const { client, timers } = await joined();
  const ws = reconnect(timers);
  ws.error(ws.requests('join')[0], 'overloaded');
  await flush();
  timers.advance(5000);
  assert.equal(ws.requests('join').length, 2);
  assert.equal(ws.requests('join')[1].since, 10);
  assert.deepEqual(client.rooms(), [{ room: 'r1', pos: 10 }]);
});

test('being kicked, the room deleted, or leaving elsewhere stops resuming the room', async () => {
  const { client, timers } = await joined();
  const ws = FakeWebSocket.last;
  ws.receive({ type: 'moderation', room: 'r1', pos: 11, action: 'mute', actor: { id: 'u9' }, target: { id: 'u1' } });
  assert.equal(client.rooms().length, 1, 'a mute keeps the room');
  ws.receive({ type: 'moderation', room: 'r1', pos: 12, action: 'kick', actor: { id: 'u9' }, target: { id: 'u1' } });
  assert.deepEqual(client.rooms(), []);
  assert.equal(reconnect(timers).requests('join').length, 0);

  for (const push of [{ type: 'room_deleted', room: 'r2' },
    { type: 'member_left', room: 'r2', user: { id: 'u1', name: 'Ana' }, reason: 'left' }]) {
    const join = client.join('r2');
    const socket = FakeWebSocket.last;
    socket.result(socket.requests('join').at(-1), joinResult({ room: { id: 'r2', name: 'Two' } }));
    await join;
    socket.receive({ type: 'member_left', room: 'r2', user: { id: 'u1', name: 'Ana' }, reason: 'disconnected' });
    assert.equal(client.rooms().length, 1, 'my other tab dropping keeps the room');
    socket.receive(push);
    assert.deepEqual(client.rooms(), [], push.type);
  }
});

// ---- sends ----

test('a send survives a dropped connection: resent after the resume with the same clientMsgId, settled once', async () => {
  const { client, timers } = await joined();
  const done = [];
  const sending = client.send('r1', 'hello', { clientMsgId: 'c-1' });
  sending.then((m) => done.push(m.seq), (e) => done.push(e.code));
  let ws = FakeWebSocket.last;
  assert.deepEqual(ws.requests('send').map((s) => s.clientMsgId), ['c-1']);
  ws.close(1006); // the reply never came
  await flush();
  assert.deepEqual(done, [], 'a dropped connection does not fail the send');
  assert.deepEqual(client.pendingSends(), [{ room: 'r1', clientMsgId: 'c-1', text: 'hello' }]);

  timers.advance(60000);
  ws = FakeWebSocket.last;
  ws.welcome();
  assert.equal(ws.requests('send').length, 0, 'not before the room is resumed');
  ws.result(ws.requests('join')[0], { ...joinResult({ history: undefined }), missed: [] });
  await flush();
  const [again] = ws.requests('send');
  assert.equal(again.clientMsgId, 'c-1');
  assert.equal(again.text, 'hello');
  const stored = message(4, { author: { id: 'u1', name: 'Ana' }, clientMsgId: 'c-1', text: 'hello' });
  ws.receive({ type: 'message', room: 'r1', pos: 11, message: stored }); // its push comes first
  ws.result(again, { message: stored });
  await flush();
  assert.deepEqual(done, [4], 'settled once');
  assert.deepEqual(client.pendingSends(), []);
});

test('a send stored before the drop is settled by the resume result that holds it, not sent twice', async () => {
  const { client, timers } = await joined();
  const sending = client.send('r1', 'hello', { clientMsgId: 'c-2' });
  const ws = reconnect(timers);
  const stored = message(4, { author: { id: 'u1', name: 'Ana' }, clientMsgId: 'c-2', text: 'hello' });
  ws.result(ws.requests('join')[0], { ...joinResult({ pos: 11, history: undefined }), missed: [stored] });
  assert.equal((await sending).seq, 4);
  assert.equal(ws.requests('send').length, 0);
});

test('sends written while offline go out in order after the resume; a second call with the same id is the same send', async () => {
  const { client, timers } = await joined();
  FakeWebSocket.last.close(1006);
  const a = client.send('r1', 'one', { clientMsgId: 'c-a' });
  const b = client.send('r1', 'two', { clientMsgId: 'c-b' });
  assert.equal(client.send('r1', 'one', { clientMsgId: 'c-a' }), a);
  timers.advance(60000);
  const ws = FakeWebSocket.last;
  ws.welcome();
  ws.result(ws.requests('join')[0], { ...joinResult({ history: undefined }), missed: [] });
  await flush();
  const sends = ws.requests('send');
  assert.deepEqual(sends.map((s) => s.text), ['one', 'two']);
  ws.result(sends[1], { message: message(5, { text: 'two' }) });
  ws.result(sends[0], { message: message(4, { text: 'one' }) });
  assert.deepEqual([(await a).seq, (await b).seq], [4, 5]);
});

test('a refused send rejects with the server code; a reply timeout resends on the same connection', async () => {
  const { client, timers } = await joined({ requestTimeoutMs: 1000 });
  const ws = FakeWebSocket.last;
  const refused = client.send('r1', 'spam', { clientMsgId: 'c-r' });
  ws.error(ws.requests('send')[0], 'rate_limited', { retryAfterMs: 800 });
  await assert.rejects(refused, (e) => e.code === 'rate_limited' && e.retryAfterMs === 800);

  const slow = client.send('r1', 'slow', { clientMsgId: 'c-s' });
  timers.advance(1000);
  await flush();
  const attempts = ws.requests('send').filter((s) => s.clientMsgId === 'c-s');
  assert.equal(attempts.length, 2, 'tried again with the same clientMsgId');
  ws.result(attempts[0], { message: message(4, { text: 'slow' }) }); // the first attempt's late reply
  ws.result(attempts[1], { message: message(4, { text: 'slow' }) });
  assert.equal((await slow).seq, 4);
});

test('sendTimeoutMs, cancelSend, leave and stop settle pending sends', async () => {
  const { client, timers } = await joined({ sendTimeoutMs: 30000 });
  FakeWebSocket.last.close(1006);
  const late = client.send('r1', 'late');
  const cancelled = client.send('r1', 'never', { clientMsgId: 'c-x' });
  assert.equal(client.cancelSend('c-x'), true);
  await assert.rejects(cancelled, { code: 'cancelled' });
  timers.advance(30000);
  await assert.rejects(late, { code: 'timeout' });

  const kept = client.send('r1', 'kept');
  client.stop({ failSends: true });
  await assert.rejects(kept, { code: 'closed' });

  client.start();
  FakeWebSocket.last.welcome();
  const ws = FakeWebSocket.last;
  const left = client.send('r1', 'bye');
  ws.close(1006);
  timers.advance(5000);
  FakeWebSocket.last.welcome();
  const leaving = client.leave('r1');
  FakeWebSocket.last.result(FakeWebSocket.last.requests('leave')[0], {});
  await leaving;
  await assert.rejects(left, { code: 'cancelled' });
  assert.deepEqual(client.rooms(), []);
});

test('a send to a room not joined through the client is one plain attempt', async () => {
  const { client } = newClient();
  client.start();
  FakeWebSocket.last.welcome();
  const plain = client.send('elsewhere', 'hi', { clientMsgId: 'c-p' });
  FakeWebSocket.last.close(1006);
  await assert.rejects(plain, { code: 'disconnected' });
});
