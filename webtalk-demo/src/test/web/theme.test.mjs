// Node checks of the theme switch's logic (js/theme.js) and where the choice is kept (js/storage.js).
//   node --test webtalk-demo/src/test/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { THEMES, applyTheme, normalizeTheme } from '../../main/resources/web/js/theme.js';
import { createStorage } from '../../main/resources/web/js/storage.js';

/** The part of an element applyTheme uses. */
function fakeRoot() {
  const attributes = new Map();
  return {
    attributes,
    setAttribute: (name, value) => attributes.set(name, value),
    removeAttribute: (name) => attributes.delete(name),
  };
}

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), removeItem: (k) => map.delete(k) };
}

test('light and dark are forced on <html>; system leaves it to prefers-color-scheme', () => {
  const root = fakeRoot();
  assert.equal(applyTheme('dark', root), 'dark');
  assert.equal(root.attributes.get('data-theme'), 'dark');
  assert.equal(applyTheme('light', root), 'light');
  assert.equal(root.attributes.get('data-theme'), 'light');
  assert.equal(applyTheme('system', root), 'system');
  assert.equal(root.attributes.has('data-theme'), false);
  assert.equal(applyTheme('"><script>', root), 'system', 'anything else is the system theme');
  assert.equal(root.attributes.has('data-theme'), false);
  assert.deepEqual(THEMES, ['system', 'light', 'dark']);
  assert.equal(normalizeTheme(null), 'system');
});

test('the choice is remembered, survives "Change name", and system is remembered as no choice', () => {
  const local = memoryStorage();
  const storage = createStorage(local, memoryStorage());
  assert.equal(storage.theme(), null);
  storage.setTheme('dark');
  assert.equal(createStorage(local, memoryStorage()).theme(), 'dark', 'a new page reads it back');
  storage.clear();
  assert.equal(storage.theme(), 'dark', 'signing out keeps it, like the language');
  storage.setTheme('system');
  assert.equal(storage.theme(), null);
  storage.setTheme('neon');
  assert.equal(storage.theme(), null);
});
