// Node checks of the UI's DOM-free i18n and attention logic: catalog completeness, interpolation,
// plural forms, the language choice, mention detection and unread counting.
//   node --test webtalk-demo/src/test/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  CATALOGS, LANGUAGES, chooseLanguage, interpolate, language, setLanguage, t, translate,
} from '../../main/resources/web/js/i18n.js';
import { countsAsUnread, pageTitle, shouldNotify, totalUnread } from '../../main/resources/web/js/attention.js';
import { formatBytes, roomCounts, typingText } from '../../main/resources/web/js/format.js';
import { describeError } from '../../main/resources/web/js/errors.js';

const params = (template) => {
  const forms = typeof template === 'object' ? Object.values(template) : [template];
  return new Set(forms.flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
};

// ---- catalogs ----

test('every language in the switch has a catalog and every catalog is offered', () => {
  assert.deepEqual(LANGUAGES.map((l) => l.code).sort(), Object.keys(CATALOGS).sort());
});

for (const [code, catalog] of Object.entries(CATALOGS)) {
  if (code === 'en') continue;
  test(`${code} has exactly the keys of en, with the same parameters`, () => {
    const missing = Object.keys(CATALOGS.en).filter((key) => !(key in catalog));
    const extra = Object.keys(catalog).filter((key) => !(key in CATALOGS.en));
    assert.deepEqual(missing, [], `missing in ${code}`);
    assert.deepEqual(extra, [], `only in ${code}`);
    for (const key of Object.keys(CATALOGS.en)) {
      assert.deepEqual(params(catalog[key]), params(CATALOGS.en[key]), `parameters of ${key} in ${code}`);
      assert.equal(typeof catalog[key], typeof CATALOGS.en[key], `${key} is plural in both or in neither`);
    }
  });
}

for (const [code, catalog] of Object.entries(CATALOGS)) {
  test(`${code}: texts are non-empty and plural entries cover the language's plural categories`, () => {
    // The categories whole counts select ("many" in pt only concerns compact numbers like 1 mi).
    const rules = new Intl.PluralRules(code);
    const categories = new Set(['other', ...Array.from({ length: 1001 }, (_, n) => rules.select(n))]);
    for (const [key, value] of Object.entries(catalog)) {
      if (typeof value === 'string') {
        assert.ok(value.trim().length > 0, `${code} ${key} is empty`);
        continue;
      }
      for (const category of categories) assert.equal(typeof value[category], 'string', `${code} ${key} lacks "${category}"`);
    }
  });
}

test('every error code of the protocol has a text', () => {
  const codes = ['invalid', 'unknown_type', 'unauthorized', 'forbidden', 'wrong_password', 'not_member',
    'room_not_found', 'message_not_found', 'file_not_found', 'not_found', 'method_not_allowed', 'conflict',
    'too_large', 'unsupported_type', 'rate_limited', 'overloaded', 'internal',
    'network', 'timeout', 'disconnected', 'offline'];
  for (const code of codes) assert.ok(`error.${code}` in CATALOGS.en, code);
});

// ---- translation ----

test('interpolation fills {name} parameters and leaves unknown ones visible', () => {
  assert.equal(interpolate('Hi {name}, {name}!', { name: 'Ana' }), 'Hi Ana, Ana!');
  assert.equal(interpolate('{a} and {b}', { a: 1 }), '1 and {b}');
  assert.equal(interpolate('{count}', { count: 0 }), '0');
  assert.equal(translate('pt-BR', 'password.desc', { room: 'Geral' }), '“Geral” é protegida. Digite a senha para entrar.');
});

test('plural forms follow Intl.PluralRules, with an optional exact zero', () => {
  assert.equal(translate('en', 'rooms.members', { count: 1 }), '1 member');
  assert.equal(translate('en', 'rooms.members', { count: 2 }), '2 members');
  assert.equal(translate('en', 'rooms.members', { count: 0 }), '0 members');
  assert.equal(translate('pt-BR', 'rooms.members', { count: 1 }), '1 membro');
  assert.equal(translate('pt-BR', 'rooms.members', { count: 5 }), '5 membros');
  assert.equal(translate('pt-BR', 'rooms.members', { count: 0 }), '0 membros', 'pt says "one" for 0; the zero form wins');
  assert.equal(translate('pt-BR', 'rooms.unread', { count: 3 }), '3 mensagens não lidas');
});

test('unknown keys fall back to English, then to the key', () => {
  assert.equal(translate('xx', 'chat.today'), 'Today');
  assert.equal(translate('pt-BR', 'no.such.key'), 'no.such.key');
});

test('the language comes from the stored choice, else the browser preferences, else English', () => {
  assert.equal(chooseLanguage(null, ['pt-BR', 'en-US']), 'pt-BR');
  assert.equal(chooseLanguage(null, ['pt-PT']), 'pt-BR');
  assert.equal(chooseLanguage(null, ['PT']), 'pt-BR');
  assert.equal(chooseLanguage(null, ['de-DE', 'pt']), 'pt-BR', 'the first language we have wins');
  assert.equal(chooseLanguage(null, ['en-GB', 'pt-BR']), 'en');
  assert.equal(chooseLanguage(null, ['de-DE', 'fr']), 'en');
  assert.equal(chooseLanguage(null, []), 'en');
  assert.equal(chooseLanguage(null, undefined), 'en');
  assert.equal(chooseLanguage('en', ['pt-BR']), 'en', 'a stored choice beats the browser');
  assert.equal(chooseLanguage('tlh', ['pt-BR']), 'pt-BR', 'a stored language no longer offered is ignored');
});

test('switching the language changes texts, numbers and error messages', () => {
  try {
    assert.equal(setLanguage('pt-BR'), 'pt-BR');
    assert.equal(language(), 'pt-BR');
    assert.equal(t('auth.title'), 'Boas-vindas ao WebTalk');
    assert.equal(typingText(['Ana', 'Bo']), 'Ana e Bo estão digitando…');
    assert.equal(roomCounts({ members: 1, online: 1 }), '1 membro · 1 online');
    assert.equal(formatBytes(3.2 * 1024 * 1024), '3,2 MB');
    assert.equal(describeError({ code: 'wrong_password' }), 'Senha da sala errada.');
    assert.equal(describeError({ code: 'invalid', message: "'room' is required" }), 'O servidor não aceitou esse pedido.',
      'the server\'s English detail is not shown in Portuguese');
    assert.equal(describeError({ code: 'weird', message: 'boom' }), 'Algo deu errado.');
    assert.equal(setLanguage('xx'), 'en', 'an unknown language falls back to English');
  } finally {
    setLanguage('en');
  }
  assert.equal(t('auth.title'), 'Welcome to WebTalk');
  assert.equal(formatBytes(3.2 * 1024 * 1024), '3.2 MB');
});

// ---- attention ----

test('notifications: only for mentions by others (as the server resolved them), in a hidden tab, when turned on', () => {
  const me = { id: 'u1', name: 'Ana' };
  const from = (id, text, extra = {}) => ({ author: { id, name: id }, kind: 'text', text, deleted: false, ...extra });
  const base = { me, hidden: true, enabled: true };
  const toAna = { mentions: ['u1'] };
  assert.equal(shouldNotify({ ...base, message: from('u2', 'hey @ana', toAna) }), true);
  assert.equal(shouldNotify({ ...base, message: from('u2', '@room lunch', { mentionsRoom: true }) }), true);
  assert.equal(shouldNotify({ ...base, message: from('u1', 'note to self @Ana', toAna) }), false, 'never for my own messages');
  assert.equal(shouldNotify({ ...base, hidden: false, message: from('u2', 'hey @ana', toAna) }), false);
  assert.equal(shouldNotify({ ...base, enabled: false, message: from('u2', 'hey @ana', toAna) }), false);
  assert.equal(shouldNotify({ ...base, message: from('u2', 'hey @ana') }), false, 'the server saw no mention of me');
  assert.equal(shouldNotify({ ...base, message: from('u2', 'hey @bo', { mentions: ['u2'] }) }), false);
  assert.equal(shouldNotify({ ...base, message: from('u2', '@ana.png', { kind: 'file', ...toAna }) }), false);
  assert.equal(shouldNotify({ ...base, message: from('u2', null, { deleted: true, ...toAna }) }), false);
});

test('unread: others\' new messages in a room not open, or in any room while the tab is hidden', () => {
  assert.equal(countsAsUnread({ added: true, own: false, active: false, hidden: false }), true);
  assert.equal(countsAsUnread({ added: true, own: false, active: true, hidden: true }), true);
  assert.equal(countsAsUnread({ added: true, own: false, active: true, hidden: false }), false, 'being read now');
  assert.equal(countsAsUnread({ added: true, own: true, active: false, hidden: true }), false, 'my own');
  assert.equal(countsAsUnread({ added: false, own: false, active: false, hidden: true }), false, 'a duplicate');
  assert.equal(totalUnread([{ unread: 2 }, { unread: 0 }, { unread: 1 }]), 3);
  assert.equal(totalUnread(new Map().values()), 0);
});

test('the tab title shows the unread count', () => {
  assert.equal(pageTitle(null, 3), '(3) WebTalk');
  assert.equal(pageTitle('General', 0), 'General · WebTalk');
  assert.equal(pageTitle('General', 1), '(1) General · WebTalk');
  assert.equal(pageTitle(null, 250), '(99+) WebTalk');
});
