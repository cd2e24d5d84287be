// Translations. Catalogs live in js/i18n/<code>.js as plain objects: key -> template, where a
// template is a string with {name}-style parameters, or an object of plural forms chosen by the
// `count` parameter through Intl.PluralRules (`zero` optionally overrides count 0, `other` is the
// fallback). Everything but `applyStatic` and `bindLanguageSelect` is DOM-free, so node tests can
// check the catalogs and the language choice.
//
// To add a language: write js/i18n/<code>.js with every key of en.js, and list it in LANGUAGES.

import en from './i18n/en.js';
import ptBR from './i18n/pt-BR.js';

export const CATALOGS = Object.freeze({ en, 'pt-BR': ptBR });

/** The languages offered in the switch, each named in its own language. */
export const LANGUAGES = Object.freeze([
  { code: 'en', name: 'English' },
  { code: 'pt-BR', name: 'Português (Brasil)' },
]);

export const DEFAULT_LANGUAGE = 'en';

/**
 * The language to use: a stored choice if it is still offered, else the first of the browser's
 * preferred languages that we have (any `pt-*` means pt-BR, any `en-*` en), else English.
 */
export function chooseLanguage(stored, preferred = []) {
  if (stored && CATALOGS[stored]) return stored;
  for (const tag of preferred || []) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

function matchLanguage(tag) {
  const lower = String(tag || '').toLowerCase();
  const exact = Object.keys(CATALOGS).find((code) => code.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  if (primary === 'pt') return 'pt-BR';
  return Object.keys(CATALOGS).find((code) => code.toLowerCase().split('-')[0] === primary) || null;
}

/** Replaces each {name} with `params.name`; unknown parameters stay visible, to be noticed. */
export function interpolate(template, params = {}) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) => (
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole));
}

const pluralRules = new Map();

function pluralCategory(language, count) {
  if (!pluralRules.has(language)) pluralRules.set(language, new Intl.PluralRules(language));
  return pluralRules.get(language).select(count);
}

/** The text of `key` in `language` (falling back to English, then to the key itself). */
export function translate(language, key, params = {}) {
  let template = CATALOGS[language]?.[key];
  let lang = language;
  if (template === undefined) {
    template = CATALOGS[DEFAULT_LANGUAGE][key];
    lang = DEFAULT_LANGUAGE;
  }
  if (template === undefined) return key;
  if (typeof template === 'object') {
    const count = Number(params.count);
    const form = count === 0 && template.zero !== undefined ? 'zero' : pluralCategory(lang, count);
    template = template[form] ?? template.other;
  }
  return interpolate(template, params);
}

// ---- the current language ----

let current = DEFAULT_LANGUAGE;
const listeners = new Set();

/** The language in use ("en", "pt-BR"): also the locale for Intl formatting. */
export function language() {
  return current;
}

/** Translates `key` into the current language. */
export function t(key, params) {
  return translate(current, key, params);
}

/** Switches the language, sets <html lang> and tells the listeners (which re-render). */
export function setLanguage(code) {
  const next = CATALOGS[code] ? code : DEFAULT_LANGUAGE;
  const changed = next !== current;
  current = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (changed) listeners.forEach((fn) => fn(next));
  return next;
}

/** Calls `fn(code)` after every language change; returns the unsubscribe function. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// ---- DOM ----

/** [data attribute holding the key, attribute it fills]. */
const STATIC_ATTRIBUTES = [
  ['data-i18n-placeholder', 'placeholder'],
  ['data-i18n-aria-label', 'aria-label'],
  ['data-i18n-title', 'title'],
];

/**
 * Fills the page's static texts: `data-i18n` sets textContent, `data-i18n-placeholder`,
 * `data-i18n-aria-label` and `data-i18n-title` set those attributes.
 */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const [source, attribute] of STATIC_ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${source}]`)) el.setAttribute(attribute, t(el.getAttribute(source)));
  }
}

/** Fills a <select> with LANGUAGES, keeps it on the current language and switches on change. */
export function bindLanguageSelect(select, onChoose) {
  select.replaceChildren(...LANGUAGES.map(({ code, name }) => {
    const option = document.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = name;
    return option;
  }));
  select.value = current;
  select.addEventListener('change', () => onChoose(select.value));
  onLanguageChange((code) => { select.value = code; });
}
