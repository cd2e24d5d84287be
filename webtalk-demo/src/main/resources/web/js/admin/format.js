// Formatting without DOM, so it can be tested with node --test. Texts come from the chat UI's catalogs
// (js/i18n/*.js, the admin.* keys), in the language js/i18n.js has chosen.

import { language, t } from '../i18n.js';

export function bytes(n) {
  if (!Number.isFinite(n) || n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function dateTime(ms) {
  return new Date(ms).toLocaleString(language(), { dateStyle: 'short', timeStyle: 'short' });
}

const ACTIVITY_TYPES = ['room_created', 'room_deleted', 'room_archived', 'room_unarchived', 'room_expired',
  'member_joined', 'file_shared', 'settings_changed'];

export function activityText(event) {
  if (!ACTIVITY_TYPES.includes(event.type)) return event.type;
  return t(`admin.activity.${event.type}`, { actor: event.actor ?? t('admin.someone'), room: event.roomName });
}

/** A person by name (the one the server kept with the entry); their id only when no name is known. */
function who(person) {
  if (!person) return t('admin.audit.someone');
  return person.name || person.id;
}

/** The ids behind the names an entry shows, "Ana: g-1 · Bo: g-77", for its tooltip. */
export function auditIds(entry) {
  const seen = new Map();
  for (const person of [entry.actor, entry.target]) {
    if (person?.id && !seen.has(person.id)) seen.set(person.id, person.name || person.id);
  }
  return [...seen].map(([id, name]) => (name === id ? id : `${name}: ${id}`)).join(' · ');
}

function forHowLong(until) {
  return until ? t('admin.audit.until', { until: dateTime(until) }) : t('admin.audit.forGood');
}

const AUDIT_KEYS = {
  kick: 'admin.audit.kick',
  ban: 'admin.audit.ban',
  unban: 'admin.audit.unban',
  mute: 'admin.audit.mute',
  unmute: 'admin.audit.unmute',
  transfer_ownership: 'admin.audit.transfer',
  delete_message: 'admin.audit.deleteMessage',
  set_room: 'admin.audit.setRoom',
};

function settingsText(s) {
  if (!s) return '';
  const parts = [s.slowMode > 0 ? t('admin.audit.slowMode', { duration: duration(s.slowMode) }) : t('admin.audit.noSlowMode'),
    t(s.locked ? 'admin.audit.locked' : 'admin.audit.open')];
  if (s.topic) parts.push(t('admin.audit.topic', { topic: s.topic }));
  return ` (${parts.join(', ')})`;
}

/** One audit log entry as a sentence in the page's language, with its reason when given. */
export function auditText(entry) {
  const params = { actor: who(entry.actor), target: who(entry.target), span: forHowLong(entry.until), seq: entry.seq,
    settings: settingsText(entry.settings), action: String(entry.action) };
  const key = entry.action === 'set_role'
    ? (entry.role === 'moderator' ? 'admin.audit.madeModerator' : 'admin.audit.madeMember')
    : AUDIT_KEYS[entry.action] ?? 'admin.audit.other';
  const text = t(key, params);
  return entry.reason ? t('admin.audit.withReason', { text, reason: entry.reason }) : text;
}

/** A ban or mute in force, e.g. "Bo is banned until … — “spam”" (the id when no name is known). */
export function restrictionText(r) {
  const text = t(r.kind === 'ban' ? 'admin.restriction.banned' : 'admin.restriction.muted',
    { name: r.userName || r.user, span: forHowLong(r.until) });
  return r.reason ? t('admin.audit.withReason', { text, reason: r.reason }) : text;
}
