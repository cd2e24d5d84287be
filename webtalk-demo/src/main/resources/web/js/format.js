// Pure formatting helpers (no DOM), shared by the views and checked by the node sanity test. Dates,
// numbers and words follow the UI language chosen in i18n.js.

import { language, t } from './i18n.js';

const AVATAR_COLORS = 8;
const FORMATS = {
  time: { hour: '2-digit', minute: '2-digit' },
  dateTime: { dateStyle: 'full', timeStyle: 'short' },
  day: { weekday: 'long', month: 'long', day: 'numeric' },
  weekdayTime: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  shortDateTime: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  shortDateTimeYear: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
};
const formatters = new Map();

/** An Intl.DateTimeFormat for the current language, made once per language and style. */
function dateFormat(style) {
  const key = `${language()}|${style}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(language(), FORMATS[style]));
  return formatters.get(key);
}

/** "14:05" in the UI's locale ("" for a missing time). */
export function formatTime(ms) {
  return Number.isFinite(ms) ? dateFormat('time').format(ms) : '';
}

/** The full date and time, for tooltips. */
export function formatDateTime(ms) {
  return Number.isFinite(ms) ? dateFormat('dateTime').format(ms) : '';
}

/**
 * When a ban or mute ends, as short as stays clear: "12:58 PM" today, "Fri 12:58 PM" within the next six
 * days, "Dec 24, 12:58 PM" later ("Dec 24, 2027, 12:58 PM" in another year). Full dates ("Thursday,
 * December 3, 2026 at 12:58 PM") are for tooltips.
 */
export function formatUntil(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return '';
  if (dayKey(ms) === dayKey(now)) return dateFormat('time').format(ms);
  if (ms > now && ms - now < 6 * 86400000) return dateFormat('weekdayTime').format(ms);
  return dateFormat(new Date(ms).getFullYear() === new Date(now).getFullYear() ? 'shortDateTime' : 'shortDateTimeYear').format(ms);
}

/** ISO 8601, for `<time datetime>`. */
export function isoTime(ms) {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** A local calendar-day key ("2025-11-25"), used to put day separators between messages. */
export function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday" or a date. */
export function formatDay(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return '';
  const key = dayKey(ms);
  if (key === dayKey(now)) return t('chat.today');
  if (key === dayKey(now - 86400000)) return t('chat.yesterday');
  return dateFormat('day').format(ms);
}

/** One or two letters for an avatar. */
export function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] || '?'];
  return letters.map((w) => Array.from(w)[0]).join('').toUpperCase();
}

/** A stable avatar colour class for a user id ("c0".."c7"). */
export function colorClass(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `c${hash % AVATAR_COLORS}`;
}

/** "Ana is typing…", "Ana and Bo are typing…", "Several people are typing…", or "". */
export function typingText(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return t('chat.typingOne', { name: names[0] });
  if (names.length === 2) return t('chat.typingTwo', { first: names[0], second: names[1] });
  return t('chat.typingMany');
}

/** "512 B", "14 KB", "3.2 MB" ("3,2 MB" in pt-BR). */
export function formatBytes(bytes) {
  const n = Number(bytes) || 0;
  const number = (value, digits) => new Intl.NumberFormat(language(), { maximumFractionDigits: digits,
    minimumFractionDigits: digits }).format(value);
  if (n < 1024) return `${number(n, 0)} B`;
  if (n < 1024 * 1024) return `${number(Math.round(n / 1024), 0)} KB`;
  return `${number(n / (1024 * 1024), 1)} MB`;
}

/** "3 members · 2 online". */
export function roomCounts(room) {
  const members = Number(room.members) || 0;
  const online = Number(room.online) || 0;
  return `${t('rooms.members', { count: members })} · ${t('rooms.online', { count: online })}`;
}

/**
 * What becomes a link: an http(s) URL, a `www.` address (opened over https) or an e-mail address
 * (`mailto:`). Each alternative is one capture group, so the match says which it was. None can hold
 * spaces, quotes or angle brackets, and every href is built with a fixed scheme.
 */
const LINK_PATTERN = new RegExp([
  /(\bhttps?:\/\/[^\s<>"']+)/.source,
  /(\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][^\s<>"']*)?)/.source,
  /(\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b)/.source,
].join('|'), 'gi');
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/**
 * Splits text into plain and link segments: `[{text}, {text, href}]`. Links are http(s) URLs, `www.`
 * addresses (href `https://www.…`) and e-mail addresses (href `mailto:…`); nothing else, so a
 * `javascript:` URL stays text. The view still renders every segment via textContent.
 */
export function linkify(text) {
  const source = String(text);
  const segments = [];
  let last = 0;
  for (const match of source.matchAll(LINK_PATTERN)) {
    const [, url, www, email] = match;
    let shown = url ?? www ?? email;
    if (email === undefined) {
      const trailing = shown.match(TRAILING_PUNCTUATION);
      if (trailing) shown = shown.slice(0, -trailing[0].length);
    }
    if (!shown || shown.toLowerCase() === 'www.') continue;
    if (match.index > last) segments.push({ text: source.slice(last, match.index) });
    const href = email !== undefined ? `mailto:${shown}` : www !== undefined ? `https://${shown}` : shown;
    segments.push({ text: shown, href });
    last = match.index + shown.length;
  }
  if (last < source.length) segments.push({ text: source.slice(last) });
  return segments;
}

let counter = 0;

/** A client message id (≤ 64 chars) that makes a retried `send` safe. */
export function newClientMsgId(now = Date.now(), random = Math.random) {
  counter += 1;
  return `c-${now.toString(36)}-${counter.toString(36)}-${Math.floor(random() * 2 ** 32).toString(36)}`;
}
