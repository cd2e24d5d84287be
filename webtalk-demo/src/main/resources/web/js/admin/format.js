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
