// File sharing in the chat panel: the attach button and its hidden file input, dropping files on the
// chat, the upload progress bar, and how a FILE message looks (image thumbnail or download link).

import { byId, h } from '../dom.js';
import { formatBytes } from '../format.js';
import { t } from '../i18n.js';

export function createAttachView({ files, getRoomId, onError, getBlock = () => null, onBlocked = () => {},
  lightbox = null }) {
  const button = byId('attach-button');
  const input = byId('file-input');
  const chat = byId('chat-view');
  const progress = byId('upload-progress');
  const bar = progress.querySelector('progress');
  const label = progress.querySelector('.upload-label');
  let uploading = 0;

  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const chosen = [...input.files];
    input.value = '';
    chosen.forEach(uploadOne);
  });

  // Drag and drop anywhere on the open chat.
  let depth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  chat.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    chat.classList.add('drop-target');
  });
  chat.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  chat.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) chat.classList.remove('drop-target');
  });
  chat.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    chat.classList.remove('drop-target');
    [...event.dataTransfer.files].forEach(uploadOne);
  });

  // An image pasted into the composer (a screenshot, a copied picture) is shared like a chosen file.
  byId('composer-input').addEventListener('paste', (event) => {
    const pasted = [...(event.clipboardData?.files || [])].filter((f) => f.type.startsWith('image/'));
    if (!pasted.length) return; // text pastes as text
    event.preventDefault();
    pasted.forEach(uploadOne);
  });

  async function uploadOne(file) {
    const roomId = getRoomId();
    if (!roomId) return;
    // A locked room or slow mode's wait: say so instead of an upload the server will refuse (a drop gets here too).
    const blocked = getBlock();
    if (blocked) {
      onBlocked(blocked);
      return;
    }
    uploading += 1;
    progress.hidden = false;
    label.textContent = t('message.uploading', { name: file.name });
    bar.value = 0;
    try {
      // The FILE message itself arrives as a push, like any other message.
      await files.upload(roomId, file, (fraction) => { bar.value = fraction; });
    } catch (error) {
      onError(error);
    } finally {
      uploading -= 1;
      if (uploading === 0) progress.hidden = true;
    }
  }

  /** The body of a FILE message: a thumbnail for images, a download link otherwise. */
  function renderFile(roomId, message) {
    const file = message.file;
    const meta = h('span', { class: 'file-meta', text: `${file.name} · ${formatBytes(file.size)}` });
    if (file.type.startsWith('image/')) {
      const img = h('img', { class: 'thumbnail', alt: file.name });
      const url = files.blobUrl(roomId, file.id);
      url.then((src) => { img.src = src; }).catch(() => img.classList.add('broken'));
      // A button around the thumbnail, so the keyboard opens it too (Enter on the message, then Enter).
      const open = h('button', { type: 'button', class: 'thumbnail-open', title: t('lightbox.open', { name: file.name }),
        'aria-label': t('lightbox.open', { name: file.name }) }, img);
      open.addEventListener('click', () => {
        const save = () => files.download(roomId, file).catch(onError);
        if (!lightbox) {
          save();
          return;
        }
        url.then((src) => lightbox.open({ src, name: file.name, onDownload: save })).catch(onError);
      });
      return h('div', { class: 'message-file' }, open, meta);
    }
    const link = h('a', { class: 'download', href: '#', text: t('message.download', { name: file.name }) });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      files.download(roomId, file).catch(onError);
    });
    return h('div', { class: 'message-file' }, link, meta);
  }

  return { renderFile };
}
