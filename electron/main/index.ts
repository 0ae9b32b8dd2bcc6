import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, protocol, screen, session, shell } from 'electron';
import { openContext } from '../core/open.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { IPC_EVENT_CHANNEL, type PushEventName, type PushEvents } from '../core/api/contract.ts';
import { stderrLogger } from '../core/log.ts';
import { registerIpc, originPolicy } from './ipc.ts';
import { installSessionPolicy, lockDownWebContents } from './security.ts';
import { contentSecurityPolicy, inlineScriptHashes } from './csp.ts';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, originOf } from './app-protocol.ts';
import { captureWindowState, restoreBounds, windowOptions } from './window.ts';
import { WindowStateFile } from './window-state.ts';
import { BackgroundChecks, CALENDAR_FEED_FILE, dueSoonCount, updateCalendarFeed } from './background.ts';
import { electronNotifier } from './notifier.ts';
import { KeyfleetTray, trayIconPath } from './tray.ts';
import { STARTUP_ERROR_TITLE, startupErrorMessage } from './startup-error.ts';
import { refreshInstances } from '../core/services/refresh.ts';
import type { Context } from '../core/context.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
/** The packaged renderer folder, beside this bundle (…/.vite/build → …/.vite/renderer/<name>). */
const rendererRoot = path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}`);
const appOrigin = devServerUrl ? originOf(devServerUrl)! : APP_ORIGIN;
const startUrl = devServerUrl ?? APP_INDEX_URL;

// Must happen before 'ready': the scheme is standard and secure, so the page gets a real origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | null = null;
let ctx: Context | undefined;
let windowState: WindowStateFile | undefined;
let quitting = false;
let background: BackgroundChecks | undefined;
let tray: KeyfleetTray | null = null;
let dataDir: string | undefined;

function send<E extends PushEventName>(name: E, payload: PushEvents[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, { name, payload });
}

function createWindow(c: Context, state: WindowStateFile): BrowserWindow {
  const saved = state.get();
  const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs'), bounds));
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    state.set(captureWindowState(win));
    if (!quitting && c.store.data.settings.keepRunningInTray) {
      // Keep checking reminders in the background; the tray brings the window back.
      event.preventDefault();
      win.hide();
      if (!c.store.data.settings.trayNoticeShown) {
        c.store.update((d) => ({ ...d, settings: { ...d.settings, trayNoticeShown: true } }));
        trayNotifier.notify({
          kind: 'app',
          title: 'Keyfleet keeps running in the tray',
          body: 'Reminders still arrive while the window is closed. Quit from the tray icon, or turn this off in Settings.',
        });
      }
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(startUrl).catch((e: Error) => c.log.error(`the window could not load ${startUrl}: ${e.message}`));
  return win;
}

/** Brings the window up. Before start-up has finished (a second launch racing the first) it does nothing: start-up shows the window itself. */
function focusWindow(): void {
  if (!ctx || !windowState) return;
  mainWindow ??= createWindow(ctx, windowState);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

const trayNotifier = electronNotifier({ openLicense: () => focusWindow(), openStock: () => focusWindow(), showWindow: () => focusWindow() });

/** Window, tray and calendar feed follow every store change, at most a few times a second. */
function followStoreChanges(c: Context): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const feed = path.join(c.dataDir, CALENDAR_FEED_FILE);
  const flush = () => {
    timer = null;
    send('storeChanged', { at: new Date().toISOString() });
    tray?.update(dueSoonCount(c));
    updateCalendarFeed(c, feed).catch((e: Error) => c.log.warn(`calendar feed not written: ${e.message}`));
  };
  c.store.onCommit(() => {
    timer ??= setTimeout(flush, 300);
  });
  flush();
}

let loginItemApplied: boolean | undefined;
function applyLoginItem(c: Context): void {
  const wanted = c.store.data.settings.startAtLogin;
  if (process.platform === 'linux' || wanted === loginItemApplied) return; // Linux has no login-item API
  loginItemApplied = wanted;
  app.setLoginItemSettings({ openAtLogin: wanted });
}

/** In development Vite's dev server serves the page with React Refresh's inline preamble. */
async function pagePolicy(): Promise<string> {
  if (!devServerUrl) return contentSecurityPolicy();
  const html = await (await fetch(devServerUrl)).text();
  return contentSecurityPolicy({ devOrigin: appOrigin, scriptHashes: inlineScriptHashes(html) });
}

async function start(): Promise<void> {
  // Windows shows notifications only for an app with an AppUserModelID.
  if (process.platform === 'win32') app.setAppUserModelId('com.keyfleet.app');
  dataDir = app.getPath('userData');
  // Opening the store first: a damaged or newer store stops start-up before anything is shown.
  const c = openContext({ dataDir, log: stderrLogger('keyfleet-main'), actor: 'app' });
  const state = new WindowStateFile(dataDir);
  const csp = await pagePolicy();
  installSessionPolicy(session.defaultSession, csp, appOrigin);
  protocol.handle(APP_SCHEME, appProtocolHandler({ root: rendererRoot, csp }));
  registerIpc(ipcMain, createHandlers(c, { version: app.getVersion() }), originPolicy(appOrigin));
  ctx = c;
  windowState = state;
  mainWindow = createWindow(c, state);
  tray = new KeyfleetTray(trayIconPath(process.resourcesPath, app.isPackaged), {
    open: () => focusWindow(),
    refreshAll: () => void refreshInstances(c).catch((e: Error) => c.log.warn(e.message)),
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  tray.show(dueSoonCount(c));
  const openLicense = (licenseId: string) => {
    focusWindow();
    send('openLicense', { licenseId });
  };
  background = new BackgroundChecks(c, electronNotifier({ openLicense, openStock: () => focusWindow(), showWindow: () => focusWindow() }), () => undefined);
  followStoreChanges(c);
  background.start();
  powerMonitor.on('resume', () => background?.onResume());
  applyLoginItem(c);
  c.store.onCommit(() => applyLoginItem(c));
  app.on('activate', () => focusWindow());
}

/** A start-up failure is said in a native dialog; then the process ends and frees the lock. */
function failStart(error: unknown): void {
  process.stderr.write(`keyfleet-main: start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  try {
    dialog.showErrorBox(STARTUP_ERROR_TITLE, startupErrorMessage(error, dataDir));
  } finally {
    app.exit(1);
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, (url) => shell.openExternal(url)));
  app.on('before-quit', () => {
    quitting = true;
  });
  app.whenReady().then(start).catch(failStart);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !ctx?.store.data.settings.keepRunningInTray) app.quit();
  });
  app.on('will-quit', () => {
    background?.stop();
    tray?.destroy();
  });
}
