// Which screen shows on a phone (#app[data-screen] = rooms | chat; desktop shows all columns) and
// the page title.

import { pageTitle } from '../attention.js';
import { byId } from '../dom.js';

const NARROW = '(max-width: 767px)';

export function createLayout() {
  const app = byId('app');
  const narrow = window.matchMedia(NARROW);

  return {
    show() {
      app.hidden = false;
    },
    setScreen(screen) {
      app.dataset.screen = screen;
    },
    /** True on phone-sized screens, where focusing the composer would pop up the keyboard. */
    isNarrow: () => narrow.matches,
    setTitle(roomName, unread) {
      document.title = pageTitle(roomName, unread);
    },
  };
}
