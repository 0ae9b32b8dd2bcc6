import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_PREFIX, METHODS } from '../../electron/core/api/contract.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { bootMain, type BootedMain } from './standin/boot.ts';
import { attachWindow, launchChromium, type AttachedWindow } from './standin/renderer.ts';
import { installedApp, type InstalledApp } from './standin/installed-app.ts';
import { goTo, pick } from '../e2e/harness.ts';
import * as ui from '../e2e/steps.ts';

/**
 * The desktop app as it ships: the main bundle Forge built, booted from an install folder whose
 * path has spaces and non-ASCII characters (as a mounted "Keyfleet 0.1.0" DMG or a user's
 * profile folder has), with app.isPackaged and process.resourcesPath as in a package, its page
 * served over app:// by main's own handler and shown in Chromium through the real preload.
 */
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const PPK = 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90';

let app: InstalledApp;
let booted: BootedMain;
let browser: Browser;
let win: AttachedWindow;
let page: Page;
let loway: LowaySimulator;
let qm: QmSimulator;
const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE);

const store = () => JSON.parse(fs.readFileSync(path.join(app.userData, 'keyfleet.json'), 'utf8'));

beforeAll(async () => {
  const installed = installedApp({ installDir: 'Keyfleet 0.1.0/Zürich Büro', userDataDir: 'Données Keyfleet' });
  await installed.ready;
  app = installed;
  booted = bootMain({ userData: app.userData, appPath: app.appPath, isPackaged: true, resourcesPath: app.resourcesPath, fuses: app.fuses });
  [browser, loway, qm] = await Promise.all([launchChromium(), startLowaySimulator(), startQmSimulator({ key: OLD_KEY, restartMs: 300 })]);
  await booted.started;
});

afterAll(async () => {
  await win?.close();
  await browser?.close();
  await loway?.close();
  await qm?.close();
  booted?.state.app.emit('will-quit');
  const s = fs.existsSync(path.join(app.userData, 'keyfleet.json')) ? store() : { instances: [], sources: [] };
  for (const i of s.instances) await vault.delete({ type: 'instance', id: i.id }).catch(() => false);
  for (const src of s.sources) await vault.delete({ type: 'source', id: src.id }).catch(() => false);
  app?.remove();
});

describe('the built main bundle, booted as installed', () => {
  it('starts: one sandboxed window on app://keyfleet, its preload beside the bundle, a tray icon that exists', () => {
    expect(booted.state.exitCode).toBeNull();
    expect(booted.bundle).toBe(path.join(app.appPath, '.vite/build/index.cjs'));
    expect(booted.state.windows).toHaveLength(1);
    const w = booted.state.windows[0]!;
    expect(w.url).toBe('app://keyfleet/index.html');
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toBe(path.join(app.appPath, '.vite/build/preload.cjs'));
    expect(fs.existsSync(String(prefs.preload))).toBe(true);
    expect(booted.state.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(booted.state.trays).toHaveLength(1);
    expect(booted.state.trays[0]).toMatchObject({ iconPath: path.join(app.resourcesPath, 'icon.png'), iconExists: true });
  });

  it('listens on exactly one IPC channel per contract method, nothing else', () => {
    expect([...booted.state.ipcHandlers.keys()].sort()).toEqual(METHODS.map((m) => `${IPC_PREFIX}${m}`).sort());
    expect(booted.state.ipcListeners).toEqual([]);
  });

  it('serves only the renderer folder over app://, with the strict policy', async () => {
    const handle = booted.state.protocolHandlers.get('app')!;
    const index = await handle(new Request('app://keyfleet/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self'");
    for (const escape of ['app://keyfleet/../../package.json', 'app://keyfleet/..%2f..%2fpackage.json', 'app://keyfleet/%2e%2e/%2e%2e/package.json', 'app://keyfleet/..%5c..%5cpackage.json', 'app://other/index.html']) {
      expect((await handle(new Request(escape))).status, escape).toBe(404);
    }
    expect((await handle(new Request('app://keyfleet/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('the page in Chromium through the real preload', () => {
  beforeAll(async () => {
    win = await attachWindow(browser, booted.state, booted.state.windows[0]!);
    page = win.page;
  });

  it('shows the first-start guide with no error and no policy violation', async () => {
    await page.getByRole('heading', { name: 'Welcome to Keyfleet' }).waitFor();
    await page.getByText('Keyfleet 0.1.0').first().waitFor();
    expect(await page.evaluate(() => Object.keys((window as unknown as { keyfleet: object }).keyfleet).length)).toBe(METHODS.length + 1);
    // The page has the bridge and nothing of Node or Electron.
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(win.problems.pageErrors).toEqual([]);
    expect(win.problems.consoleErrors).toEqual([]);
  });

  it('adds a client, and an instance whose password goes to the keychain only', async () => {
    await ui.addClient(page, { name: 'Zürich Contact AG', email: 'it@zuerich.test' });
    expect(store().clients).toMatchObject([{ name: 'Zürich Contact AG', email: 'it@zuerich.test' }]);
    await ui.addLowaySource(page, { name: 'loway', email: 'keys@reseller.test', url: loway.url });
    await ui.addQueueMetricsInstance(page, { name: 'qm-zuerich', url: qm.baseUrl, user: 'keyupdater', password: 'ku-secret', client: 'Zürich Contact AG' });
    await page.getByRole('grid', { name: 'Instances' }).getByRole('row', { name: /qm-zuerich/ }).waitFor();

    const instance = store().instances.find((i: { name: string }) => i.name === 'qm-zuerich');
    await expect(vault.get({ type: 'instance', id: instance.id })).resolves.toBe('ku-secret');
    expect(fs.readFileSync(path.join(app.userData, 'keyfleet.json'), 'utf8')).not.toContain('ku-secret');
  });

  it('activates a PPK: converted on the key server, installed on QueueMetrics, read back; progress arrives as pushed events', async () => {
    await goTo(page, 'Key stock');
    await page.getByRole('textbox', { name: 'Pre-purchased keys' }).fill(PPK);
    await page.getByRole('button', { name: 'Import 1 key' }).click();
    await page.getByRole('status').filter({ hasText: '1 added' }).waitFor();

    await goTo(page, 'Instances');
    await page.getByRole('grid', { name: 'Instances' }).getByText('qm-zuerich', { exact: true }).click();
    await page.getByRole('heading', { name: 'QueueMetrics', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Activate PPK…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Activate PPK' });
    await pick(page, dialog.getByRole('combobox', { name: 'PPK' }), /74KKMREX6TOH1/);
    await dialog.getByRole('button', { name: 'Activate PPK' }).click();
    // Steps are jobProgress events main sends with webContents.send, through ipcRenderer.on.
    await dialog.getByRole('log', { name: 'Steps' }).getByText(/Waiting for the restart|Reading the key back/).first().waitFor();
    const done = dialog.getByRole('status').filter({ hasText: 'Key installed and verified' });
    await done.waitFor({ timeout: 20_000 });
    const key = loway.conversions.get(PPK)!.key;
    await qm.sync();
    expect(qm.events.filter((e) => e.outcome === 'set').map((e) => e.newKey)).toEqual([key]);
    expect(store().licenses.map((l: { key: string }) => l.key)).toContain(key);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('copies the key to the clipboard (the app grants its own page the clipboard write, nothing else)', async () => {
    const key = loway.conversions.get(PPK)!.key;
    const card = page.locator('.kf-card').filter({ has: page.getByRole('heading', { name: 'License', exact: true }) });
    await card.getByRole('button', { name: /^Copy/ }).first().click();
    await page.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect(win.problems.pageErrors).toEqual([]);
  });

  it('refuses every call from a page of another origin, even with the same preload', async () => {
    const foreign = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    const other = await attachWindow(browser, booted.state, booted.state.windows[0]!, { url: `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/` });
    try {
      const answer = await other.page.evaluate(() => (window as unknown as { keyfleet: { listClients(i: object): Promise<unknown> } }).keyfleet.listClients({}));
      expect(answer).toMatchObject({ ok: false, error: { code: 'DENIED' } });
      const clipboard = await other.page.evaluate(() => navigator.clipboard.writeText('x').then(() => 'written', (e: Error) => e.name));
      expect(clipboard).toBe('NotAllowedError');
    } finally {
      await other.close();
      foreign.close();
    }
  });
});

describe('what main grants', () => {
  it('the clipboard write to its own origin only; no other permission to anyone', () => {
    const check = booted.state.permissionCheckHandler!;
    expect(check(null, 'clipboard-sanitized-write', 'app://keyfleet', {})).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'http://127.0.0.1:1', {})).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'file:///', {})).toBe(false);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal']) expect(check(null, p, 'app://keyfleet', {}), p).toBe(false);
    const answers: boolean[] = [];
    booted.state.permissionRequestHandler!(null, 'clipboard-sanitized-write', (g) => answers.push(g), { requestingUrl: 'app://keyfleet/index.html' });
    booted.state.permissionRequestHandler!(null, 'media', (g) => answers.push(g), { requestingUrl: 'app://keyfleet/index.html' });
    booted.state.permissionRequestHandler!(null, 'clipboard-sanitized-write', (g) => answers.push(g), { requestingUrl: 'https://evil.example/' });
    expect(answers).toEqual([true, false, false]);
  });
});
