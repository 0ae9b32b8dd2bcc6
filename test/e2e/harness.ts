import { expect } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { METHODS, PUSH_EVENT_NAMES, type PushEventName, type PushEvents } from '../../electron/core/api/contract.ts';
import { dispatch, type CallContext } from '../../electron/core/api/dispatch.ts';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import type { Context } from '../../electron/core/context.ts';
import { openContext } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { contentSecurityPolicy } from '../../electron/main/csp.ts';

/**
 * The built renderer in headless Chromium, with window.keyfleet backed by the REAL handlers over
 * a loopback connection: POST /__api/<method> → dispatch(createHandlers(ctx)) and push events
 * over server-sent events. Everything below the bridge is what ships: the bundle, the CSP, the
 * contract validation, the services, the store on disk and the OS keychain.
 */
export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../.vite/renderer/main_window');
export const RESULTS_DIR = path.resolve(import.meta.dirname, '../../test-results');
const MAX_BODY = 60 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export function requireBuild(): string {
  const index = path.join(RENDERER_DIR, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`The renderer is not built: ${index} is missing. Run "npm run build:renderer" before the end-to-end tests.`);
  }
  return index;
}

/** Same shape as preload's bridge: one function per contract method, plus on(event, listener). */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const METHODS = ${JSON.stringify(METHODS)};
  const EVENTS = ${JSON.stringify(PUSH_EVENT_NAMES)};
  const listeners = new Map();
  let source = null;
  const connect = () => {
    if (source) return;
    source = new EventSource('/__events');
    source.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      for (const l of listeners.get(msg.name) || []) l(msg.payload);
    };
  };
  const bridge = {};
  for (const method of METHODS) {
    bridge[method] = async (input) => {
      const res = await fetch('/__api/' + method, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input === undefined ? {} : input) });
      return res.json();
    };
  }
  bridge.on = (event, listener) => {
    if (!EVENTS.includes(event)) throw new Error('unknown event ' + String(event));
    connect();
    const set = listeners.get(event) || new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  Object.defineProperty(window, 'keyfleet', { value: Object.freeze(bridge), enumerable: true });
})();
`;
}

/** index.html with the bridge loaded before the app's own script. */
export function injectBridge(html: string): string {
  const tag = '<script src="/__bridge.js"></script>';
  const at = html.search(/<script\b[^>]*type="module"/);
  if (at < 0) throw new Error('index.html has no module script to inject the bridge before');
  return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  /** Responses with status 400 or more (the URL and status). */
  failedRequests: string[];
}

/** A page that logged no console error, threw nothing and had no request fail. */
export function expectCleanPage(problems: PageProblems): void {
  expect(problems.pageErrors).toEqual([]);
  expect(problems.failedRequests).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
}

export interface Harness {
  url: string;
  ctx: Context;
  dataDir: string;
  browser: Browser;
  /** Every method call the page made, in order (method names only). */
  calls: string[];
  emit<E extends PushEventName>(event: E, payload: PushEvents[E]): void;
  /** A fresh browser context (own profile state) and page, with problems collected. */
  newPage(opts?: { colorScheme?: 'light' | 'dark'; width?: number; height?: number }): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  version?: string;
  /** Runs on the empty data directory before the store is opened (e.g. to write keyfleet.json). */
  prepare?: (dataDir: string) => void;
  /**
   * Delete every instance, source and credential secret from the keychain on close (default true).
   * A seeded store whose secrets were never set skips this: thousands of keychain calls for nothing.
   */
  forgetSecrets?: boolean;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const indexFile = requireBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-e2e-'));
  opts.prepare?.(dataDir);
  const ctx = openContext({ dataDir, vault: new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE) });
  const handlers = createHandlers(ctx, { version: opts.version ?? '0.1.0-e2e' });
  const sse = new Set<http.ServerResponse>();
  const calls: string[] = [];
  const csp = contentSecurityPolicy();

  const emit = <E extends PushEventName>(event: E, payload: PushEvents[E]) => {
    const data = `data: ${JSON.stringify({ name: event, payload })}\n\n`;
    for (const res of sse) res.write(data);
  };
  const call: CallContext = { emit };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      try {
        if (req.method === 'POST' && url.pathname.startsWith('/__api/')) {
          const method = decodeURIComponent(url.pathname.slice('/__api/'.length));
          const text = await readBody(req);
          let input: unknown;
          try {
            input = text ? JSON.parse(text) : {};
          } catch {
            input = Symbol('unparseable');
          }
          calls.push(method);
          const writesBefore = ctx.store.writes;
          const envelope = await dispatch(handlers, method, typeof input === 'symbol' ? null : input, call);
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          res.end(JSON.stringify(envelope));
          // What main does after a write: tell the window the store changed.
          if (ctx.store.writes !== writesBefore) emit('storeChanged', { at: new Date().toISOString() });
          return;
        }
        if (req.method !== 'GET') {
          res.writeHead(405).end();
          return;
        }
        if (url.pathname === '/__events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          sse.add(res);
          req.on('close', () => sse.delete(res));
          return;
        }
        if (url.pathname === '/__bridge.js') {
          res.writeHead(200, { 'content-type': MIME['.js']!, 'cache-control': 'no-store' });
          res.end(bridgeScript());
          return;
        }
        if (url.pathname === '/' || url.pathname === '/index.html') {
          const html = injectBridge(fs.readFileSync(indexFile, 'utf8'));
          res.writeHead(200, { 'content-type': MIME['.html']!, 'content-security-policy': csp, 'cache-control': 'no-store' });
          res.end(html);
          return;
        }
        const file = path.resolve(RENDERER_DIR, `.${decodeURIComponent(url.pathname)}`);
        if (!file.startsWith(RENDERER_DIR + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end((e as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const browser = await chromium.launch({
    executablePath: process.env.KEYFLEET_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const contexts: BrowserContext[] = [];

  return {
    url: `http://127.0.0.1:${port}/`,
    ctx,
    dataDir,
    browser,
    calls,
    emit,
    async newPage(o = {}) {
      const context = await browser.newContext({ colorScheme: o.colorScheme ?? 'light', viewport: { width: o.width ?? 1360, height: o.height ?? 860 }, deviceScaleFactor: 1 });
      contexts.push(context);
      // Shorter than the test timeout, so a stuck step names its locator instead of timing the test out.
      context.setDefaultTimeout(8_000);
      const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [] };
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => problems.pageErrors.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.failedRequests.push(`${r.status()} ${r.url()}`);
      });
      return { page, context, problems };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      for (const res of sse) res.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Secrets the test stored go too: remove every instance/source/credential through the services' own keychain.
      if (opts.forgetSecrets === false) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        return;
      }
      for (const i of ctx.store.data.instances) await ctx.vault.delete({ type: 'instance', id: i.id }).catch(() => false);
      for (const s of ctx.store.data.sources) await ctx.vault.delete({ type: 'source', id: s.id }).catch(() => false);
      for (const c of ctx.store.data.credentials) await ctx.vault.delete({ type: 'credential', id: c.id }).catch(() => false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CSP violations the page recorded (read after the page has settled). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
}

export function resultsPath(name: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, name);
}

/** Click a main navigation entry (Dashboard, Clients, Instances, Key stock, Licenses, History, Settings). */
export async function goTo(page: Page, nav: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${nav}`) }).click();
  await page.getByRole('heading', { name: nav, exact: true }).first().waitFor();
}

/** Pick an option of a Mantine Select (a combobox) by its visible label. */
export async function pick(page: Page, combobox: ReturnType<Page['getByRole']>, option: string | RegExp): Promise<void> {
  await combobox.click();
  await page.getByRole('option', { name: option }).click();
}
