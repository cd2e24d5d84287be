// Sanity checks for the admin panel's DOM-free formatting: node --test webtalk-demo/src/test/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { activityText, bytes, duration } from '../../main/resources/web/js/admin/format.js';

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
