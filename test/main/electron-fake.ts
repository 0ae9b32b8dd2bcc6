import { EventEmitter } from 'node:events';

/**
 * A stand-in for the `electron` module at the boundary: it records what the main process asks
 * of Electron (windows, IPC handlers, session hooks, notifications) so tests can check it.
 * Nothing of Keyfleet's own is replaced.
 */
export const calls = {
  windows: [] as FakeBrowserWindow[],
  handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
  onChannels: [] as string[],
  headersHooks: [] as Array<(details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void>,
  permissionHandlers: [] as Array<(wc: unknown, permission: string, cb: (ok: boolean) => void) => void>,
  notifications: [] as FakeNotification[],
  appEvents: new EventEmitter(),
  singleInstanceLockRequested: 0,
  openedExternally: [] as string[],
  badge: [] as number[],
};

export let userDataDir = '';
export function setUserDataDir(dir: string): void {
  userDataDir = dir;
}

class FakeWebContents extends EventEmitter {
  sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: 'file:///app/.vite/renderer/main_window/index.html', parent: null };
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  isDestroyed() {
    return false;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents = new FakeWebContents();
  loaded: string | null = null;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    calls.windows.push(this);
  }
  loadFile(f: string) {
    this.loaded = f;
    return Promise.resolve();
  }
  loadURL(u: string) {
    this.loaded = u;
    return Promise.resolve();
  }
  maximize() {}
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  hide() {}
  focus() {}
  isMaximized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
}

export class FakeNotification extends EventEmitter {
  options: { title: string; body: string };
  shown = false;
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
    calls.notifications.push(this);
  }
  static isSupported() {
    return true;
  }
  show() {
    this.shown = true;
  }
}

class FakeTray extends EventEmitter {
  tooltip = '';
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setTitle() {}
  setContextMenu() {}
  destroy() {}
}

const readyWaiters: Array<() => void> = [];
export function appIsReady(): Promise<void> {
  return new Promise((r) => readyWaiters.push(r));
}

export const electronFake = {
  app: {
    requestSingleInstanceLock: () => {
      calls.singleInstanceLockRequested++;
      return true;
    },
    whenReady: () =>
      Promise.resolve().then(() => {
        setTimeout(() => readyWaiters.splice(0).forEach((r) => r()), 0);
      }),
    on: (event: string, listener: (...args: unknown[]) => void) => calls.appEvents.on(event, listener),
    quit: () => undefined,
    getPath: (name: string) => (name === 'userData' ? userDataDir : userDataDir),
    getVersion: () => '0.0.0-test',
    setAppUserModelId: () => undefined,
    setLoginItemSettings: () => undefined,
    setBadgeCount: (n: number) => calls.badge.push(n),
    isPackaged: false,
  },
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
  Tray: FakeTray,
  Menu: { buildFromTemplate: (t: unknown) => t },
  nativeImage: { createFromPath: () => ({ resize: () => ({}) }) },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => calls.handlers.set(channel, fn),
    removeHandler: (channel: string) => calls.handlers.delete(channel),
    on: (channel: string) => calls.onChannels.push(channel),
    removeAllListeners: (channel: string) => {
      calls.onChannels = calls.onChannels.filter((c) => c !== channel);
    },
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: (typeof calls.headersHooks)[number]) => calls.headersHooks.push(fn) },
      setPermissionRequestHandler: (fn: (typeof calls.permissionHandlers)[number]) => calls.permissionHandlers.push(fn),
      setPermissionCheckHandler: () => undefined,
    },
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: (url: string) => calls.openedExternally.push(url) },
  powerMonitor: new EventEmitter(),
};
