// Admin panel: sign-in, live statistics (polled), activity, rooms table, settings.
// User text (room names, people's names) reaches the page through textContent only.
import { api, csrf, ApiError } from './api.js';
import { bytes, duration, dateTime, activityText, auditIds, auditText, restrictionText } from './format.js';
import { bars, labelled, peak } from './chart.js';
import { applyStatic, bindLanguageSelect, chooseLanguage, language, onLanguageChange, setLanguage, t } from '../i18n.js';
import { createStorage } from '../storage.js';

// The chat's language, shared with it (localStorage webtalk.lang): pt-BR or English, switchable here too.
const storage = createStorage();
setLanguage(chooseLanguage(storage.language(), navigator.languages || [navigator.language]));
applyStatic();
for (const select of document.querySelectorAll('.language-select')) bindLanguageSelect(select, setLanguage);

const POLL_MS = 4000;
/** The charts count per hour or more: once a minute is fresh enough, and spares the store a period's scan per poll. */
const ACTIVITY_POLL_MS = 60000;
const $ = (id) => document.getElementById(id);

const state = { q: '', sort: 'created', order: 'asc', timer: null, searchTimer: null, range: '24h', activity: null, activityAt: 0 };

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

// ---- sign-in ----

function showLogin(message) {
  stopPolling();
  $('panel-view').hidden = true;
  $('login-view').hidden = false;
  const error = $('admin-error');
  error.textContent = message || '';
  error.hidden = !message;
  $('admin-password').focus();
}

async function showPanel() {
  $('login-view').hidden = true;
  $('panel-view').hidden = false;
  await Promise.all([refresh(), loadSettings()]);
  if (!$('panel-view').hidden) startPolling(); // a 401 sent us back to the sign-in form

}

const LOGIN_ERRORS = {
  wrong_password: 'admin.error.wrongPassword',
  rate_limited: 'admin.error.rateLimited',
};

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = $('admin-password').value;
  if (!password) {
    showLogin(t('admin.error.noPassword'));
    return;
  }
  $('admin-login').disabled = true;
  try {
    const { csrfToken } = await api.login(password);
    csrf.set(csrfToken);
    $('admin-password').value = '';
    await showPanel();
  } catch (e) {
    showLogin(LOGIN_ERRORS[e.code] ? t(LOGIN_ERRORS[e.code]) : t('admin.error.signIn', { message: e.message }));
  } finally {
    $('admin-login').disabled = false;
  }
});

$('admin-logout').addEventListener('click', async () => {
  try {
    await api.logout();
  } catch {
    // The session may already be gone; signing out locally is what matters.
  }
  csrf.clear();
  showLogin();
});

/** A 401 means the session ended (expired, server restarted): back to the sign-in form. */
function handle(error) {
  if (error instanceof ApiError && error.status === 401) {
    csrf.clear();
    showLogin(t('admin.sessionEnded'));
    return true;
  }
  $('poll-state').textContent = t('admin.updateFailed', { message: error.message });
  return false;
}

// ---- statistics and activity ----

function renderStats(stats) {
  const shown = {
    ...stats,
    bytesStored: bytes(stats.bytesStored),
    uptime: duration(stats.uptimeSeconds),
  };
  for (const node of document.querySelectorAll('#stats [data-stat]')) {
    const value = shown[node.dataset.stat];
    node.textContent = value === undefined ? '–' : String(value);
  }
  const feed = $('activity-feed');
  feed.replaceChildren(...stats.activity.map((e) => el('li', { 'data-type': e.type }, [
    el('time', { dateTime: new Date(e.at).toISOString(), text: dateTime(e.at) }),
    document.createTextNode(activityText(e)),
  ])));
  $('activity-empty').hidden = stats.activity.length > 0;
}

// ---- activity charts: messages and active users per hour (24 h) or per 6 hours (7 days) ----

const SVG = 'http://www.w3.org/2000/svg';
const CHART = { width: 480, height: 120, axis: 18 };

function svg(tag, attributes = {}, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** "13:00" for an hour, "Thu 18:00" for a 6-hour bucket, in the page's language. */
function bucketLabel(start, range) {
  const options = range === '24h' ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' };
  return new Date(start).toLocaleString(language(), options);
}

function drawChart(id, activity, key) {
  const { width, height, axis } = CHART;
  const chart = bars(activity.buckets, key, { width, height });
  const unit = key === 'messages' ? 'admin.charts.messageCount' : 'admin.charts.userCount';
  const shown = new Set(labelled(activity.buckets.length, 6));
  const root = $(id);
  root.setAttribute('viewBox', `0 0 ${width} ${height + axis}`);
  root.replaceChildren(
    ...chart.bars.map((b, i) => svg('rect', { class: 'bar', x: b.x, y: b.y, width: b.width, height: b.height,
      'data-start': b.start, 'data-value': b.value },
    [svg('title', {}, [`${bucketLabel(b.start, activity.range)}: ${t(unit, { count: b.value })}`])])),
    svg('line', { class: 'axis', x1: 0, y1: height + 0.5, x2: width, y2: height + 0.5 }),
    ...chart.bars.filter((b, i) => shown.has(i)).map((b) => svg('text', { class: 'tick', x: b.x + b.width, y: height + axis - 4,
      'text-anchor': 'end' }, [bucketLabel(b.start, activity.range)])));
  const top = peak(activity.buckets, key);
  const period = t(activity.range === '24h' ? 'admin.charts.day' : 'admin.charts.week');
  $(`${id}-caption`).textContent = t(key === 'messages' ? 'admin.charts.messages' : 'admin.charts.users', {
    period, total: chart.total,
    peak: top ? t('admin.charts.peak', { value: t(unit, { count: top[key] }), at: bucketLabel(top.start, activity.range) })
      : t('admin.charts.none'),
  });
}

function renderActivity(activity) {
  state.activity = activity;
  drawChart('chart-messages', activity, 'messages');
  drawChart('chart-users', activity, 'activeUsers');
}

for (const button of document.querySelectorAll('#activity-range [data-range]')) {
  button.addEventListener('click', async () => {
    state.range = button.dataset.range;
    for (const b of document.querySelectorAll('#activity-range [data-range]')) {
      b.setAttribute('aria-pressed', String(b === button));
    }
    try {
      const activity = await api.activity(state.range);
      state.activityAt = Date.now();
      renderActivity(activity);
    } catch (e) {
      handle(e);
    }
  });
}

// ---- rooms ----

function renderRooms(rooms) {
  // Polling brings the same rows most of the time: keep the DOM (and focus, hover) when nothing changed.
  const key = JSON.stringify(rooms);
  if (key === state.roomsKey) return;
  state.roomsKey = key;
  $('rooms-body').replaceChildren(...rooms.map(roomRow));
  $('rooms-empty').hidden = rooms.length > 0;
  // aria-sort belongs on the column header (a <th>), not on the button inside it.
  for (const button of document.querySelectorAll('.sort')) {
    const header = button.closest('th');
    const active = button.dataset.sort === state.sort;
    if (active) header.setAttribute('aria-sort', state.order === 'asc' ? 'ascending' : 'descending');
    else header.removeAttribute('aria-sort');
  }
}

function roomRow(room) {
  const archive = el('button', {
    type: 'button',
    class: 'btn admin-archive-room',
    text: t(room.archived ? 'admin.unarchive' : 'admin.archive'),
  });
  archive.addEventListener('click', () => act(() => api.archive(room.id, !room.archived)));
  const moderation = el('button', { type: 'button', class: 'btn admin-room-moderation', text: t('admin.moderation') });
  moderation.addEventListener('click', () => openDetails(room));
  const remove = el('button', { type: 'button', class: 'btn btn-danger admin-delete-room', text: t('admin.delete') });
  remove.addEventListener('click', () => confirmDelete(room));
  return el('tr', { class: 'admin-room' + (room.archived ? ' archived' : ''), 'data-room-id': room.id }, [
    el('td', { class: 'name' }, [
      el('span', { class: 'room-name', text: room.name }),
      el('span', { class: 'room-id', text: room.hasPassword ? t('admin.withPassword', { id: room.id }) : room.id }),
    ]),
    el('td', { text: String(room.members) }),
    el('td', { text: String(room.online) }),
    el('td', { text: String(room.messages) }),
    el('td', { text: dateTime(room.lastActivity) }),
    el('td', { text: dateTime(room.createdAt) }),
    el('td', {}, room.archived ? [el('span', { class: 'badge', text: t('admin.archived') })] : []),
    el('td', {}, [el('div', { class: 'actions' }, [moderation, archive, remove])]),
  ]);
}

function confirmDelete(room) {
  const dialog = $('admin-confirm');
  $('admin-confirm-text').textContent = t('admin.confirmDelete', { name: room.name, count: room.messages });
  dialog.returnValue = '';
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'ok') act(() => api.deleteRoom(room.id));
  }, { once: true });
  dialog.showModal();
}

async function act(action) {
  try {
    await action();
  } catch (e) {
    if (handle(e)) return;
  }
  await refresh();
}

$('admin-search').addEventListener('input', (event) => {
  clearTimeout(state.searchTimer);
  state.searchTimer = setTimeout(() => {
    state.q = event.target.value.trim();
    refresh();
  }, 200);
});

for (const button of document.querySelectorAll('.sort')) {
  button.addEventListener('click', () => {
    const sort = button.dataset.sort;
    state.order = state.sort === sort && state.order === 'asc' ? 'desc' : 'asc';
    state.sort = sort;
    state.roomsKey = null;
    refresh();
  });
}

$('purge-inactive').addEventListener('click', () => act(async () => {
  const { purged } = await api.purge();
  $('poll-state').textContent = t('admin.purged', { count: purged.length });
}));

// ---- a room's moderation: bans and mutes in force, the audit log ----

const details = { room: null, oldest: null };

async function openDetails(room) {
  details.room = room;
  details.oldest = null;
  $('room-details-title').textContent = t('admin.moderationOf', { name: room.name });
  $('room-details-status').textContent = '';
  $('room-restrictions').replaceChildren();
  $('room-audit').replaceChildren();
  const dialog = $('room-details');
  dialog.dataset.roomId = room.id;
  if (!dialog.open) dialog.showModal();
  await Promise.all([loadRestrictions(), loadAudit(false)]);
}

$('room-details-close').addEventListener('click', () => $('room-details').close());
$('room-details').addEventListener('close', () => {
  details.room = null;
});

async function loadRestrictions() {
  const room = details.room;
  try {
    const { restrictions } = await api.restrictions(room.id);
    if (details.room !== room) return;
    $('room-restrictions').replaceChildren(...restrictions.map(restrictionRow));
    $('restrictions-empty').hidden = restrictions.length > 0;
  } catch (e) {
    detailsFailed(e);
  }
}

function restrictionRow(r) {
  const lift = el('button', {
    type: 'button',
    class: 'btn admin-lift',
    text: t(r.kind === 'ban' ? 'admin.unban' : 'admin.unmute'),
  });
  lift.addEventListener('click', () => liftRestriction(r, lift));
  return el('li', { class: 'restriction', 'data-user-id': r.user, 'data-kind': r.kind }, [
    el('span', { text: restrictionText(r), title: r.user }),
    lift,
  ]);
}

async function liftRestriction(r, button) {
  button.disabled = true;
  try {
    await api.moderate(details.room.id, r.user, r.kind === 'ban' ? 'unban' : 'unmute');
    $('room-details-status').textContent = t(r.kind === 'ban' ? 'admin.unbanned' : 'admin.unmuted', { name: r.userName || r.user });
  } catch (e) {
    detailsFailed(e);
  }
  details.oldest = null;
  $('room-audit').replaceChildren();
  await Promise.all([loadRestrictions(), loadAudit(false)]);
}

/** Loads the newest page, or (`older`) the page before the oldest entry shown. */
async function loadAudit(older) {
  const room = details.room;
  try {
    const page = await api.audit(room.id, older ? details.oldest : null);
    if (details.room !== room) return;
    $('room-audit').append(...page.entries.map((entry) => el('li', { class: 'audit-entry', 'data-action': entry.action, title: auditIds(entry) }, [
      el('time', { dateTime: new Date(entry.at).toISOString(), text: dateTime(entry.at) }),
      document.createTextNode(auditText(entry)),
    ])));
    if (page.entries.length > 0) details.oldest = page.entries[page.entries.length - 1].id;
    $('audit-more').hidden = !page.hasMore;
    $('audit-empty').hidden = $('room-audit').children.length > 0;
  } catch (e) {
    detailsFailed(e);
  }
}

$('audit-more').addEventListener('click', () => loadAudit(true));

function detailsFailed(error) {
  if (handle(error)) {
    $('room-details').close();
    return;
  }
  $('room-details-status').textContent = t('admin.failed', { message: error.message });
}

// ---- settings ----

const MIB = 1024 * 1024;

async function loadSettings() {
  try {
    fillSettings(await api.settings());
  } catch (e) {
    handle(e);
  }
}

function fillSettings(s) {
  $('setting-max-rooms').value = s.maxRooms;
  $('setting-inactivity').value = s.roomInactivityTimeoutSeconds / 3600;
  $('setting-upload').value = +(s.maxFileBytes / MIB).toFixed(3);
  $('setting-upload').max = s.maxFileBytesCeiling / MIB;
}

$('settings-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('settings-status');
  status.classList.remove('error');
  try {
    const saved = await api.saveSettings({
      maxRooms: Math.round(Number($('setting-max-rooms').value)),
      roomInactivityTimeoutSeconds: Math.round(Number($('setting-inactivity').value) * 3600),
      maxFileBytes: Math.round(Number($('setting-upload').value) * MIB),
    });
    fillSettings(saved);
    status.textContent = t('admin.saved');
  } catch (e) {
    if (handle(e)) return;
    status.classList.add('error');
    status.textContent = e.message;
  }
});

// ---- polling ----

async function refresh() {
  try {
    const chartsDue = Date.now() - state.activityAt >= ACTIVITY_POLL_MS;
    const [stats, { rooms }, activity] = await Promise.all([
      api.stats(),
      api.rooms({ q: state.q, sort: state.sort, order: state.order }),
      chartsDue ? api.activity(state.range) : null,
    ]);
    renderStats(stats);
    renderRooms(rooms);
    if (activity && activity.range === state.range) {
      state.activityAt = Date.now();
      renderActivity(activity);
    }
    $('poll-state').textContent = t('admin.updated', { time: new Date().toLocaleTimeString(language()) });
  } catch (e) {
    handle(e);
  }
}

function startPolling() {
  stopPolling();
  state.timer = setInterval(() => {
    if (!document.hidden) refresh();
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(state.timer);
  state.timer = null;
}

// A switch of language: keep it for the chat too, re-translate the static texts and redraw what polling drew.
onLanguageChange((code) => {
  storage.setLanguage(code);
  applyStatic();
  state.roomsKey = null;
  state.activityAt = 0; // the charts' labels and captions are in the language too
  if (!$('panel-view').hidden) refresh();
  const room = details.room;
  if (room && $('room-details').open) openDetails(room);
});

// A tab that signed in before keeps its CSRF token; the cookie decides whether it is still valid.
if (csrf.get()) {
  showPanel();
} else {
  showLogin();
}
