// Service worker: makes the app installable and lets its shell (HTML, CSS, JS, icons) open offline.
// It never stores conversations: API calls, the WebSocket and uploaded files always go to the
// network and are never cached.
//
// Strategy: network first, so a new release is picked up at once; the cached copy is only a
// fallback when the network is down.

const CACHE = 'webtalk-shell-v2';
const SHELL = ['./', 'index.html', 'css/app.css', 'js/app.js', 'webtalk/client.js', 'manifest.webmanifest',
  'favicon.svg', 'icons/icon-192.png', 'icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

/** Only the app's own static files are cacheable; anything under api/ or ws is live data. */
function isShell(request) {
  if (request.method !== 'GET') return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  const path = url.pathname.slice(new URL(self.registration.scope).pathname.length);
  return !path.startsWith('api/') && path !== 'ws' && !url.search;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (!isShell(request)) return; // the browser handles it; nothing is stored
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') {
        const cache = await caches.open(CACHE);
        await cache.put(request, response.clone());
      }
      return response;
    } catch (offline) {
      const cached = await caches.match(request, { ignoreSearch: true })
        || (request.mode === 'navigate' ? await caches.match('index.html') : undefined);
      if (cached) return cached;
      throw offline;
    }
  })());
});
