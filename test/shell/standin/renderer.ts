import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { StandinBrowserWindow, StandinState } from './electron.ts';

/**
 * Shows a window of the booted main in real Chromium, through the REAL preload bundle.
 *
 * Chromium cannot register Electron's custom schemes, so each scheme main handles is served on
 * a loopback origin of its own by calling main's own `protocol.handle` handler (with main's
 * webRequest header hooks applied), and URLs are translated both ways: the page at
 * `http://127.0.0.1:P/index.html` is `app://keyfleet/index.html` to main, which is what
 * Electron's `senderFrame.url` would say. Any other origin keeps its own URL, so main sees a
 * foreign page as foreign. A `file://` URL is loaded as a file, where Chromium applies its own
 * file-origin rules.
 *
 * The preload runs as Electron runs a sandboxed one: a `require` that gives only `electron`
 * (contextBridge, ipcRenderer), `events`, `timers` and `url`, anything else throwing as Electron
 * does; `contextBridge.exposeInMainWorld` puts a frozen copy on window; `ipcRenderer.invoke`
 * reaches main's `ipcMain.handle` handler with the calling frame; `webContents.send` from main
 * reaches `ipcRenderer.on` listeners. Permission requests are answered by main's own handlers.
 */
export const SANDBOXED_PRELOAD_MODULES = ['electron', 'events', 'timers', 'url'] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KEYFLEET_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Serves one app scheme on loopback through main's handler. */
export async function serveScheme(state: StandinState, scheme: string, host: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const handler = state.protocolHandlers.get(scheme);
      if (!handler) {
        res.writeHead(502).end(`no handler for ${scheme}:`);
        return;
      }
      const appUrl = `${scheme}://${host}${req.url ?? '/'}`;
      try {
        const response = await handler(new Request(appUrl, { method: req.method, headers: req.headers as Record<string, string> }));
        let headers: Record<string, string[]> = {};
        response.headers.forEach((v, k) => (headers[k] = [v]));
        for (const hook of state.headersHooks) hook({ url: appUrl, responseHeaders: headers }, (r) => (headers = r.responseHeaders ?? headers));
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) flat[k.toLowerCase()] = v.join(', ');
        res.writeHead(response.status, flat);
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`handler threw: ${(e as Error).message}`);
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The shim that gives the preload Electron's sandboxed environment, then runs it. */
function preloadScript(preloadSource: string): string {
  return `(() => {
  'use strict';
  const channels = new Map();
  const invoke = window.__keyfleetIpcInvoke;
  const permission = window.__keyfleetPermission;
  delete window.__keyfleetIpcInvoke;
  delete window.__keyfleetPermission;
  Object.defineProperty(window, '__keyfleetDeliver', {
    value: (channel, payload) => { for (const l of channels.get(channel) || []) l({ sender: null }, payload); },
  });
  const deepFreeze = (o) => { if (o && typeof o === 'object') { Object.freeze(o); for (const v of Object.values(o)) deepFreeze(v); } return o; };
  const ipcRenderer = {
    invoke: async (channel, ...args) => {
      const r = await invoke(channel, structuredClone(args));
      if (r && r.__error) throw new Error("Error invoking remote method '" + channel + "': " + r.__error);
      return r.value;
    },
    on(channel, listener) { const s = channels.get(channel) || new Set(); s.add(listener); channels.set(channel, s); return ipcRenderer; },
    removeListener(channel, listener) { channels.get(channel)?.delete(listener); return ipcRenderer; },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (key in window) throw new Error('Cannot bind an API on top of an existing property on the window object');
      Object.defineProperty(window, key, { value: deepFreeze({ ...api }), enumerable: true });
    },
  };
  const allowed = ${JSON.stringify(SANDBOXED_PRELOAD_MODULES)};
  const require = (name) => {
    if (!allowed.includes(name)) throw new Error("module not found: " + name);
    if (name === 'electron') return { contextBridge, ipcRenderer };
    if (name === 'url') return { URL, URLSearchParams };
    if (name === 'timers') return { setTimeout, clearTimeout, setInterval, clearInterval };
    throw new Error('the stand-in does not provide ' + name + ' (Keyfleet\\'s preload should not need it)');
  };
  const clip = navigator.clipboard;
  if (clip) {
    const write = clip.writeText.bind(clip);
    clip.writeText = async (text) => {
      if (!(await permission('clipboard-sanitized-write'))) throw new DOMException('Write permission denied.', 'NotAllowedError');
      return write(text);
    };
  }
  const module = { exports: {} };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}

export interface AttachedWindow {
  page: Page;
  context: BrowserContext;
  /** The page's own URL in Chromium for an app:// URL. */
  pageUrl(appUrl: string): string;
  /** Uncaught errors and console errors the page produced. */
  problems: { pageErrors: string[]; consoleErrors: string[] };
  close(): Promise<void>;
}

/**
 * Opens `win` in a new Chromium context: its preload (the file webPreferences.preload names),
 * its URL. `url` overrides where the page goes (e.g. a foreign origin, to see main refuse it).
 */
export async function attachWindow(browser: Browser, state: StandinState, win: StandinBrowserWindow, opts: { url?: string } = {}): Promise<AttachedWindow> {
  const prefs = win.options.webPreferences as { preload: string; sandbox?: boolean; contextIsolation?: boolean };
  if (prefs.sandbox !== true || prefs.contextIsolation !== true) throw new Error('the window is not sandboxed and isolated; this harness runs only what the app ships');
  const preloadSource = fs.readFileSync(prefs.preload, 'utf8');
  const target = opts.url ?? win.url;
  if (!target) throw new Error('the window has loaded no URL');
  const scheme = new URL(target).protocol.slice(0, -1);
  const host = new URL(target).host;
  const served = scheme !== 'http' && scheme !== 'https' && scheme !== 'file' ? await serveScheme(state, scheme, host) : null;
  const appPrefix = `${scheme}://${host}`;
  const toPage = (u: string) => (served && u.startsWith(appPrefix) ? served.origin + u.slice(appPrefix.length) : u);
  const fromPage = (u: string) => (served && u.startsWith(served.origin) ? appPrefix + u.slice(served.origin.length) : u);

  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  context.setDefaultTimeout(8_000);
  const problems = { pageErrors: [] as string[], consoleErrors: [] as string[] };
  await context.exposeBinding('__keyfleetIpcInvoke', async (source, channel: string, args: unknown[]) => {
    const handler = state.ipcHandlers.get(channel);
    if (!handler) return { __error: `No handler registered for '${channel}'` };
    const frame = source.frame;
    const event = { sender: win.webContents, senderFrame: { url: fromPage(frame.url()), parent: frame.parentFrame() ? { url: fromPage(frame.parentFrame()!.url()) } : null }, processId: 1, frameId: 1 };
    try {
      return { value: structuredClone(await handler(event, ...args)) };
    } catch (e) {
      return { __error: (e as Error).message };
    }
  });
  await context.exposeBinding('__keyfleetPermission', async (source, permission: string) => {
    const requestingUrl = fromPage(source.frame.url());
    const check = state.permissionCheckHandler;
    const request = state.permissionRequestHandler;
    const origin = new URL(requestingUrl).protocol === 'file:' ? 'file:///' : `${new URL(requestingUrl).protocol}//${new URL(requestingUrl).host}`;
    if (check && !check(win.webContents, permission, origin, { requestingUrl })) return false;
    if (!request) return true; // Electron grants by default when no handler is set
    return new Promise<boolean>((resolve) => request(win.webContents, permission, resolve, { requestingUrl }));
  });
  await context.addInitScript({ content: preloadScript(preloadSource) });
  if (scheme === 'http' || scheme === 'https') {
    // Electron passes every network response through the session's webRequest hooks.
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      let headers: Record<string, string[]> = {};
      for (const { name, value } of await response.headersArray()) (headers[name] ??= []).push(value);
      for (const hook of state.headersHooks) hook({ url: route.request().url(), responseHeaders: headers }, (r) => (headers = r.responseHeaders ?? headers));
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) flat[k] = v.join(', ');
      await route.fulfill({ response, headers: flat });
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  win.webContents.deliver = (channel, payload) => {
    void page.evaluate(([c, p]) => (window as unknown as { __keyfleetDeliver(c: unknown, p: unknown): void }).__keyfleetDeliver(c, p), [channel, payload] as const).catch(() => undefined);
  };
  for (const q of win.webContents.queued.splice(0)) win.webContents.deliver(q.channel, q.payload);
  await page.goto(toPage(target));
  if (served) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  return {
    page,
    context,
    problems,
    pageUrl: toPage,
    async close() {
      win.webContents.deliver = null;
      await context.close().catch(() => undefined);
      await served?.close();
    },
  };
}
