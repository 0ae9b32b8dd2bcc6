import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import { METHODS, IPC_PREFIX } from '../../electron/core/api/contract.ts';
import { tempDir } from '../helpers/tmp.ts';

vi.mock('electron', async () => {
  const fake = await import('./electron-fake.ts');
  return { default: fake.electronFake, ...fake.electronFake };
});

const fake = await import('./electron-fake.ts');
const home = tempDir('kf-main-');
fake.setUserDataDir(home);
(globalThis as Record<string, unknown>).MAIN_WINDOW_VITE_NAME = 'main_window';

describe('the Electron main process (electron mocked at the boundary)', () => {
  beforeAll(async () => {
    const ready = fake.appIsReady();
    await import('../../electron/main/index.ts');
    await ready;
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => {
    fake.calls.appEvents.emit('will-quit');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('holds the single-instance lock', () => {
    expect(fake.calls.singleInstanceLockRequested).toBe(1);
  });

  it('creates one window with the secure settings', () => {
    expect(fake.calls.windows).toHaveLength(1);
    const prefs = fake.calls.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(fake.calls.windows[0]!.loaded).toMatch(/main_window[\\/]index\.html$/);
  });

  it('registers exactly one handler per contract method and no other IPC listener', () => {
    expect([...fake.calls.handlers.keys()].sort()).toEqual(METHODS.map((m) => `${IPC_PREFIX}${m}`).sort());
    // electron-store's own synchronous channel is removed: the page reaches only the contract.
    expect(fake.calls.onChannels).toEqual([]);
  });

  it('serves a call from its own window and refuses one from any other frame', async () => {
    const handler = fake.calls.handlers.get(`${IPC_PREFIX}listClients`)!;
    const sender = fake.calls.windows[0]!.webContents;
    // Another local file (not the app's renderer folder) is not our window.
    const otherFile = await handler({ senderFrame: { url: `file://${process.cwd()}/x`, parent: null }, sender }, {});
    // In this test __dirname is the source folder, so the app URL prefix is computed from it.
    const appFrameUrl = `file://${new URL('../../electron/renderer/main_window/index.html', `file://${process.cwd()}/electron/main/`).pathname}`;
    const ok = await handler({ senderFrame: { url: appFrameUrl, parent: null }, sender }, {});
    expect(ok).toEqual({ ok: true, value: [] });
    expect(otherFile).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/', parent: null }, sender }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    const subframe = await handler({ senderFrame: { url: appFrameUrl, parent: { url: appFrameUrl } }, sender }, {});
    expect(subframe).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    const noFrame = await handler({ senderFrame: null, sender }, {});
    expect(noFrame).toMatchObject({ ok: false, error: { code: 'DENIED' } });
  });

  it('sets a strict Content-Security-Policy on every response', () => {
    expect(fake.calls.headersHooks).toHaveLength(1);
    let headers: Record<string, string[]> = {};
    fake.calls.headersHooks[0]!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers['X-Other']).toEqual(['1']);
  });

  it('denies permission requests from the page', () => {
    let granted: boolean | undefined;
    fake.calls.permissionHandlers[0]!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('denies navigation and window.open; http(s) links go to the OS browser only', () => {
    const contents = new (class extends (fake.calls.windows[0]!.webContents.constructor as new () => InstanceType<typeof fake.FakeBrowserWindow>['webContents']) {})();
    fake.calls.appEvents.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.calls.openedExternally).toEqual(['https://example.com/docs']);
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    let attachPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (attachPrevented = true) });
    expect(attachPrevented).toBe(true);
  });

  it('remembers the window size and position in its own file, without rewriting the fleet store', async () => {
    const appFrameUrl = `file://${new URL('../../electron/renderer/main_window/index.html', `file://${process.cwd()}/electron/main/`).pathname}`;
    const added = await fake.calls.handlers.get(`${IPC_PREFIX}addClient`)!({ senderFrame: { url: appFrameUrl, parent: null }, sender: fake.calls.windows[0]!.webContents }, { name: 'Acme', tags: [] });
    expect(added).toMatchObject({ ok: true });
    const fleetBefore = fs.readFileSync(`${home}/keyfleet.json`, 'utf8');
    fake.calls.windows[0]!.emit('close', { preventDefault: () => undefined });
    const saved = JSON.parse(fs.readFileSync(`${home}/window-state.json`, 'utf8'));
    expect(saved.window).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
    expect(fs.readFileSync(`${home}/keyfleet.json`, 'utf8')).toBe(fleetBefore);
    expect(JSON.parse(fleetBefore).settings).not.toHaveProperty('window');
  });
});
