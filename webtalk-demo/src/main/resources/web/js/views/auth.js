// The first-visit name prompt (#auth-screen). Names are display names only: the server hands back
// a signed guest token that is the real identity.

import { byId, show } from '../dom.js';
import { t } from '../i18n.js';

export const MAX_NAME_CHARS = 40;

export function createAuthView({ onSubmit }) {
  const screen = byId('auth-screen');
  const form = byId('name-form');
  const input = byId('name-input');
  const submit = byId('name-submit');
  const error = byId('name-error');
  const notice = byId('auth-notice');

  function setError(text) {
    error.textContent = text || '';
    show(error, Boolean(text));
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  input.addEventListener('input', () => setError(''));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      setError(t('auth.errorEmpty'));
      input.focus();
      return;
    }
    if ([...name].length > MAX_NAME_CHARS) {
      setError(t('form.tooLong', { max: MAX_NAME_CHARS }));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await onSubmit(name);
    } catch (e) {
      setError(e.message);
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    show(noticeText = '') {
      notice.textContent = noticeText;
      show(notice, Boolean(noticeText));
      show(screen, true);
      input.focus();
    },
    hide() {
      show(screen, false);
    },
  };
}
