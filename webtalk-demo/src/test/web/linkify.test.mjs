// Node checks of the chat's linkifier (js/format.js linkify): which text becomes a link, with which
// href, and that nothing but http(s) and mailto hrefs can come out of it.
//   node --test webtalk-demo/src/test/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { linkify } from '../../main/resources/web/js/format.js';

const links = (text) => linkify(text).filter((s) => s.href).map((s) => [s.text, s.href]);

test('http(s) URLs link as they are, without trailing punctuation', () => {
  assert.deepEqual(linkify('see https://a.dev/x?y=1. and javascript:alert(1)'), [
    { text: 'see ' }, { text: 'https://a.dev/x?y=1', href: 'https://a.dev/x?y=1' }, { text: '. and javascript:alert(1)' },
  ]);
  assert.deepEqual(links('(http://b.org/path)'), [['http://b.org/path', 'http://b.org/path']]);
});

test('www. addresses link over https', () => {
  assert.deepEqual(linkify('go to www.example.com/menu?day=1, then'), [
    { text: 'go to ' }, { text: 'www.example.com/menu?day=1', href: 'https://www.example.com/menu?day=1' }, { text: ', then' },
  ]);
  assert.deepEqual(links('WWW.Example.org.'), [['WWW.Example.org', 'https://WWW.Example.org']]);
  assert.deepEqual(links('www. alone, www.nodot and awww.x.com'), [], 'a www. needs a dotted host and a word start');
  assert.deepEqual(links('https://www.a.dev'), [['https://www.a.dev', 'https://www.a.dev']], 'one link, not two');
});

test('e-mail addresses link with mailto:', () => {
  assert.deepEqual(linkify('write to ana.souza+chat@mail.example.com.'), [
    { text: 'write to ' },
    { text: 'ana.souza+chat@mail.example.com', href: 'mailto:ana.souza+chat@mail.example.com' },
    { text: '.' },
  ]);
  assert.deepEqual(links('not@an-address and @ana'), [], 'an address needs a dotted domain');
  assert.deepEqual(links('a@b.co and www.c.dev and https://d.dev'), [
    ['a@b.co', 'mailto:a@b.co'], ['www.c.dev', 'https://www.c.dev'], ['https://d.dev', 'https://d.dev'],
  ]);
});

test('markup and script never make it into an href or out of the text', () => {
  const hostile = [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)//www.x.com', 'data:text/html,<script>alert(1)</script>',
    'www.x.com"onmouseover="alert(1)', "www.x.com'><img src=x onerror=alert(1)>", 'x@y.com"><script>',
    'https://a.dev/<script>alert(1)</script>', 'vbscript:msgbox(1)', 'mailto:a@b.co?body=<b>',
  ];
  for (const text of hostile) {
    const segments = linkify(text);
    assert.equal(segments.map((s) => s.text).join(''), text, `the text comes back whole: ${text}`);
    for (const { href } of segments.filter((s) => s.href)) {
      assert.match(href, /^(https?:\/\/|mailto:)[^\s<>"']+$/, `${text} → ${href}`);
    }
  }
  assert.deepEqual(links('www.x.com"onmouseover="alert(1)'), [['www.x.com', 'https://www.x.com']]);
  assert.deepEqual(links('x@y.com"><script>'), [['x@y.com', 'mailto:x@y.com']]);
});
