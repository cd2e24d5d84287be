// Entry point: asks for a display name on the first visit (POST /api/guest), then wires the store,
// the WebSocket client, the controller and the views together.

import { createApi } from './api.js';
import { createController } from './controller.js';
import { describeError } from './errors.js';
import { applyStatic, bindLanguageSelect, chooseLanguage, onLanguageChange, setLanguage, t } from './i18n.js';
import { applyTheme, bindThemeSelect } from './theme.js';
import { createSocket } from './socket.js';
import { createStorage } from './storage.js';
import { Store } from './store.js';
import { createAuthView } from './views/auth.js';
import { createChatView } from './views/chat.js';
import { createAttachView } from './views/attach.js';
import { createFiles } from './files.js';
import {
  createAuditDialog, createConfirmDialog, createEditsDialog, createLightbox, createPasswordDialog, createRoomSettingsDialog,
} from './views/dialogs.js';
import { createLayout } from './views/layout.js';
import { createMembersView } from './views/members.js';
import { createNotifier } from './views/notify.js';
import { createRoomsView } from './views/rooms.js';
import { createStatusBar } from './views/status.js';
import { createToasts } from './views/toast.js';

const storage = createStorage();
applyTheme(storage.theme(), document.documentElement);
setLanguage(chooseLanguage(storage.language(), navigator.languages || [navigator.language]));
applyStatic();
onLanguageChange((code) => {
  storage.setLanguage(code);
  applyStatic();
});
for (const select of document.querySelectorAll('.language-select')) bindLanguageSelect(select, setLanguage);
const relabelThemes = bindThemeSelect(document.getElementById('theme-switch'), {
  current: storage.theme(),
  label: (theme) => t(`theme.${theme}`),
  onChoose: (theme) => storage.setTheme(applyTheme(theme, document.documentElement)),
});
onLanguageChange(relabelThemes);
const api = createApi({ getToken: () => storage.token() });
let started = false;

/** Drops the guest identity and starts over at the name prompt, saying why. */
function signOut(notice) {
  storage.clear();
  if (notice) storage.setNotice(notice);
  window.location.reload();
}

function startChat() {
  if (started) return;
  started = true;
  const store = new Store();
  const user = storage.user();
  if (user) store.setMe(user);
  const socket = createSocket({ getToken: () => storage.token() });
  const layout = createLayout();
  const confirmDialog = createConfirmDialog();
  const editsDialog = createEditsDialog();
  let controller = null;
  const toasts = createToasts();
  const attach = createAttachView({
    files: createFiles({ getToken: () => storage.token() }),
    getRoomId: () => store.activeRoomId,
    onError: (error) => toasts.error(describeError(error), error.code),
    getBlock: () => views.chat.sendBlockText(),
    onBlocked: (text) => toasts.info(text),
    lightbox: createLightbox(),
  });

  const views = {
    toasts,
    passwordDialog: createPasswordDialog(),
    roomSettingsDialog: createRoomSettingsDialog({ onShowLog: () => controller.openAuditLog() }),
    auditDialog: createAuditDialog(),
    confirmDialog,
    editsDialog,
    status: createStatusBar({
      onRetry: () => socket.reconnectNow({ force: true }),
      onSignOut: async () => {
        const ok = await confirmDialog.ask({
          title: t('confirm.signOutTitle'),
          text: t('confirm.signOutText'),
          confirmLabel: t('confirm.signOutOk'),
        });
        if (ok) signOut();
      },
    }),
    rooms: createRoomsView({
      store,
      onOpen: (id) => controller.openRoom(id),
      onCreate: (room) => controller.createRoom(room),
      onRefresh: () => controller.refreshRooms({ manual: true }),
      onFilter: (text) => controller.setFilter(text),
    }),
    chat: createChatView({
      store,
      renderFile: (roomId, message) => attach.renderFile(roomId, message),
      onSend: (text, replyTo) => controller.sendMessage(text, replyTo),
      onReact: (seq, emoji, add) => controller.react(seq, emoji, add),
      onPin: (seq, pinned) => controller.pin(seq, pinned),
      onJumpTo: (seq) => controller.jumpTo(seq),
      onReadToBottom: () => controller.readToBottom(),
      onTyping: () => controller.composerTyping(),
      onDeleteMessage: (seq) => controller.deleteMessage(seq),
      onEditMessage: (seq, text) => controller.editMessage(seq, text),
      onShowEdits: (seq) => controller.showEdits(seq),
      onRetry: (id) => controller.retryPending(id),
      onDiscard: (id) => controller.discardPending(id),
      onLoadOlder: (options) => controller.loadOlder(options),
      onLeave: () => controller.leaveRoom(),
      onDeleteRoom: () => controller.deleteRoom(),
      onRoomSettings: () => controller.openRoomSettings(),
      onBack: () => controller.back(),
    }),
    members: createMembersView({ store, onModerate: (member, action) => controller.moderate(member, action),
      onMore: () => controller.loadMoreMembers() }),
    notifier: createNotifier({
      storage,
      getMe: () => store.me,
      onInfo: (text) => toasts.info(text),
      onOpenRoom: (id) => controller.openRoom(id),
    }),
  };
  if (user) views.status.setMe(user);

  controller = createController({
    store, socket, api, storage, layout, views,
    onSessionExpired: () => signOut(t('session.expired')),
  });
  // Texts the views built stay as they are until asked to re-render; applyStatic has run by now.
  onLanguageChange(() => controller.relocalize());
  layout.show();
  controller.start();
}

const auth = createAuthView({
  async onSubmit(name) {
    let session;
    try {
      session = await api.guest(name);
    } catch (e) {
      throw new Error(describeError(e));
    }
    storage.setSession(session.token, session.user);
    auth.hide();
    startChat();
  },
});

if (storage.token()) {
  startChat();
} else {
  auth.show(storage.takeNotice() || '');
}

// Installable app: the service worker caches the page shell, never messages (see sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch(() => { /* the app works without it */ });
}
