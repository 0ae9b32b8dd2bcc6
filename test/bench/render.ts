/**
 * The renderer with a large fleet: the built bundle in headless Chromium (the end-to-end
 * harness, real handlers over loopback) on a store of 5,000 instances and 20,000 licenses.
 *
 *   (a) first render of the Licenses view: from the click on "Licenses" in the sidebar until the
 *       first rows are on screen (the data is fetched from the handlers as the app does it);
 *   (b) filter latency: from a keystroke in the search box until the table shows the new row set.
 *
 * Both are timed inside the page (performance.now() around the event and the frame that shows
 * the result), so the remote-control round trips of the test driver are not counted.
 *
 *   node test/bench/render.ts        prints the figures (builds the renderer first if needed)
 *   renderBench()                    the same figures, for test/bench/run.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { RENDERER_DIR, startHarness } from '../e2e/harness.ts';
import { buildFleet, writeFleetStore } from './fleet-store.ts';

export interface RenderFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const INSTANCES = 5_000;
const LICENSES_PER_INSTANCE = 4;
/** Warm navigations to the Licenses view after the first (the median is reported). */
const NAVIGATIONS = 5;
/**
 * Keystrokes typed into the search box: a character, then Backspace, alternately. Each letter
 * keeps a different part of the fleet (w: Webitel and QLM Wallboard, y: iSymphony and QLM keys,
 * k: QLM keys, h: iSymphony, u: QueueMetrics, g: expiring), so every keystroke changes the rows.
 */
const KEYS = ['w', 'Backspace', 'y', 'Backspace', 'k', 'Backspace', 'h', 'Backspace', 'u', 'Backspace', 'g', 'Backspace'];
const FIRST_RENDER_TARGET_MS = 1000;
const FILTER_TARGET_MS = 50;

function ensureBuilt(log: (m: string) => void): void {
  if (fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) return;
  log('the renderer is not built: running vite build');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * In the page: resolve with the ms from `start` until the Licenses grid shows body rows whose ids
 * differ from `before` (checked after every DOM change), measured at the end of the frame that
 * shows them.
 */
function installWatcher(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as {
      __kfRowIds: () => string;
      __kfWaitRows: (before: string, start: number, timeoutMs: number) => Promise<number>;
      __kfDomMs: number[];
    };
    w.__kfDomMs = [];
    w.__kfRowIds = () =>
      Array.from(document.querySelectorAll('[role="grid"][aria-label="Licenses"] [role="row"][data-row-id]'))
        .map((r) => r.getAttribute('data-row-id'))
        .join(',');
    w.__kfWaitRows = (before, start, timeoutMs) =>
      new Promise<number>((resolve, reject) => {
        // After the frame is drawn: the next task once the frame's rendering has run.
        const afterPaint = () =>
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => resolve(performance.now() - start);
            ch.port2.postMessage(null);
          });
        const check = () => {
          const now = w.__kfRowIds();
          if (now !== '' && now !== before) {
            w.__kfDomMs.push(performance.now() - start);
            observer.disconnect();
            clearTimeout(timer);
            afterPaint();
            return true;
          }
          return false;
        };
        const observer = new MutationObserver(() => void check());
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the Licenses rows did not change within ${timeoutMs} ms`));
        }, timeoutMs);
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-row-id'] });
        check();
      });
  });
}

/** Click a sidebar entry from inside the page and time until the Licenses rows are on screen. */
function timeNavigationToLicenses(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as { __kfWaitRows: (before: string, start: number, timeoutMs: number) => Promise<number> };
    const button = Array.from(document.querySelectorAll<HTMLButtonElement>('nav button')).find((b) => b.title.startsWith('Licenses'));
    if (!button) throw new Error('no Licenses entry in the sidebar');
    const start = performance.now();
    const done = w.__kfWaitRows('', start, 30_000);
    button.click();
    return done;
  });
}

async function gotoPage(page: Page, title: string, heading: string): Promise<void> {
  await page.evaluate((t) => {
    const button = Array.from(document.querySelectorAll<HTMLButtonElement>('nav button')).find((b) => b.title.startsWith(t));
    button?.click();
  }, title);
  await page.getByRole('heading', { name: heading, exact: true }).first().waitFor({ timeout: 30_000 });
}

export async function renderBench(log: (m: string) => void = () => {}): Promise<RenderFigure[]> {
  ensureBuilt(log);
  let payloadBytes = 0;
  const h = await startHarness({
    forgetSecrets: false,
    prepare: (dir) => {
      const data = buildFleet({ instances: INSTANCES, licensesPerInstance: LICENSES_PER_INSTANCE, hostFor: (n) => `https://qm${n}.bench.example` });
      writeFleetStore(dir, data);
    },
  });
  try {
    const total = h.ctx.store.data.licenses.length;
    log(`store: ${h.ctx.store.data.instances.length} instances, ${total} licenses`);
    const { page, problems } = await h.newPage({ width: 1360, height: 860 });
    page.setDefaultTimeout(30_000);
    page.on('response', (r) => {
      if (r.url().endsWith('/__api/listLicenses')) void r.body().then((b) => (payloadBytes = Math.max(payloadBytes, b.length)), () => undefined);
    });
    await page.goto(h.url);
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Next expiries' }).waitFor();
    await installWatcher(page);

    // (a) The first visit, then warm ones (back to the dashboard in between).
    log('timing the Licenses view');
    await page.evaluate(() => performance.clearResourceTimings());
    const firstVisit = await timeNavigationToLicenses(page);
    // How much of it is the data crossing the bridge (handler + HTTP + download; parsing not included).
    const fetchMs = await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/__api/listLicenses'));
      return entries.length ? entries[entries.length - 1]!.duration : NaN;
    });
    await page.getByText(`${total.toLocaleString('en-US')} licenses`).waitFor();
    const visits: number[] = [];
    for (let i = 0; i < NAVIGATIONS; i++) {
      await gotoPage(page, 'Dashboard', 'Dashboard');
      await page.getByRole('heading', { name: 'Next expiries' }).waitFor();
      visits.push(await timeNavigationToLicenses(page));
    }

    // (b) Keystrokes in the search box, each changing the rows shown.
    log('timing the filter');
    const search = page.getByRole('searchbox', { name: 'Search licenses' });
    await search.click();
    await page.evaluate(() => ((window as unknown as { __kfDomMs: number[] }).__kfDomMs = []));
    const keys: number[] = [];
    for (const key of KEYS) {
      await page.evaluate(() => {
        const w = window as unknown as { __kfPending?: Promise<number>; __kfRowIds: () => string; __kfWaitRows: (b: string, s: number, t: number) => Promise<number> };
        const before = w.__kfRowIds();
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Search licenses"]')!;
        // The keystroke's own timestamp starts the clock.
        w.__kfPending = new Promise<number>((resolve, reject) => {
          input.addEventListener('keydown', (e) => void w.__kfWaitRows(before, e.timeStamp, 10_000).then(resolve, reject), { once: true, capture: true });
        });
      });
      await page.keyboard.press(key);
      keys.push(await page.evaluate(() => (window as unknown as { __kfPending: Promise<number> }).__kfPending));
    }
    const domMs = await page.evaluate(() => (window as unknown as { __kfDomMs: number[] }).__kfDomMs);
    const unexpected = [...problems.pageErrors, ...problems.consoleErrors, ...problems.failedRequests];
    if (unexpected.length) throw new Error(`the page reported problems: ${unexpected.join('; ')}`);

    const firstMedian = median(visits);
    return [
      { name: 'licenses view: first render, first visit (20,000 rows)', value: round(firstVisit), unit: 'ms', target: FIRST_RENDER_TARGET_MS },
      { name: `licenses view: first render, median of ${visits.length} later visits`, value: round(firstMedian), unit: 'ms', target: FIRST_RENDER_TARGET_MS },
      { name: 'licenses view: of the first visit, listLicenses over the bridge', value: round(fetchMs), unit: 'ms' },
      { name: `licenses filter: keystroke to updated table, median of ${keys.length}`, value: round(median(keys)), unit: 'ms', target: FILTER_TARGET_MS },
      { name: `licenses filter: keystroke to updated table, slowest of ${keys.length}`, value: round(Math.max(...keys)), unit: 'ms' },
      { name: `licenses filter: keystroke to new rows in the DOM (before paint), median`, value: round(median(domMs)), unit: 'ms' },
      { name: 'listLicenses answer size', value: Math.round(payloadBytes / 1024), unit: 'KiB' },
    ];
  } finally {
    await h.close();
  }
}

// `node test/bench/render.ts`: run alone, with the private keychain the tests use.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { setup, teardown } = await import('../setup/keychain.ts');
  await setup();
  try {
    const figures = await renderBench((m) => process.stderr.write(`  … ${m}\n`));
    const width = Math.max(...figures.map((f) => f.name.length));
    for (const f of figures) {
      const verdict = f.target === undefined ? '' : f.value <= f.target ? `  PASS (target < ${f.target} ${f.unit})` : `  MISSED (target < ${f.target} ${f.unit})`;
      console.log(`${f.name.padEnd(width)}  ${String(f.value).padStart(8)} ${f.unit}${verdict}`);
    }
  } finally {
    await teardown();
  }
}
