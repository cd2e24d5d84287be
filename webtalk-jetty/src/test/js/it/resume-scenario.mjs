// Run by ClientInNodeIT against a real Jetty server: `node resume-scenario.mjs <http base URL>`.
// Two users in one room; Ana's connection is cut while her message is on its way, Bo writes while she is
// gone, Ana writes more while offline. After the reconnect Ana's copy, built only from what the client
// hands over (join result, pushes, `resumed`), must hold every message exactly once, in seq order with no
// gap; her sends settle once each. Prints `RESULT <json>` for the Java side and exits non-zero on failure.

import assert from 'node:assert/strict';

import { WebTalkClient, restTicket } from '../../../main/resources/META-INF/resources/webtalk/client.js';
import { MiniWebSocket } from '../support/mini-websocket.mjs';

const base = process.argv[2];
if (!base) throw new Error('usage: resume-scenario.mjs <http base URL>');
const deadline = setTimeout(() => {
  console.error('scenario timed out');
  process.exit(2);
}, 60_000);

function connect(token) {
  const sockets = [];
  class Tracked extends MiniWebSocket {
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  const client = new WebTalkClient({
    url: new URL('/ws', base).href,
    ticket: restTicket(new URL('/api/ws-ticket', base), { headers: { Authorization: `Bearer ${token}` } }),
    WebSocket: Tracked,
    minDelayMs: 100,
    maxDelayMs: 400,
  });
  const welcomed = new Promise((resolve) => client.on('welcome', resolve));
  client.start();
  return { client, welcomed, sockets };
}

/** A copy of one room kept the way an app would: by seq, from join results, pushes and resumes. */
function copyOf(client, room) {
  const copy = { messages: new Map(), pushPositions: [], resumes: [] };
  const take = (list) => { for (const m of list || []) copy.messages.set(m.seq, m); };
  client.on('message', (push) => {
    if (push.room !== room) return;
    copy.pushPositions.push(push.pos);
    take([push.message]);
  });
  client.on('resumed', ({ room: id, result, reason }) => {
    if (id !== room) return;
    copy.resumes.push({ reason, resync: Boolean(result.resync), missed: (result.missed || []).map((m) => m.seq) });
    if (result.resync) copy.messages.clear();
    take(result.missed || result.history);
  });
  copy.take = take;
  return copy;
}

const until = async (what, test) => {
  for (let i = 0; i < 600; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
};

const ana = connect('u-ana:Ana');
const bo = connect('u-bo:Bo');
await Promise.all([ana.welcomed, bo.welcomed]);

const { room } = await ana.client.request('create_room', { name: 'Resume in Node' });
const anaCopy = copyOf(ana.client, room.id);
const boCopy = copyOf(bo.client, room.id);
anaCopy.take((await ana.client.join(room.id)).history);
boCopy.take((await bo.client.join(room.id)).history);

await ana.client.send(room.id, 'one');
await until('Bo to see one', () => boCopy.messages.size === 1);

// Cut Ana's connection right after her send went out: stored or not, it must end up stored once.
const disconnected = new Promise((resolve) => ana.client.on('state', (s) => s.state !== 'connected' && resolve()));
const two = ana.client.send(room.id, 'two', { clientMsgId: 'ana-two' });
const cut = ana.sockets.at(-1);
assert.equal(cut.readyState, MiniWebSocket.OPEN, 'Ana holds an open socket');
cut.destroy();
await disconnected;

// While Ana is away, Bo writes; Ana writes too (queued by her client).
await bo.client.send(room.id, 'three');
await bo.client.send(room.id, 'four');
const five = ana.client.send(room.id, 'five', { clientMsgId: 'ana-five' });

const [twoStored, fiveStored] = await Promise.all([two, five]);
await until('Bo to see five', () => [...boCopy.messages.values()].some((m) => m.text === 'five'));
await until('Ana to see five', () => [...anaCopy.messages.values()].some((m) => m.text === 'five'));

function check(copy, who) {
  const seqs = [...copy.messages.keys()].sort((a, b) => a - b);
  assert.deepEqual(seqs, [1, 2, 3, 4, 5], `${who}: every seq once, no gap`);
  const texts = seqs.map((s) => copy.messages.get(s).text);
  assert.deepEqual([...texts].sort(), ['five', 'four', 'one', 'three', 'two'], `${who}: each text once`);
  for (let i = 1; i < copy.pushPositions.length; i++) {
    assert.ok(copy.pushPositions[i] > copy.pushPositions[i - 1], `${who}: pushes in pos order, none repeated`);
  }
  return texts;
}
const anaTexts = check(anaCopy, 'Ana');
const boTexts = check(boCopy, 'Bo');
assert.deepEqual(anaTexts, boTexts, 'both copies agree');
assert.ok(anaCopy.resumes.some((r) => r.reason === 'reconnect'), 'Ana was resumed after the reconnect');
assert.equal(twoStored.text, 'two');
assert.equal(fiveStored.text, 'five');
assert.deepEqual(ana.client.pendingSends(), []);

const history = await bo.client.request('history', { room: room.id });
assert.deepEqual(history.messages.map((m) => m.text), anaTexts, 'the store holds the same');

console.log(`RESULT ${JSON.stringify({ room: room.id, texts: anaTexts, resumes: anaCopy.resumes, anaSockets: ana.sockets.length })}`);
ana.client.stop();
bo.client.stop();
clearTimeout(deadline);
