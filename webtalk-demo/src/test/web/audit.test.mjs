// Node checks of the chat UI's audit log sentences (js/audit.js): every action in both languages,
// names from the lookup, reasons, ban and mute ends, and room settings.
//   node --test webtalk-demo/src/test/web/

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';

import { auditIds, auditSentence, settingsSummary } from '../../main/resources/web/js/audit.js';
import { formatUntil } from '../../main/resources/web/js/format.js';
import { setLanguage } from '../../main/resources/web/js/i18n.js';

const ANA = { id: 'g-ana', name: 'Ana' };
const BO = { id: 'g-bo' };
const names = (id) => ({ 'g-bo': 'Bo' })[id];
const entry = (action, fields = {}) => ({ id: 1, action, actor: ANA, target: BO, at: 1764028800000, ...fields });

afterEach(() => setLanguage('en'));

test('each action reads as an English sentence naming actor and target', () => {
  setLanguage('en');
  const until = 1764032400000;
  assert.equal(auditSentence(entry('kick'), names), 'Ana removed Bo');
  assert.equal(auditSentence(entry('ban'), names), 'Ana banned Bo for good');
  assert.equal(auditSentence(entry('ban', { until }), names), `Ana banned Bo until ${formatUntil(until)}`);
  assert.equal(auditSentence(entry('unban'), names), 'Ana lifted the ban on Bo');
  assert.equal(auditSentence(entry('mute', { until }), names), `Ana muted Bo until ${formatUntil(until)}`);
  assert.equal(auditSentence(entry('unmute'), names), 'Ana unmuted Bo');
  assert.equal(auditSentence(entry('set_role', { role: 'moderator' }), names), 'Ana made Bo a moderator');
  assert.equal(auditSentence(entry('set_role', { role: 'member' }), names), 'Ana made Bo a member');
  assert.equal(auditSentence(entry('transfer_ownership'), names), 'Ana handed the room to Bo');
  assert.equal(auditSentence(entry('delete_message', { seq: 42 }), names), 'Ana deleted message #42 by Bo');
});

test('a reason is quoted after the sentence, exactly as typed', () => {
  setLanguage('en');
  assert.equal(auditSentence(entry('kick', { reason: '<b>calm</b> down' }), names),
    'Ana removed Bo — “<b>calm</b> down”');
});

test('a target nobody can name shows its id; a missing target or actor reads as someone', () => {
  setLanguage('en');
  assert.equal(auditSentence(entry('kick', { target: { id: 'g-gone' } }), names), 'Ana removed g-gone');
  assert.equal(auditSentence(entry('kick', { target: { id: 'g-gone' } })), 'Ana removed g-gone', 'no lookup given');
  assert.equal(auditSentence(entry('kick', { target: undefined }), names), 'Ana removed someone');
});

test('the name the server kept with the entry names a target who left; ids go to the tooltip', () => {
  setLanguage('en');
  const gone = { target: { id: 'g-gone', name: 'Cy' } };
  assert.equal(auditSentence(entry('ban', gone), names), 'Ana banned Cy for good');
  assert.equal(auditIds(entry('ban', gone), names), 'Ana: g-ana · Cy: g-gone');
  assert.equal(auditIds(entry('kick'), names), 'Ana: g-ana · Bo: g-bo', 'named by the lookup');
  assert.equal(auditIds(entry('kick', { target: { id: 'g-x' } }), names), 'Ana: g-ana · g-x');
});

test('room settings changes list slow mode, lock and topic', () => {
  setLanguage('en');
  const on = entry('set_room', { target: undefined, settings: { slowMode: 30, locked: true, topic: 'Be kind' } });
  assert.equal(auditSentence(on, names),
    'Ana changed the room settings: slow mode 30 seconds, locked, topic “Be kind”');
  assert.equal(settingsSummary({ slowMode: 1, locked: false, topic: null }), 'slow mode 1 second, open to all, no topic');
  assert.equal(settingsSummary({ slowMode: 0, locked: false, topic: '' }), 'no slow mode, open to all, no topic');
});

test('an action this client does not know still shows who did what', () => {
  setLanguage('en');
  assert.equal(auditSentence(entry('pin_message'), names), 'Ana: pin_message');
});

test('sentences follow the UI language', () => {
  setLanguage('pt-BR');
  const until = 1764032400000;
  assert.equal(auditSentence(entry('ban'), names), 'Ana baniu Bo para sempre');
  assert.equal(auditSentence(entry('mute', { until, reason: 'spam' }), names),
    `Ana silenciou Bo até ${formatUntil(until)} — “spam”`);
  assert.equal(auditSentence(entry('transfer_ownership'), names), 'Ana passou a sala para Bo');
  assert.equal(auditSentence(entry('set_room', { target: undefined, settings: { slowMode: 2, locked: false, topic: null } })),
    'Ana mudou as configurações da sala: modo lento de 2 segundos, aberta a todos, sem assunto');
  assert.equal(auditSentence(entry('kick', { target: undefined })), 'Ana expulsou alguém');
});
