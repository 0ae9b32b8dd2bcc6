import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { build, createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import forgeConfig from '../../forge.config.ts';
import { bootMain, PROJECT, type BootedMain } from './standin/boot.ts';
import { attachWindow, launchChromium, type AttachedWindow } from './standin/renderer.ts';

/**
 * `npm start` as Forge runs it, without an Electron binary: the renderer on Vite's dev server and
 * main and preload built in development mode, both from Forge's own config generator and the
 * project's Vite configs; main booted under the stand-in and its page shown in Chromium with the
 * policy main puts on the dev server's responses.
 */
interface VitePluginConfig {
  build: Array<{ entry: string; config: string; target?: 'main' | 'preload' }>;
  renderer: Array<{ name: string; config: string }>;
}

interface ConfigGenerator {
  getRendererConfig(): Promise<InlineConfig[]>;
  resolveConfig(spec: VitePluginConfig['build'][number], target: string): Promise<InlineConfig>;
}
// Forge's own generator of the Vite configs for `npm start` (not exported by the package, so by path).
const { default: ViteConfigGenerator } = (await import(pathToFileURL(path.join(PROJECT, 'node_modules/@electron-forge/plugin-vite/dist/ViteConfig.js')).href)) as {
  default: new (config: VitePluginConfig, projectDir: string, isProd: boolean) => ConfigGenerator;
};

const plugin = forgeConfig.plugins!.find((p) => (p as { name?: string }).name === 'vite') as unknown as { config: VitePluginConfig };
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-dev-start-'));
let server: ViteDevServer;
let booted: BootedMain;
let browser: Browser;
let win: AttachedWindow;

beforeAll(async () => {
  const generator = new ViteConfigGenerator(plugin.config, PROJECT, false);
  const [renderer] = await generator.getRendererConfig();
  // A free port chosen up front: Vite's HMR client connects to the configured port, so not 0.
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(p));
    });
  });
  server = await createServer({ configFile: false, ...renderer, server: { ...renderer!.server, host: '127.0.0.1', port, strictPort: true } } as InlineConfig);
  await server.listen();
  // Forge's main config reads the dev server's URL (MAIN_WINDOW_VITE_DEV_SERVER_URL) from the server just started.
  for (const spec of plugin.config.build) {
    const cfg = await generator.resolveConfig(spec, spec.target ?? 'main');
    await build({ configFile: false, logLevel: 'error', ...cfg, build: { ...cfg.build, outDir: out, watch: null, emptyOutDir: false } });
  }
  browser = await launchChromium();
  booted = bootMain({ userData: path.join(out, 'user data'), appPath: PROJECT, bundle: path.join(out, 'index.cjs'), isPackaged: false, resourcesPath: path.join(out, 'resources') });
  await booted.started;
});

afterAll(async () => {
  await win?.close();
  await browser?.close();
  await server?.close();
  booted?.state.app.emit('will-quit');
  fs.rmSync(out, { recursive: true, force: true });
});

describe('npm start: the page from the dev server', () => {
  it('main loads the dev server and trusts its origin', () => {
    const url = booted.state.windows[0]!.url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(booted.state.protocolHandlers.has('app')).toBe(true);
  });

  it('renders the app under a policy that lets only the dev server’s own inline preamble run', async () => {
    win = await attachWindow(browser, booted.state, booted.state.windows[0]!);
    const { page } = win;
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`)));
    await page.getByRole('heading', { name: 'Welcome to Keyfleet' }).waitFor({ timeout: 20_000 });
    expect(win.problems.pageErrors).toEqual([]);
    expect(win.problems.consoleErrors.filter((e) => /preamble|Content Security Policy/i.test(e))).toEqual([]);

    const response = await page.request.get(booted.state.windows[0]!.url!);
    const html = await response.text();
    expect(html).toMatch(/<script type="module">[\s\S]*injectIntoGlobalHook/);
    // The page's policy is main's: 'self' and the preamble's hash, never 'unsafe-inline' for scripts.
    const csp = (await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'))) ?? '';
    expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toMatch(/^script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'$/);
    // Any other inline script is refused.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
    });
    await expect.poll(() => violations.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });

  it('the page reaches main through the preload: a client added in the UI is in the store', async () => {
    const { page } = win;
    await page.getByRole('button', { name: 'Add client' }).click();
    const client = page.getByRole('dialog', { name: 'Add client' });
    await client.getByRole('textbox', { name: 'Name' }).fill('Dev Client');
    await client.getByRole('button', { name: 'Add client' }).click();
    await client.waitFor({ state: 'detached' });
    const store = JSON.parse(fs.readFileSync(path.join(out, 'user data', 'keyfleet.json'), 'utf8'));
    expect(store.clients.map((c: { name: string }) => c.name)).toEqual(['Dev Client']);
  });
});
