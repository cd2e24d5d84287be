// Toasts in #toast, a polite live region: errors carry their protocol code in data-code.

import { byId, h, icon } from '../dom.js';
import { t } from '../i18n.js';

const VISIBLE_MS = 6000;
const MAX_TOASTS = 4;

/** What a toast must not cover, top down; the region goes under the lowest of them that shows. */
const HEADER_STACK = ['.topbar', '#connection-banner', '#chat-view .chat-head'];

export function createToasts() {
  const region = byId('toast');

  /** Puts the region just under the header stack as it is now (its height changes with a topic or the banner). */
  function place() {
    let bottom = 0;
    for (const css of HEADER_STACK) {
      const el = document.querySelector(css);
      if (el && el.getClientRects().length > 0) bottom = Math.max(bottom, el.getBoundingClientRect().bottom);
    }
    region.style.top = `${Math.round(bottom + 8)}px`;
  }
  window.addEventListener('resize', () => { if (region.childElementCount) place(); });
  // The stack changes under a toast already showing: a phone opens a room (its header appears), the
  // banner comes or goes. Follow it, so a toast never covers the header's buttons.
  const stack = new ResizeObserver(() => { if (region.childElementCount) place(); });
  for (const css of HEADER_STACK) document.querySelectorAll(css).forEach((el) => stack.observe(el));

  function dismiss(el) {
    if (!el.isConnected) return;
    el.classList.add('leaving');
    setTimeout(() => el.remove(), 200);
  }

  /**
   * Shows a toast. `kind` is `error` or `info`; `code` (an error code) ends up in data-code.
   * Hovering or focusing a toast keeps it until the pointer or focus leaves.
   */
  function show(text, { kind = 'info', code = null } = {}) {
    const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('toast.dismiss') }, icon('close'));
    const el = h('div', { class: ['toast', `toast-${kind}`], dataset: { code } },
      kind === 'error' ? icon('alert', 'icon toast-icon') : null,
      h('p', { class: 'toast-text', text }),
      close);
    let timer = null;
    const arm = () => { timer = setTimeout(() => dismiss(el), VISIBLE_MS); };
    const disarm = () => clearTimeout(timer);
    close.addEventListener('click', () => dismiss(el));
    el.addEventListener('pointerenter', disarm);
    el.addEventListener('pointerleave', arm);
    el.addEventListener('focusin', disarm);
    el.addEventListener('focusout', arm);
    place();
    region.append(el);
    while (region.children.length > MAX_TOASTS) region.firstElementChild.remove();
    arm();
    return el;
  }

  return {
    info: (text) => show(text, { kind: 'info' }),
    error: (text, code) => show(text, { kind: 'error', code }),
  };
}
