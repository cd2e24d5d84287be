// Shared files over the REST API (docs/PROTOCOL.md, "Files"). Uploads use XMLHttpRequest for its
// upload progress events; downloads use fetch with the Bearer token and hand the page a blob: URL,
// because an <img src> or a plain link could not carry the token (and a token in a URL would leak
// into logs and history).

import { ChatError } from './errors.js';

export function createFiles({ base = new URL('api/', document.baseURI), getToken = () => null } = {}) {
  /** fileId -> Promise<blob: URL>, so a re-rendered message does not download its image again. */
  const blobs = new Map();

  function fileUrl(roomId, fileId) {
    return new URL(`rooms/${encodeURIComponent(roomId)}/files/${encodeURIComponent(fileId)}`, base);
  }

  /**
   * Uploads `file` to the room; `onProgress(fraction)` follows the bytes sent. Resolves with the
   * stored message; rejects with a ChatError carrying the server's error code.
   */
  function upload(roomId, file, onProgress = () => {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', new URL(`rooms/${encodeURIComponent(roomId)}/files`, base));
      const token = getToken();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.responseType = 'json';
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      xhr.addEventListener('load', () => {
        const data = xhr.response;
        if (xhr.status === 201 && data?.message) {
          onProgress(1);
          resolve(data.message);
        } else {
          const error = data?.error;
          reject(new ChatError(error?.code || codeForStatus(xhr.status), error?.message || `HTTP ${xhr.status}`, xhr.status));
        }
      });
      xhr.addEventListener('error', () => reject(new ChatError('network', 'The upload did not reach the server')));
      xhr.addEventListener('abort', () => reject(new ChatError('network', 'The upload was cancelled')));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }

  /** A blob: URL holding the file's bytes, fetched once with the token. */
  function blobUrl(roomId, fileId) {
    let pending = blobs.get(fileId);
    if (!pending) {
      pending = fetchBlob(roomId, fileId).then((blob) => URL.createObjectURL(blob));
      pending.catch(() => blobs.delete(fileId));
      blobs.set(fileId, pending);
    }
    return pending;
  }

  async function fetchBlob(roomId, fileId) {
    const headers = {};
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(fileUrl(roomId, fileId), { headers, credentials: 'same-origin', cache: 'no-store' });
    } catch (e) {
      throw new ChatError('network', 'Cannot reach the server');
    }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new ChatError(data?.error?.code || codeForStatus(response.status), data?.error?.message, response.status);
    }
    return response.blob();
  }

  /** Saves the file under its original name (the browser's download, from a blob: URL). */
  async function download(roomId, file) {
    const url = await blobUrl(roomId, file.id);
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  }

  /** Forgets a file whose message was deleted. */
  function forget(fileId) {
    const pending = blobs.get(fileId);
    blobs.delete(fileId);
    pending?.then((url) => URL.revokeObjectURL(url)).catch(() => {});
  }

  return { upload, blobUrl, download, forget };
}

function codeForStatus(status) {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'file_not_found';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_type';
  return status >= 500 ? 'internal' : 'invalid';
}
