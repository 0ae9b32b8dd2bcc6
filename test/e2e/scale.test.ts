import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../electron/core/store/schema.ts';
import { startHarness, type Harness } from './harness.ts';
import { seed, seedClient, seedLicense } from './seed.ts';

const COUNT = 20_000;
const VENDORS: License['vendor'][] = ['queuemetrics', 'isymphony', 'webitel', 'qlm'];

/** 20,000 licenses from the real handlers: the table renders only what is in view and stays responsive. */
describe('end to end: 20,000 licenses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const clients = Array.from({ length: 200 }, (_, i) => seedClient(`cl_${i}`, `Client ${String(i).padStart(3, '0')}`));
    const licenses = Array.from({ length: COUNT }, (_, i) => seedLicense(`lic_${i}`, VENDORS[i % 4]!, (i % 700) - 30, { clientId: `cl_${i % 200}`, limits: { seats: 5 + (i % 50) } }));
    seed(h.ctx, () => ({ clients, licenses }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders only the visible rows and reaches the last row from the keyboard', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Control+5');
    await page.getByText('20,000 licenses').waitFor({ timeout: 20_000 });
    const grid = page.getByRole('grid', { name: 'Licenses' });
    const rendered = await grid.locator('[role="row"][data-row-id]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe(String(COUNT + 1));

    await grid.focus();
    const started = Date.now();
    await page.keyboard.press('End');
    await grid.locator(`[role="row"][aria-rowindex="${COUNT + 1}"]`).waitFor();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await grid.locator('[role="row"][data-row-id]').count()).toBeLessThan(80);

    // Filtering 20,000 rows answers at typing speed.
    const t0 = Date.now();
    const expected = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 4 === 1 && i % 700 < 30).length;
    await page.getByRole('searchbox', { name: 'Search licenses' }).fill('isymphony expired');
    await page.getByText(`${expected} of 20,000 licenses`).waitFor();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});
