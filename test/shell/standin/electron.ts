// Long by design: one stand-in, the part of the `electron` module the built main bundle uses, with Electron's rules where they bite.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A stand-in for the `electron` module, for booting the BUILT main bundle where no Electron
 * binary can run. It is not a mock of Keyfleet: every Keyfleet module runs as built. It keeps
 * Electron's rules where they bite a real app:
 * - `protocol.registerSchemesAsPrivileged` only before 'ready'; `protocol.handle`, windows and
 *   trays only after it; a URL of an unknown scheme does not load;
 * - `loadFile` turns a path into a URL as Electron does (absolute, slashes, percent-encoded);
 *   `loadURL('app://…')` answers through the handler main registered;
 * - `app.isPackaged`, `process.resourcesPath` and the app path as in a package (the app is read
 *   from `resources/app.asar` when OnlyLoadAppFromAsar is on);
 * - a `file://` page gets no privileged scheme when the GrantFileProtocolExtraPrivileges fuse is
 *   off, as Electron does: it is refused here, the same way Chromium refuses its module script;
 * - the single-instance lock is a real lock in userData, released when the process ends;
 * - the sandboxed preload may require only what Electron allows (see renderer.ts).
 * What the app asks of Electron is recorded in `state` for tests to read.
 */
export interface StandinOptions {
  userData: string;
  /** Where the app's package.json is: <resources>/app.asar when packaged, else the project. */
  appPath: string;
  isPackaged: boolean;
  resourcesPath: string;
  version?: string;
  /** Fuses as the packaged binary carries them (read with @electron/fuses); defaults to Electron's. */
  fuses?: { onlyLoadAppFromAsar?: boolean; grantFileProtocolExtraPrivileges?: boolean };
  /** Called for each line of a native error dialog (the process is about to exit). */
  onErrorBox?: (title: string, content: string) => void;
  /** What app.exit does; in a child process, process.exit. */
  onExit?: (code: number) => void;
}

export type ProtocolHandler = (request: Request) => Response | Promise<Response>;
type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
type PermissionCheckHandler = (wc: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean;
type HeadersHook = (details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;
type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

export interface StandinState {
  ready: boolean;
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  protocolHandlers: Map<string, ProtocolHandler>;
  ipcHandlers: Map<string, IpcHandler>;
  ipcListeners: string[];
  windows: StandinBrowserWindow[];
  trays: Array<{ iconPath: string; iconExists: boolean; tooltip: string }>;
  /** Held weakly, as the OS holds nothing of a JS Notification: only the app's references keep one alive. */
  notifications: Array<WeakRef<StandinNotification>>;
  notificationLog: Array<{ title: string; body: string }>;
  headersHooks: HeadersHook[];
  permissionRequestHandler: PermissionRequestHandler | null;
  permissionCheckHandler: PermissionCheckHandler | null;
  errorBoxes: Array<{ title: string; content: string }>;
  exitCode: number | null;
  quitRequested: boolean;
  openedExternally: string[];
  app: EventEmitter;
  webContentsCreated: (contents: StandinWebContents) => void;
}

export class StandinWebContents extends EventEmitter {
  readonly id: number;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  /** Where pushes to the page go once a renderer is attached (renderer.ts). */
  deliver: ((channel: string, payload: unknown) => void) | null = null;
  readonly queued: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  mainFrame: { url: string; parent: null } = { url: '', parent: null };
  static #next = 1;
  constructor() {
    super();
    this.id = StandinWebContents.#next++;
  }
  send(channel: string, payload: unknown): void {
    // Electron serialises with the structured clone algorithm: a function or class instance fails here as there.
    const cloned = structuredClone(payload);
    if (this.deliver) this.deliver(channel, cloned);
    else this.queued.push({ channel, payload: cloned });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class StandinBrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents = new StandinWebContents();
  url: string | null = null;
  shown = false;
  destroyed = false;
  readonly #state: StandinState;
  constructor(state: StandinState, options: Record<string, unknown>) {
    super();
    if (!state.ready) throw new Error('Cannot create BrowserWindow before app is ready');
    this.#state = state;
    this.options = options;
    state.windows.push(this);
    state.webContentsCreated(this.webContents);
  }
  /** As Electron: an absolute path becomes a file: URL, percent-encoded, with forward slashes. */
  loadFile(file: string): Promise<void> {
    return this.loadURL(pathToFileURL(path.resolve(file)).href);
  }
  async loadURL(url: string): Promise<void> {
    const scheme = new URL(url).protocol.slice(0, -1);
    if (scheme === 'file') {
      if (!fs.existsSync(new URL(url))) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    } else if (scheme !== 'http' && scheme !== 'https') {
      if (!this.#state.protocolHandlers.has(scheme)) throw new Error(`ERR_UNKNOWN_URL_SCHEME (-302) loading '${url}'`);
      if (!this.#state.privilegedSchemes.some((s) => s.scheme === scheme && s.privileges.standard)) {
        throw new Error(`'${url}': a scheme that is not registered as standard has no origin; register it with protocol.registerSchemesAsPrivileged before ready`);
      }
    }
    this.url = url;
    this.webContents.mainFrame = { url, parent: null };
    setImmediate(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  focus(): void {}
  maximize(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: 40, y: 30, width: 1280, height: 820 };
  }
}

export class StandinNotification extends EventEmitter {
  readonly options: { title: string; body: string };
  shown = false;
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    this.shown = true;
  }
}

/** Electron's single-instance lock: a `SingletonLock` in userData naming host and pid. */
function acquireLock(userData: string): boolean {
  fs.mkdirSync(userData, { recursive: true });
  const lock = path.join(userData, 'SingletonLock');
  const me = `${os.hostname()}-${process.pid}`;
  try {
    fs.symlinkSync(me, lock);
  } catch {
    const holder = (() => {
      try {
        return fs.readlinkSync(lock);
      } catch {
        return '';
      }
    })();
    const pid = Number(holder.split('-').pop());
    let alive: boolean;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive && pid !== process.pid) return false;
    fs.rmSync(lock, { force: true });
    fs.symlinkSync(me, lock);
  }
  process.once('exit', () => fs.rmSync(lock, { force: true }));
  return true;
}

export function createElectronStandin(opts: StandinOptions): { electron: Record<string, unknown>; state: StandinState } {
  const appEvents = new EventEmitter();
  const state: StandinState = {
    ready: false,
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    ipcHandlers: new Map(),
    ipcListeners: [],
    windows: [],
    trays: [],
    notifications: [],
    notificationLog: [],
    headersHooks: [],
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    errorBoxes: [],
    exitCode: null,
    quitRequested: false,
    openedExternally: [],
    app: appEvents,
    webContentsCreated: (contents) => appEvents.emit('web-contents-created', {}, contents),
  };
  const fuses = { onlyLoadAppFromAsar: false, grantFileProtocolExtraPrivileges: true, ...opts.fuses };
  if (opts.isPackaged && fuses.onlyLoadAppFromAsar && path.basename(opts.appPath) !== 'app.asar') {
    throw new Error(`OnlyLoadAppFromAsar is on: the app must be loaded from resources/app.asar, not ${opts.appPath}`);
  }
  // Electron sets these before the main script runs.
  (process as unknown as { resourcesPath: string }).resourcesPath = opts.resourcesPath;

  let readyPromise: Promise<void> | null = null;
  const whenReady = () =>
    (readyPromise ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        state.ready = true;
        appEvents.emit('ready');
        resolve();
      }),
    ));

  const app = {
    isPackaged: opts.isPackaged,
    requestSingleInstanceLock: () => acquireLock(opts.userData),
    whenReady,
    isReady: () => state.ready,
    on: (event: string, listener: (...args: unknown[]) => void) => {
      appEvents.on(event, listener);
      return app;
    },
    once: (event: string, listener: (...args: unknown[]) => void) => {
      appEvents.once(event, listener);
      return app;
    },
    getPath: (name: string) => {
      if (name === 'userData') return opts.userData;
      if (name === 'temp') return os.tmpdir();
      if (name === 'home') return os.homedir();
      throw new Error(`stand-in: getPath('${name}') is not needed by Keyfleet`);
    },
    getAppPath: () => opts.appPath,
    getVersion: () => opts.version ?? JSON.parse(fs.readFileSync(path.join(opts.appPath, 'package.json'), 'utf8')).version,
    getName: () => 'Keyfleet',
    setAppUserModelId: () => undefined,
    setLoginItemSettings: () => undefined,
    setBadgeCount: () => true,
    quit: () => {
      state.quitRequested = true;
      appEvents.emit('before-quit', { preventDefault: () => undefined });
      appEvents.emit('will-quit', { preventDefault: () => undefined });
      opts.onExit?.(0);
    },
    exit: (code = 0) => {
      state.exitCode = code;
      opts.onExit?.(code);
    },
  };

  const protocol = {
    registerSchemesAsPrivileged: (schemes: StandinState['privilegedSchemes']) => {
      if (state.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      state.privilegedSchemes.push(...schemes);
    },
    handle: (scheme: string, handler: ProtocolHandler) => {
      if (!state.ready) throw new Error('protocol.handle must be called after app is ready');
      if (scheme === 'file' && !fuses.grantFileProtocolExtraPrivileges) throw new Error('file: is not privileged with the GrantFileProtocolExtraPrivileges fuse off');
      if (state.protocolHandlers.has(scheme)) throw new Error(`protocol.handle: ${scheme} is already handled`);
      state.protocolHandlers.set(scheme, handler);
    },
    unhandle: (scheme: string) => state.protocolHandlers.delete(scheme),
    isProtocolHandled: (scheme: string) => state.protocolHandlers.has(scheme),
  };

  const session = {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: HeadersHook) => state.headersHooks.push(fn) },
      setPermissionRequestHandler: (fn: PermissionRequestHandler) => (state.permissionRequestHandler = fn),
      setPermissionCheckHandler: (fn: PermissionCheckHandler) => (state.permissionCheckHandler = fn),
    },
  };

  const ipcMain = {
    handle: (channel: string, fn: IpcHandler) => {
      if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      state.ipcHandlers.set(channel, fn);
    },
    removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    on: (channel: string) => state.ipcListeners.push(channel),
    removeAllListeners: (channel?: string) => {
      state.ipcListeners = channel ? state.ipcListeners.filter((c) => c !== channel) : [];
    },
  };

  class Tray extends EventEmitter {
    readonly #entry: StandinState['trays'][number];
    constructor(image: { path: string; exists: boolean }) {
      super();
      if (!state.ready) throw new Error('Cannot create Tray before app is ready');
      this.#entry = { iconPath: image.path, iconExists: image.exists, tooltip: '' };
      state.trays.push(this.#entry);
    }
    setToolTip(t: string) {
      this.#entry.tooltip = t;
    }
    setTitle() {}
    setContextMenu() {}
    destroy() {}
  }

  class Notification extends StandinNotification {
    constructor(o: { title: string; body: string }) {
      super(o);
      state.notifications.push(new WeakRef(this));
      state.notificationLog.push({ title: o.title, body: o.body });
    }
  }

  const electron: Record<string, unknown> = {
    app,
    protocol,
    session,
    ipcMain,
    BrowserWindow: class extends StandinBrowserWindow {
      constructor(o: Record<string, unknown>) {
        super(state, o);
      }
    },
    Notification,
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    nativeImage: {
      // Electron gives an empty image for a missing file (no error): record whether it was there.
      createFromPath: (p: string) => {
        const img = { path: p, exists: fs.existsSync(p), resize: () => img };
        return img;
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => {
        state.errorBoxes.push({ title, content });
        opts.onErrorBox?.(title, content);
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: async (url: string) => void state.openedExternally.push(url), openPath: async () => '' },
    powerMonitor: new EventEmitter(),
  };
  return { electron, state };
}
