import path from 'node:path';
import { app, BrowserWindow, ipcMain, powerMonitor, screen, session, shell } from 'electron';
import { openContext } from '../core/open.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { IPC_EVENT_CHANNEL, type PushEventName, type PushEvents } from '../core/api/contract.ts';
import { stderrLogger } from '../core/log.ts';
import { registerIpc, originPolicy } from './ipc.ts';
import { installCsp, lockDownWebContents } from './security.ts';
import { captureWindowState, restoreBounds, windowOptions } from './window.ts';
import { WindowStateFile } from './window-state.ts';
import { BackgroundChecks, CALENDAR_FEED_FILE, dueSoonCount, updateCalendarFeed } from './background.ts';
import { electronNotifier } from './notifier.ts';
import { KeyfleetTray, trayIconPath } from './tray.ts';
import { refreshInstances } from '../core/services/refresh.ts';
import type { Context } from '../core/context.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererIndex = () => path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
const appUrlPrefix = () => (devServerUrl ? new URL(devServerUrl).origin + '/' : `file://${path.dirname(rendererIndex()).replace(/\\/g, '/')}/`);

let mainWindow: BrowserWindow | null = null;
let ctx: Context;
let windowState: WindowStateFile;
let quitting = false;
let background: BackgroundChecks;
let tray: KeyfleetTray | null = null;

function send<E extends PushEventName>(name: E, payload: PushEvents[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, { name, payload });
}

function createWindow(): BrowserWindow {
  const saved = windowState.get();
  const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs'), bounds));
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    windowState.set(captureWindowState(win));
    if (!quitting && ctx.store.data.settings.keepRunningInTray) {
      // Keep checking reminders in the background; the tray brings the window back.
      event.preventDefault();
      win.hide();
      if (!ctx.store.data.settings.trayNoticeShown) {
        ctx.store.update((d) => ({ ...d, settings: { ...d.settings, trayNoticeShown: true } }));
        electronNotifier(() => focusWindow(), () => focusWindow()).notify({
          kind: 'low-stock',
          target: 'tray',
          stage: null,
          daysLeft: null,
          expiresAt: null,
          title: 'Keyfleet keeps running in the tray',
          body: 'Reminders still arrive while the window is closed. Quit from the tray icon, or turn this off in Settings.',
        });
      }
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererIndex());
  return win;
}

function focusWindow(): BrowserWindow {
  if (!mainWindow) mainWindow = createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

/** Window, tray and calendar feed follow every store change, at most a few times a second. */
function followStoreChanges(): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const feed = path.join(ctx.dataDir, CALENDAR_FEED_FILE);
  const flush = () => {
    timer = null;
    send('storeChanged', { at: new Date().toISOString() });
    tray?.update(dueSoonCount(ctx));
    updateCalendarFeed(ctx, feed).catch((e: Error) => ctx.log.warn(`calendar feed not written: ${e.message}`));
  };
  ctx.store.onCommit(() => {
    timer ??= setTimeout(flush, 300);
  });
  flush();
}

let loginItemApplied: boolean | undefined;
function applyLoginItem(): void {
  const wanted = ctx.store.data.settings.startAtLogin;
  if (process.platform === 'linux' || wanted === loginItemApplied) return; // Linux has no login-item API
  loginItemApplied = wanted;
  app.setLoginItemSettings({ openAtLogin: wanted });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, (url) => shell.openExternal(url)));
  app.on('before-quit', () => {
    quitting = true;
  });
  app.whenReady().then(() => {
    // Windows shows notifications only for an app with an AppUserModelID.
    if (process.platform === 'win32') app.setAppUserModelId('com.keyfleet.app');
    installCsp(session.defaultSession, devServerUrl);
    const dataDir = app.getPath('userData');
    ctx = openContext({ dataDir, log: stderrLogger('keyfleet-main'), actor: 'app' });
    windowState = new WindowStateFile(dataDir);
    registerIpc(ipcMain, createHandlers(ctx, { version: app.getVersion() }), originPolicy(appUrlPrefix));
    mainWindow = createWindow();
    tray = new KeyfleetTray(trayIconPath(process.resourcesPath, app.isPackaged), {
      open: () => focusWindow(),
      refreshAll: () => void refreshInstances(ctx).catch((e: Error) => ctx.log.warn(e.message)),
      quit: () => {
        quitting = true;
        app.quit();
      },
    });
    tray.show(dueSoonCount(ctx));
    const openLicense = (licenseId: string) => {
      focusWindow();
      send('openLicense', { licenseId });
    };
    background = new BackgroundChecks(ctx, electronNotifier(openLicense, () => focusWindow()), () => undefined);
    followStoreChanges();
    background.start();
    powerMonitor.on('resume', () => background.onResume());
    applyLoginItem();
    ctx.store.onCommit(() => applyLoginItem());
    app.on('activate', () => focusWindow());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !ctx?.store.data.settings.keepRunningInTray) app.quit();
  });
  app.on('will-quit', () => {
    background?.stop();
    tray?.destroy();
  });
}
