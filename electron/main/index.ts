import path from 'node:path';
import { app, BrowserWindow, ipcMain, screen, session, shell } from 'electron';
import { openContext } from '../core/open.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { stderrLogger } from '../core/log.ts';
import { registerIpc, originPolicy } from './ipc.ts';
import { installCsp, lockDownWebContents } from './security.ts';
import { captureWindowState, restoreBounds, windowOptions } from './window.ts';
import { electronStoreBackend } from './store-backend.ts';
import type { Context } from '../core/context.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererIndex = () => path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
const appUrlPrefix = () => (devServerUrl ? new URL(devServerUrl).origin + '/' : `file://${path.dirname(rendererIndex()).replace(/\\/g, '/')}`);

let mainWindow: BrowserWindow | null = null;
let ctx: Context;

function createWindow(): BrowserWindow {
  const bounds = restoreBounds(ctx.store.data.settings.window, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs'), bounds));
  if (ctx.store.data.settings.window?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const state = captureWindowState(win);
    ctx.store.update((d) => ({ ...d, settings: { ...d.settings, window: state } }));
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererIndex());
  return win;
}

function focusWindow(): void {
  if (!mainWindow) {
    mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, (url) => shell.openExternal(url)));
  app.whenReady().then(() => {
    if (process.platform === 'win32') app.setAppUserModelId('com.keyfleet.app');
    installCsp(session.defaultSession, devServerUrl);
    const dataDir = app.getPath('userData');
    ctx = openContext({ dataDir, backend: electronStoreBackend(dataDir), log: stderrLogger('keyfleet-main'), actor: 'app' });
    registerIpc(ipcMain, createHandlers(ctx, { version: app.getVersion() }), originPolicy(appUrlPrefix));
    mainWindow = createWindow();
    app.on('activate', () => focusWindow());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
