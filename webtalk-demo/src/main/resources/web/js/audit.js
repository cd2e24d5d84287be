// A room's moderation audit log as sentences in the UI language, without DOM, so node can test it.
// The view puts each sentence in the page with textContent only.

import { formatUntil } from './format.js';
import { t } from './i18n.js';

/** " until <short time>" for a timed ban or mute, " for good" for one without an end. */
function span(until) {
  return Number.isFinite(until) ? t('moderate.until', { until: formatUntil(until) }) : t('moderate.forGood');
}

/** "slow mode 30 s, locked, topic “Be kind”": the settings a `set_room` entry put in force. */
export function settingsSummary(settings) {
  if (!settings) return '';
  const parts = [
    settings.slowMode > 0 ? t('audit.slowModeOn', { count: settings.slowMode }) : t('audit.slowModeOff'),
    t(settings.locked ? 'audit.locked' : 'audit.unlocked'),
    settings.topic ? t('audit.topic', { topic: settings.topic }) : t('audit.noTopic'),
  ];
  return parts.join(', ');
}

/**
 * Who an entry names, as "Ana: g-4f9c2e1a · Bo: g-77" (each name with its user id), for the entry's
 * tooltip: the sentence names people, the ids stay out of it. `nameOf` as for auditSentence.
 */
export function auditIds(entry, nameOf = () => undefined) {
  const seen = new Map();
  for (const person of [entry.actor, entry.target]) {
    if (person?.id && !seen.has(person.id)) seen.set(person.id, person.name || nameOf(person.id) || person.id);
  }
  return [...seen].map(([id, name]) => (name === id ? id : `${name}: ${id}`)).join(' · ');
}

/**
 * One audit entry (as the `audit` request returns it) as a sentence, e.g. "Ana banned Bo for good —
 * “spam”". `nameOf(id)` names users the entry gives only an id for (targets); an unknown one shows its id.
 */
export function auditSentence(entry, nameOf = () => undefined) {
  const name = (person) => {
    if (!person) return t('audit.someone');
    return person.name || nameOf(person.id) || person.id;
  };
  const actor = name(entry.actor);
  const target = name(entry.target);
  let text;
  switch (entry.action) {
    case 'kick': text = t('audit.kick', { actor, target }); break;
    case 'ban': text = t('audit.ban', { actor, target, until: span(entry.until) }); break;
    case 'unban': text = t('audit.unban', { actor, target }); break;
    case 'mute': text = t('audit.mute', { actor, target, until: span(entry.until) }); break;
    case 'unmute': text = t('audit.unmute', { actor, target }); break;
    case 'set_role':
      text = t(entry.role === 'moderator' ? 'audit.madeModerator' : 'audit.madeMember', { actor, target });
      break;
    case 'transfer_ownership': text = t('audit.transfer', { actor, target }); break;
    case 'delete_message': text = t('audit.deleteMessage', { actor, target, seq: entry.seq }); break;
    case 'set_room': text = t('audit.setRoom', { actor, settings: settingsSummary(entry.settings) }); break;
    default: text = t('audit.other', { actor, action: String(entry.action) });
  }
  return entry.reason ? t('audit.withReason', { text, reason: entry.reason }) : text;
}
