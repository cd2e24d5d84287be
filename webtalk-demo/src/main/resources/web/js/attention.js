// What deserves the reader's attention, without DOM: which arriving messages count as unread, the
// tab title that shows the count, and whether a message mentions the reader (@Name).

/**
 * Whether a message that just arrived counts as unread: a new message from someone else, in a room
 * that is not open or while the tab is hidden (then nobody is reading the open room either).
 */
export function countsAsUnread({ added, own, active, hidden }) {
  return Boolean(added && !own && (!active || hidden));
}

/** Unread messages over all joined rooms (each RoomState-like object has `unread`). */
export function totalUnread(rooms) {
  let total = 0;
  for (const room of rooms) total += Number(room.unread) || 0;
  return total;
}

/** "(3) General · WebTalk", or the title without a count when nothing is unread. */
export function pageTitle(roomName, unread, app = 'WebTalk') {
  const base = roomName ? `${roomName} · ${app}` : app;
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `text` mentions `name` as "@Name", ignoring case. The @ must not follow a letter (so an
 * e-mail address is no mention), and the name must not go on (so "@Anabel" does not mention Ana).
 * Names may contain spaces: "@Ana Maria".
 */
export function mentions(text, name) {
  const wanted = String(name ?? '').trim();
  if (!wanted || typeof text !== 'string') return false;
  const pattern = new RegExp(`(?<!${WORD_CHAR})@${escapeRegExp(wanted)}(?!${WORD_CHAR})`, 'iu');
  return pattern.test(text);
}

/** Whether an arriving message should raise a desktop notification for me. */
export function shouldNotify({ message, me, hidden, enabled }) {
  if (!enabled || !hidden || !message || !me) return false;
  if (message.author?.id === me.id || message.deleted || message.kind === 'file') return false;
  return mentions(message.text, me.name);
}
