// Sanity checks for the demo UI's DOM-free modules (store, formatting, storage). The socket layer is
// the WebTalk JS client, tested with webtalk-jetty (src/test/js/client.test.mjs).
// Node's built-in test runner only, no dependencies:
//   node --test webtalk-demo/src/test/web/
// The DOM views are exercised by the browser tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { GROUP_WITHIN_MS, RoomState, Store, TYPING_TTL_MS } from '../../main/resources/web/js/store.js';
import { formatTime, formatUntil, initials, linkify, roomCounts, typingText } from '../../main/resources/web/js/format.js';
import { createStorage } from '../../main/resources/web/js/storage.js';
import { describeError, isConnectionError } from '../../main/resources/web/js/errors.js';

const message = (seq, extra = {}) => ({
  room: 'r1', seq, author: { id: 'u2', name: 'Bo' }, kind: 'text', text: `m${seq}`,
  createdAt: 1_700_000_000_000 + seq, deleted: false, ...extra,
});

// ---- store ----

function joinedStore() {
  const store = new Store();
  store.setMe({ id: 'u1', name: 'Ana', admin: false });
  const state = store.applyJoin({
    room: { id: 'r1', name: 'General', hasPassword: false, ownerId: 'u1', members: 2, online: 1 },
    role: 'owner',
    members: [{ id: 'u1', name: 'Ana', role: 'owner', online: true }, { id: 'u2', name: 'Bo', role: 'member', online: false }],
    history: [message(8), message(9), message(10)],
    hasMore: true,
    pos: 17,
  });
  return { store, state };
}

test('join result fills the room; search filters the list', () => {
  const { store, state } = joinedStore();
  store.upsertRoom({ id: 'r2', name: 'Study group', members: 1, online: 0 });
  assert.deepEqual(state.seqs, [8, 9, 10]);
  assert.equal(state.hasMore, true);
  assert.equal(store.canDeleteRoom(state), true);
  store.filter = 'STUDY';
  assert.deepEqual(store.visibleRooms().map((r) => r.id), ['r2']);
});

test('messages are keyed by seq; a confirmed send settles its pending entry; deletes stick', () => {
  const { state } = joinedStore();
  state.addPending('c-1', 'hello');
  assert.equal(state.pending.size, 1);
  const added = state.addMessages([message(11, { author: { id: 'u1', name: 'Ana' }, clientMsgId: 'c-1', text: 'hello' })]);
  assert.equal(added.length, 1);
  assert.equal(state.pending.size, 0);
  assert.equal(state.addMessages([message(11)]).length, 0, 'duplicate push is not new');
  assert.equal(state.markDeleted(9), true);
  state.addMessages([message(9)]); // a stale page must not resurrect the text
  assert.equal(state.messages.get(9).deleted, true);
});

test('a rejoin resumes from the stream position held: changed messages merge, resync starts over', () => {
  const { store, state } = joinedStore();
  assert.equal(state.pos, 17, 'the position of the join result');
  state.advance(19);
  state.advance(18); // an older push that came late does not move the position back
  assert.equal(state.pos, 19);
  state.addPending('c-9', 'waiting');
  const base = { room: state.room, role: 'owner', members: [] };
  store.applyJoin({ ...base, pos: 25, resync: false, missed: [
    message(8, { text: 'eight, edited', editedAt: 5000 }), message(9, { deleted: true, text: null }),
    message(11), message(12, { deleted: true, text: null })] });
  assert.deepEqual(state.seqs, [8, 9, 10, 11, 12]);
  assert.equal(state.messages.get(8).text, 'eight, edited', 'an edit of a message held is applied');
  assert.equal(state.messages.get(9).deleted, true, 'so is a delete of one');
  assert.equal(state.messages.get(12).deleted, true);
  assert.equal(state.hasMore, true, 'a resume keeps what is known about older pages');
  assert.equal(state.pos, 25);
  store.applyJoin({ ...base, pos: 3, history: [message(40), message(41)], hasMore: true, resync: true });
  assert.deepEqual(state.seqs, [40, 41], 'a resync drops the held copy');
  assert.equal(state.pos, 3, 'and its position');
  assert.equal(state.pending.size, 1, 'unsent messages survive a resync');
  assert.equal(state.newestGap(), null);
});

test('edits: a later state wins over an earlier one, and a delete over both', () => {
  const { state } = joinedStore();
  assert.equal(state.applyEdited(message(9, { text: 'nine v2', editedAt: 2000 })), true);
  assert.equal(state.applyEdited(message(9, { text: 'nine v2', editedAt: 2000 })), false, 'the same edit twice');
  assert.equal(state.applyEdited(message(9, { text: 'nine v1', editedAt: 1000 })), false, 'an older edit, late');
  state.addMessages([message(9)]); // a page fetched before the edit
  assert.equal(state.messages.get(9).text, 'nine v2');
  assert.equal(state.applyEdited(message(77, { text: 'not held', editedAt: 3000 })), false);
  assert.equal(state.messages.has(77), false, 'an edit outside the held range waits for its page');
  const before = state.timeline().find((e) => e.key === 'm:9').version;
  state.applyEdited(message(9, { text: 'nine v3', editedAt: 3000 }));
  assert.notEqual(state.timeline().find((e) => e.key === 'm:9').version, before, 'the view rebuilds an edited message');
  state.markDeleted(9);
  assert.equal(state.applyEdited(message(9, { text: 'nine v4', editedAt: 4000 })), false, 'deleted stays deleted');
  assert.equal(state.messages.get(9).deleted, true);
});

test('gaps are found newest first and can be dropped', () => {
  const { state } = joinedStore();
  state.addMessages([message(3), message(4), message(20)]);
  assert.deepEqual(state.newestGap(), { before: 20, limit: 9 });
  state.addMessages([11, 12, 13, 14, 15, 16, 17, 18, 19].map((s) => message(s)));
  assert.deepEqual(state.newestGap(), { before: 8, limit: 3 });
  state.dropBefore(8);
  assert.equal(state.newestGap(), null);
  assert.equal(state.minSeq, 8);
  assert.equal(state.hasMore, true);
});

test('timeline orders days, messages, notices and pending sends with unique keys', () => {
  const { state } = joinedStore();
  state.addNotice('Bo joined the room', 1_700_000_000_010);
  state.addMessages([message(11)]);
  state.addPending('c-2', 'on its way', 1_700_000_000_012);
  const kinds = state.timeline().map((e) => e.key);
  assert.deepEqual(kinds, ['d:' + kinds[0].slice(2), 'm:8', 'm:9', 'm:10', 'n:1', 'm:11', 'p:c-2']);
  assert.equal(new Set(kinds).size, kinds.length);
});

test('presence: join, disconnect and leave update members and counts', () => {
  const { state } = joinedStore();
  assert.equal(state.memberJoined({ id: 'u2', name: 'Bo', role: 'member' }), false, 'known member came online');
  assert.equal(state.room.online, 2);
  assert.equal(state.memberJoined({ id: 'u3', name: 'Cy', role: 'member' }), true, 'a new member');
  assert.equal(state.room.members, 3);
  state.memberLeft({ id: 'u2', name: 'Bo' }, 'disconnected');
  assert.equal(state.members.get('u2').online, false);
  state.memberLeft({ id: 'u3', name: 'Cy' }, 'left');
  assert.equal(state.members.has('u3'), false);
  assert.deepEqual(state.sortedMembers().map((m) => m.id), ['u1', 'u2']);
});

test('members: a big room lists a first page, and further pages add who is not held yet', () => {
  const { state } = joinedStore();
  state.setMembers([{ id: 'u1', name: 'Ana', role: 'owner', online: true }], 'cursor-1');
  assert.equal(state.membersNext, 'cursor-1');
  state.memberJoined({ id: 'u2', name: 'Bo', role: 'member' }); // a push between two pages
  state.addMembers([{ id: 'u2', name: 'Bo', role: 'member', online: false }, { id: 'u3', name: 'Cy', role: 'member', online: false }], null);
  assert.equal(state.members.get('u2').online, true, 'the push is newer than the page');
  assert.deepEqual(state.sortedMembers().map((m) => m.id), ['u1', 'u2', 'u3']);
  assert.equal(state.membersNext, null, 'that was everyone');
});

test('typing notices expire', () => {
  const state = new RoomState({ id: 'r1', name: 'x' }, 'u1');
  state.setTyping({ id: 'u2', name: 'Bo' }, 1000);
  assert.deepEqual(state.typingNames(1000 + TYPING_TTL_MS - 1), ['Bo']);
  assert.deepEqual(state.typingNames(1000 + TYPING_TTL_MS), []);
});

// ---- format, errors, storage ----

test('formatting helpers', () => {
  assert.equal(typingText([]), '');
  assert.equal(typingText(['Ana']), 'Ana is typing…');
  assert.equal(typingText(['Ana', 'Bo']), 'Ana and Bo are typing…');
  assert.equal(typingText(['Ana', 'Bo', 'Cy']), 'Several people are typing…');
  assert.equal(initials('ana maria lopez'), 'AL');
  assert.equal(initials(''), '?');
  assert.equal(roomCounts({ members: 1, online: 0 }), '1 member · 0 online');
  assert.deepEqual(linkify('see https://a.dev/x?y=1. and javascript:alert(1)'), [
    { text: 'see ' }, { text: 'https://a.dev/x?y=1', href: 'https://a.dev/x?y=1' }, { text: '. and javascript:alert(1)' },
  ]);
});

test('error texts and connection errors', () => {
  assert.equal(describeError({ code: 'wrong_password' }), 'Wrong room password.');
  assert.equal(describeError({ code: 'invalid', message: "'room' is required" }), "'room' is required");
  assert.equal(isConnectionError({ code: 'disconnected' }), true);
  assert.equal(isConnectionError({ code: 'forbidden' }), false);
});

test('storage keeps the session and survives broken storage', () => {
  const backing = new Map();
  const fake = {
    getItem: (k) => (backing.has(k) ? backing.get(k) : null),
    setItem: (k, v) => backing.set(k, String(v)),
    removeItem: (k) => backing.delete(k),
  };
  const storage = createStorage(fake, fake);
  storage.setSession('tok', { id: 'u1', name: 'Ana' });
  storage.setRooms(['r1', 'r2']);
  assert.equal(storage.token(), 'tok');
  assert.deepEqual(storage.user(), { id: 'u1', name: 'Ana' });
  assert.deepEqual(storage.rooms(), ['r1', 'r2']);
  storage.setNotice('expired');
  storage.clear();
  assert.equal(storage.token(), null);
  assert.equal(storage.takeNotice(), 'expired');
  assert.equal(storage.takeNotice(), null);

  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() {} };
  const fallback = createStorage(broken, broken);
  fallback.setSession('x', {});
  assert.equal(fallback.token(), null);
  assert.deepEqual(fallback.rooms(), []);
});

// ---- moderation ----

test('moderation menus follow the permission table: moderators act on members only', () => {
  const store = new Store();
  store.me = { id: 'mod', name: 'Mo', admin: false };
  const state = new RoomState({ id: 'r1', name: 'x', ownerId: 'own' }, 'mod');
  state.role = 'moderator';
  assert.equal(store.canActOn(state, { id: 'bo', role: 'member' }), true);
  assert.equal(store.canActOn(state, { id: 'own', role: 'owner' }), false);
  assert.equal(store.canActOn(state, { id: 'mo2', role: 'moderator' }), false);
  assert.equal(store.canActOn(state, { id: 'mod', role: 'moderator' }), false, 'not on oneself');
  assert.equal(store.canSetRole(state, { id: 'bo', role: 'member' }), false, 'only owners set roles');

  store.me = { id: 'own', name: 'Ow', admin: false };
  state.role = 'owner';
  assert.equal(store.canActOn(state, { id: 'mo2', role: 'moderator' }), true);
  assert.equal(store.canSetRole(state, { id: 'mo2', role: 'moderator' }), true);

  store.me = { id: 'bo', name: 'Bo', admin: false };
  state.role = 'member';
  assert.equal(store.canActOn(state, { id: 'cy', role: 'member' }), false);
});

test('a kicked or banned member leaves the member list; muted and banned errors say until when', () => {
  const state = new RoomState({ id: 'r1', name: 'x', members: 2, online: 2 }, 'u1');
  state.setMembers([{ id: 'u1', name: 'Ana', role: 'owner', online: true }, { id: 'u2', name: 'Bo', role: 'member', online: true }]);
  state.memberLeft({ id: 'u2', name: 'Bo' }, 'banned');
  assert.equal(state.members.has('u2'), false);
  assert.equal(state.room.members, 1);

  const until = Date.UTC(2030, 0, 1, 12, 0);
  const muted = describeError({ code: 'muted', message: 'x', until });
  assert.match(muted, /muted in this room until/);
  assert.equal(describeError({ code: 'banned', message: 'x', until: null }), 'You are banned from this room.');
  assert.equal(describeError({ code: 'rejected', message: 'The message contains a blocked word' }),
    'The message contains a blocked word');
});

test('reactions: my own frame says which are mine; a shared frame keeps what I held', () => {
  const { state } = joinedStore();
  assert.equal(state.applyReactions(9, [{ emoji: '👍', count: 1, mine: true }]), true);
  state.applyReactions(9, [{ emoji: '👍', count: 3 }, { emoji: '🎉', count: 1 }]); // others reacted
  assert.deepEqual(state.messages.get(9).reactions, [
    { emoji: '👍', count: 3, mine: true }, { emoji: '🎉', count: 1, mine: false }]);
  state.applyReactions(9, []);
  assert.equal('reactions' in state.messages.get(9), false, 'none left');
  assert.equal(state.applyReactions(77, [{ emoji: '👍', count: 1 }]), false, 'not held');
  state.applyReactions(10, [{ emoji: '❤️', count: 2, mine: true }]);
  state.applyEdited(message(10, { text: 'ten, edited', editedAt: 900 }));
  assert.deepEqual(state.messages.get(10).reactions, [{ emoji: '❤️', count: 2, mine: true }], 'an edit keeps reactions');
});

test('pins: a pinned push marks the message and keeps the list', () => {
  const { store, state } = joinedStore();
  state.applyPinned({ seq: 9, pinned: true, by: { id: 'u1' }, message: message(9) });
  assert.equal(state.messages.get(9).pinned, true);
  assert.deepEqual(state.pins.map((p) => p.seq), [9]);
  state.applyPinned({ seq: 9, pinned: false, message: message(9) });
  assert.equal(state.messages.get(9).pinned, undefined);
  assert.deepEqual(state.pins, []);
  store.applyJoin({ room: state.room, role: 'owner', members: [], pos: 30, missed: [],
    pins: [{ seq: 8, by: 'u1', at: 1, message: message(8) }] });
  assert.deepEqual(state.pins.map((p) => p.seq), [8], 'a join brings the list');
});

test('read state: counts from the server, my own messages and reading elsewhere clear them', () => {
  const { store, state } = joinedStore();
  store.setRooms([{ id: 'r1', name: 'General', members: 2, online: 1, unread: 4, mentions: 1 }]);
  assert.equal(state.unread, 4);
  assert.equal(state.mentionCount, 1);
  state.applyRead({ seq: 12, unread: 1, mentions: 0 });
  assert.equal(state.readSeq, 12);
  assert.equal(state.unread, 1);
  state.applyRead({ seq: 11, unread: 3, mentions: 2 }); // an older push, late: ignored
  assert.equal(state.unread, 1);
  assert.equal(state.mentionsMe(message(20, { author: { id: 'u2' }, mentions: ['u1'] })), true);
  assert.equal(state.mentionsMe(message(21, { author: { id: 'u2' }, mentionsRoom: true })), true);
  assert.equal(state.mentionsMe(message(22, { author: { id: 'u1' }, mentionsRoom: true })), false, 'not my own');
  assert.equal(state.mentionsMe(message(23, { author: { id: 'u2' }, mentions: ['u9'] })), false);
});

test('the new-messages line goes before the first message after where I left off', () => {
  const { state } = joinedStore();
  state.dividerSeq = 8;
  const keys = state.timeline().map((e) => e.key);
  assert.deepEqual(keys.filter((k) => k.startsWith('m:') || k === 'new-messages'), ['m:8', 'new-messages', 'm:9', 'm:10']);
  state.dividerSeq = 10;
  assert.equal(state.timeline().some((e) => e.kind === 'divider'), false, 'nothing after it: no line');
});

test('the end of a ban or mute reads short: a time today, a weekday this week, a short date later', () => {
  const now = new Date(2026, 11, 3, 12, 48).getTime(); // a Thursday, local time
  const tenMinutes = now + 10 * 60000;
  assert.equal(formatUntil(tenMinutes, now), formatTime(tenMinutes));
  assert.doesNotMatch(formatUntil(tenMinutes, now), /2026|Thursday|December/);
  assert.match(formatUntil(now + 86400000, now), /^Fri/);
  assert.match(formatUntil(now + 20 * 86400000, now), /^Dec 23/);
  assert.match(formatUntil(new Date(2027, 5, 1, 9, 0).getTime(), now), /2027/);
  assert.equal(formatUntil(null, now), '');
});

test('what stops me sending: a lock and slow mode for plain members, a rate limit for anyone', () => {
  const { state } = joinedStore();
  const now = 1_800_000_000_000;
  assert.equal(state.sendBlock(false, now), null);
  state.settings = { slowMode: 0, locked: true, topic: null };
  assert.deepEqual(state.sendBlock(false, now), { reason: 'locked' });
  assert.equal(state.sendBlock(true, now), null, 'moderators write in a locked room');
  state.settings = { slowMode: 30, locked: false, topic: null };
  assert.equal(state.sendBlock(false, now), null, 'nothing sent yet');
  state.noteSent(now - 10000);
  assert.deepEqual(state.sendBlock(false, now), { reason: 'slow', until: now + 20000 });
  assert.equal(state.sendBlock(true, now), null, 'moderators are exempt from slow mode');
  assert.equal(state.sendBlock(false, now + 20000), null);
  state.noteRetryAfter(45000, now);
  assert.deepEqual(state.sendBlock(true, now), { reason: 'wait', until: now + 45000 }, 'a rate limit holds anyone');
  assert.deepEqual(state.sendBlock(false, now), { reason: 'wait', until: now + 45000 });
});

test('after a join my newest held message starts slow mode, never later than now', () => {
  const store = new Store();
  store.setMe({ id: 'u2', name: 'Bo', admin: false });
  const later = Date.now() + 60000; // a server clock ahead of this one
  const state = store.applyJoin({
    room: { id: 'r1', name: 'General', hasPassword: false, ownerId: 'u1', members: 2, online: 2 },
    role: 'member', settings: { slowMode: 30, locked: false, topic: null }, members: [],
    history: [message(1), message(2, { createdAt: later })], hasMore: false, pos: 2,
  });
  assert.ok(state.lastSentAt > 0 && state.lastSentAt <= Date.now());
  const block = state.sendBlock(false);
  assert.equal(block.reason, 'slow');
  assert.ok(block.until - Date.now() <= 30000);
});

test('a room I was kicked or banned from stays known with its state until I join again or the ban ends', () => {
  const store = new Store();
  store.setMe({ id: 'g-me', name: 'Me' });
  const now = 1_000_000;
  store.setBarred('r1', 'kick', 12345);
  assert.deepEqual(store.barredState('r1', now), { reason: 'kick', until: null }, 'a kick has no end');
  store.setBarred('r2', 'ban', now + 600_000);
  assert.deepEqual(store.barredState('r2', now), { reason: 'ban', until: now + 600_000 });
  store.setBarred('r3', 'ban', null);
  assert.deepEqual(store.barredState('r3', now + 10 ** 12), { reason: 'ban', until: null }, 'for good');
  assert.equal(store.barredState('r2', now + 600_000), null, 'an ended ban is forgotten');
  assert.equal(store.barred.has('r2'), false);
  store.applyJoin({ room: { id: 'r1', name: 'One' }, members: [], history: [], pos: 0 });
  assert.equal(store.barredState('r1', now), null, 'joining again clears a kick');
});

test('consecutive messages of one author within a few minutes are grouped; anything between breaks the run', () => {
  const { state } = joinedStore(); // Bo's 8, 9, 10, a millisecond apart
  const ana = { id: 'u1', name: 'Ana' };
  const t0 = 1_700_000_000_000;
  state.addMessages([
    message(11, { author: ana, createdAt: t0 + 11 }),
    message(12, { author: ana, createdAt: t0 + 12 + GROUP_WITHIN_MS }), // too late after 11
    message(13, { author: ana, createdAt: t0 + 13 + GROUP_WITHIN_MS }),
    message(14, { kind: 'system', author: ana, createdAt: t0 + 14 + GROUP_WITHIN_MS }),
    message(15, { author: ana, createdAt: t0 + 15 + GROUP_WITHIN_MS }),
  ]);
  state.addNotice('Cy joined', t0 + 15 + GROUP_WITHIN_MS);
  state.addMessages([message(16, { author: ana, createdAt: t0 + 16 + GROUP_WITHIN_MS })]);
  const grouped = (entries) => Object.fromEntries(entries.filter((e) => e.kind === 'message')
    .map((e) => [e.message.seq, e.grouped]));
  assert.deepEqual(grouped(state.timeline()), {
    8: false, 9: true, 10: true, 11: false, 12: false, 13: true, 14: false, 15: false, 16: false,
  });
  // Whether a message is grouped is part of its version: it is drawn again when that changes.
  const before = state.timeline().find((e) => e.key === 'm:8').version;
  state.addMessages([message(7, { createdAt: t0 + 7 })]);
  const after = state.timeline();
  assert.equal(after.find((e) => e.key === 'm:8').grouped, true, 'an older page puts 8 in a run');
  assert.notEqual(after.find((e) => e.key === 'm:8').version, before);
});
