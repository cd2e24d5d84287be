// Modal dialogs: the room password prompt (#password-dialog) and a generic confirmation
// (#confirm-dialog). Both use <dialog>, which traps focus and closes on Escape by itself.

import { byId, show } from '../dom.js';
import { describeError } from '../errors.js';

export function createPasswordDialog() {
  const dialog = byId('password-dialog');
  const form = byId('password-form');
  const desc = byId('password-desc');
  const input = byId('password-input');
  const submit = byId('password-submit');
  const error = byId('password-error');
  let attempt = null;
  let onJoined = null;

  function setError(text) {
    error.textContent = text || '';
    show(error, Boolean(text));
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  input.addEventListener('input', () => setError(''));
  byId('password-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    attempt = null;
    onJoined = null;
    input.value = '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!attempt) return;
    if (input.value === '') {
      setError('Enter the room password.');
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await attempt(input.value);
      const then = onJoined;
      dialog.close(); // gives focus back to the opener, so move it on only afterwards
      then?.();
    } catch (e) {
      // Wrong passwords stay in the dialog; anything else is not the user's typing to fix.
      setError(e.code === 'wrong_password' ? 'Wrong password. Try again.' : describeError(e));
      input.select();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    /**
     * Asks for the password of `roomName`; `tryJoin(password)` rejects to keep the dialog open.
     * `joined` runs once the dialog has closed after a success.
     */
    open(roomName, tryJoin, joined = null) {
      attempt = tryJoin;
      onJoined = joined;
      desc.textContent = `“${roomName}” is protected. Enter its password to join.`;
      setError('');
      input.value = '';
      if (!dialog.open) dialog.showModal();
      input.focus();
    },
  };
}

export function createConfirmDialog() {
  const dialog = byId('confirm-dialog');
  const form = byId('confirm-form');
  const title = byId('confirm-title');
  const text = byId('confirm-text');
  const ok = byId('confirm-ok');
  let settle = null;

  byId('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    dialog.close('ok');
  });
  dialog.addEventListener('close', () => {
    settle?.(dialog.returnValue === 'ok');
    settle = null;
  });

  return {
    /** Resolves true when the user confirms. */
    ask({ title: heading, text: body, confirmLabel = 'Delete' }) {
      title.textContent = heading;
      text.textContent = body;
      ok.textContent = confirmLabel;
      dialog.returnValue = '';
      settle?.(false); // a question asked again replaces the unanswered one
      if (!dialog.open) dialog.showModal();
      ok.focus();
      return new Promise((resolve) => { settle = resolve; });
    },
  };
}
