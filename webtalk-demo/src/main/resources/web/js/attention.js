// What deserves the reader's attention, without DOM: which arriving messages count as unread, the
// tab title that shows the count, and whether an arriving message should notify the reader.

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

/** Whether an arriving message should raise a desktop notification for me. */
export function shouldNotify({ message, me, hidden, enabled }) {
  if (!enabled || !hidden || !message || !me) return false;
  if (message.author?.id === me.id || message.deleted || message.kind === 'file') return false;
  // The server resolved the mentions when the message was sent (protocol v2): no guessing from names.
  return Boolean(message.mentionsRoom) || (Array.isArray(message.mentions) && message.mentions.includes(me.id));
}
