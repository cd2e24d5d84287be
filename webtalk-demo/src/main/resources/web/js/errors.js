// Error codes -> what a person should read. Server codes are the ones in docs/PROTOCOL.md; the
// client adds its own (`not_found`, `network`, `timeout`, `disconnected`, `offline`) for the
// failures it detects itself. The texts are in the i18n catalogs as `error.<code>`.

import { formatUntil } from './format.js';
import { CATALOGS, DEFAULT_LANGUAGE, language, t } from './i18n.js';

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

/**
 * The text to show for an error, in the current language. For `invalid` and `rejected` the server's
 * own message is more precise, but it is English, so it is used only when the UI is.
 */
export function describeError(error) {
  const code = error?.code;
  const english = language() === DEFAULT_LANGUAGE;
  if ((code === 'invalid' || code === 'rejected') && english && error.message && error.message !== code) {
    return error.message;
  }
  if ((code === 'banned' || code === 'muted') && error.until) {
    return t(`error.${code}Until`, { until: formatUntil(error.until) });
  }
  if (code && Object.prototype.hasOwnProperty.call(CATALOGS[DEFAULT_LANGUAGE], `error.${code}`)) return t(`error.${code}`);
  return english && error?.message ? error.message : t('error.unknown');
}

/** Whether a request failed only because the connection dropped, so retrying later can succeed. */
export function isConnectionError(error) {
  return ['disconnected', 'offline', 'timeout', 'network'].includes(error?.code);
}
