// The colour theme: the system's (prefers-color-scheme) unless the in-app switch picks light or dark.
// A choice is html[data-theme], which css/app.css reads; "system" removes the attribute. Kept in
// localStorage (webtalk.theme) by the caller; DOM-free apart from the element it is given.

/** The choices, in the switch's order. */
export const THEMES = Object.freeze(['system', 'light', 'dark']);

/** A stored or chosen value as a known theme ("system" for anything else). */
export function normalizeTheme(value) {
  return THEMES.includes(value) ? value : 'system';
}

/** Puts `theme` in force on `root` (the <html> element) and returns it, normalized. */
export function applyTheme(theme, root) {
  const chosen = normalizeTheme(theme);
  if (chosen === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', chosen);
  return chosen;
}

/**
 * Fills a <select> with the themes named by `label(theme)` (called again on `relabel`), shows
 * `current`, and calls `onChoose(theme)` on a change. Returns a function that re-translates the options.
 */
export function bindThemeSelect(select, { current, label, onChoose }) {
  select.replaceChildren(...THEMES.map((theme) => {
    const option = select.ownerDocument.createElement('option');
    option.value = theme;
    return option;
  }));
  const relabel = () => {
    for (const option of select.options) option.textContent = label(option.value);
  };
  relabel();
  select.value = normalizeTheme(current);
  select.addEventListener('change', () => onChoose(normalizeTheme(select.value)));
  return relabel;
}
