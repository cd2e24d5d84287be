// Sanity checks for the admin panel's DOM-free formatting: node --test webtalk-demo/src/test/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { activityText, auditIds, auditText, bytes, duration, restrictionText } from '../../main/resources/web/js/admin/format.js';
import { setLanguage } from '../../main/resources/web/js/i18n.js';

test('sizes are shown in binary units', () => {
  assert.equal(bytes(0), '0 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(16 * 1024 * 1024), '16 MiB');
});

test('uptime is shown in its two largest units', () => {
  assert.equal(duration(59), '59s');
  assert.equal(duration(3 * 3600 + 120), '3h 2m');
  assert.equal(duration(2 * 86400 + 3600), '2d 1h');
});

test('activity reads as a sentence and unknown types still show', () => {
  assert.equal(activityText({ type: 'room_created', actor: 'Ana', roomName: 'General' }), 'Ana created “General”');
  assert.equal(activityText({ type: 'room_expired', roomName: 'Old' }), '“Old” was deleted after inactivity');
  assert.equal(activityText({ type: 'something_new' }), 'something_new');
});

test('audit entries and restrictions read as sentences with names, the ids only in a tooltip', () => {
  const actor = { id: 'g-1', name: 'Ana' };
  const bo = { id: 'g-77', name: 'Bo' };
  assert.equal(auditText({ action: 'kick', actor, target: bo, reason: 'calm down' }), 'Ana kicked Bo — “calm down”');
  assert.equal(auditText({ action: 'ban', actor, target: bo }), 'Ana banned Bo for good');
  assert.equal(auditText({ action: 'ban', actor, target: { id: 'g-77' } }), 'Ana banned g-77 for good',
    'the id when the server knows no name');
  assert.equal(auditText({ action: 'set_role', actor, target: { id: 'g-2', name: 'Cy' }, role: 'moderator' }),
    'Ana made Cy a moderator');
  assert.equal(auditText({ action: 'set_room', actor, settings: { slowMode: 30, locked: true, topic: 'Be kind' } }),
    'Ana changed the room settings (slow mode 30s, locked, topic “Be kind”)');
  assert.equal(auditText({ action: 'future_thing', actor }), 'Ana: future_thing');
  assert.equal(auditIds({ action: 'ban', actor, target: bo }), 'Ana: g-1 · Bo: g-77');
  assert.equal(auditIds({ action: 'ban', actor, target: { id: 'g-9' } }), 'Ana: g-1 · g-9');
  assert.equal(auditIds({ action: 'set_room', actor }), 'Ana: g-1');
  assert.equal(restrictionText({ user: 'g-77', userName: 'Bo', kind: 'mute', reason: 'flood' }), 'Bo is muted for good — “flood”');
  assert.equal(restrictionText({ user: 'g-77', kind: 'mute' }), 'g-77 is muted for good');
  assert.match(restrictionText({ user: 'g-77', kind: 'ban', until: Date.UTC(2030, 0, 1) }), /^g-77 is banned until .+/);
});

test('the admin panel speaks Brazilian Portuguese: activity, audit sentences, bans', () => {
  setLanguage('pt-BR');
  try {
    const actor = { id: 'g-1', name: 'Ana' };
    assert.equal(activityText({ type: 'room_created', actor: 'Ana', roomName: 'Geral' }), 'Ana criou “Geral”');
    assert.equal(activityText({ type: 'room_expired', roomName: 'Velha' }), '“Velha” foi apagada por inatividade');
    assert.equal(auditText({ action: 'ban', actor, target: { id: 'g-77', name: 'Bo' }, reason: 'spam' }),
      'Ana baniu Bo para sempre — “spam”');
    assert.equal(auditText({ action: 'set_room', actor, settings: { slowMode: 0, locked: true } }),
      'Ana mudou as configurações da sala (sem modo lento, trancada)');
    assert.equal(restrictionText({ user: 'g-77', userName: 'Bo', kind: 'mute' }), 'Bo está silenciado para sempre');
  } finally {
    setLanguage('en');
  }
});
