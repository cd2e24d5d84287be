// Formatting without DOM, so it can be tested with node --test.

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
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

const ACTIVITY = {
  room_created: (e) => `${e.actor ?? 'Someone'} created “${e.roomName}”`,
  room_deleted: (e) => `${e.actor ?? 'Someone'} deleted “${e.roomName}”`,
  room_archived: (e) => `${e.actor ?? 'Someone'} archived “${e.roomName}”`,
  room_unarchived: (e) => `${e.actor ?? 'Someone'} unarchived “${e.roomName}”`,
  room_expired: (e) => `“${e.roomName}” was deleted after inactivity`,
  member_joined: (e) => `${e.actor ?? 'Someone'} joined “${e.roomName}”`,
  file_shared: (e) => `${e.actor ?? 'Someone'} shared a file in “${e.roomName}”`,
  settings_changed: () => 'Settings were changed',
};

export function activityText(event) {
  const text = ACTIVITY[event.type];
  return text ? text(event) : event.type;
}

/** A person by name (the one the server kept with the entry); their id only when no name is known. */
function who(person) {
  if (!person) return 'someone';
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
  return until ? ` until ${dateTime(until)}` : ' for good';
}

const AUDIT = {
  kick: (e) => `${who(e.actor)} kicked ${who(e.target)}`,
  ban: (e) => `${who(e.actor)} banned ${who(e.target)}${forHowLong(e.until)}`,
  unban: (e) => `${who(e.actor)} unbanned ${who(e.target)}`,
  mute: (e) => `${who(e.actor)} muted ${who(e.target)}${forHowLong(e.until)}`,
  unmute: (e) => `${who(e.actor)} unmuted ${who(e.target)}`,
  set_role: (e) => `${who(e.actor)} made ${who(e.target)} ${e.role === 'moderator' ? 'a moderator' : 'a member'}`,
  transfer_ownership: (e) => `${who(e.actor)} handed the room to ${who(e.target)}`,
  delete_message: (e) => `${who(e.actor)} deleted message #${e.seq} by ${who(e.target)}`,
  set_room: (e) => `${who(e.actor)} changed the room settings${settingsText(e.settings)}`,
};

function settingsText(s) {
  if (!s) return '';
  const parts = [s.slowMode > 0 ? `slow mode ${duration(s.slowMode)}` : 'no slow mode', s.locked ? 'locked' : 'open'];
  if (s.topic) parts.push(`topic “${s.topic}”`);
  return ` (${parts.join(', ')})`;
}

/** One audit log entry as a sentence, with its reason when given. */
export function auditText(entry) {
  const text = AUDIT[entry.action] ? AUDIT[entry.action](entry) : `${who(entry.actor)}: ${entry.action}`;
  return entry.reason ? `${text} — “${entry.reason}”` : text;
}

/** A ban or mute in force, e.g. "Bo is banned until … — “spam”" (the id when no name is known). */
export function restrictionText(r) {
  const text = `${r.userName || r.user} is ${r.kind === 'ban' ? 'banned' : 'muted'}${forHowLong(r.until)}`;
  return r.reason ? `${text} — “${r.reason}”` : text;
}
