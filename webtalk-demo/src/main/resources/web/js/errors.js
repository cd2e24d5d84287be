// Error codes -> what a person should read. Server codes are the ones in docs/PROTOCOL.md; the
// client adds its own (`not_found`, `network`, `timeout`, `disconnected`, `offline`) for the
// failures it detects itself.

/** An error with a stable machine `code`, from the server or from the client itself. */
export class ChatError extends Error {
  constructor(code, message, status = 0, details = {}) {
    super(message || code);
    this.name = 'ChatError';
    this.code = code;
    this.status = status;
    // `until` (banned, muted) and `retryAfterMs` (rate_limited), when the server sent them.
    this.until = typeof details.until === 'number' ? details.until : null;
    this.retryAfterMs = typeof details.retryAfterMs === 'number' ? details.retryAfterMs : null;
  }
}

const TEXTS = {
  invalid: 'The server did not accept that request.',
  unknown_type: 'The server did not understand that request.',
  unauthorized: 'Your guest session is no longer valid.',
  forbidden: 'You are not allowed to do that.',
  wrong_password: 'Wrong room password.',
  not_member: 'Join the room first.',
  banned: 'You are banned from this room.',
  muted: 'You are muted in this room: you can read, but not send.',
  rejected: 'The room did not accept that message.',
  room_not_found: 'That room no longer exists.',
  message_not_found: 'That message no longer exists.',
  file_not_found: 'That file is no longer available.',
  unsupported_type: 'Only images (JPEG, PNG, GIF, WebP) and PDF files can be shared.',
  conflict: 'A limit was reached (too many rooms).',
  too_large: 'That is too long (or the file too big).',
  rate_limited: 'You are going too fast. Wait a moment and try again.',
  overloaded: 'The server is busy. Try again in a moment.',
  internal: 'Something went wrong on the server.',
  not_found: 'The server does not offer that.',
  network: 'Cannot reach the server.',
  timeout: 'The server did not answer in time.',
  disconnected: 'The connection was lost.',
  offline: 'You are offline.',
};

/** The text to show for an error; for `invalid` the server's own message is more precise. */
export function describeError(error) {
  const code = error?.code;
  if ((code === 'invalid' || code === 'rejected') && error.message && error.message !== code) return error.message;
  if ((code === 'banned' || code === 'muted') && error.until) {
    const until = new Date(error.until).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
    return code === 'banned' ? `You are banned from this room until ${until}.`
      : `You are muted in this room until ${until}: you can read, but not send.`;
  }
  return TEXTS[code] || error?.message || 'Something went wrong.';
}

/** Whether a request failed only because the connection dropped, so retrying later can succeed. */
export function isConnectionError(error) {
  return ['disconnected', 'offline', 'timeout', 'network'].includes(error?.code);
}
