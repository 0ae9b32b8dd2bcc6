import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, resultsPath, startHarness, type Harness, type PageProblems } from './harness.ts';
import { seedFleet } from './seed.ts';

const SCREENS = [
  { name: 'dashboard', nav: 'Dashboard', ready: 'Expiries, next 12 months' },
  { name: 'clients', nav: 'Clients', ready: 'Acme Contact Center' },
  { name: 'instances', nav: 'Instances', ready: 'qm-acme-prod' },
  { name: 'licenses', nav: 'Licenses', ready: 'webitel-umbrella' },
  { name: 'key-stock', nav: 'Key stock', ready: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90' },
  { name: 'history', nav: 'History', ready: 'client.add' },
  { name: 'settings', nav: 'Settings', ready: 'Reminders, stock and refresh' },
] as const;

const bodyRows = (page: Page, grid: string) => page.getByRole('grid', { name: grid }).locator('[role="row"][data-row-id]');

function expectClean(problems: PageProblems) {
  expect(problems.pageErrors).toEqual([]);
  expect(problems.failedRequests).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
}

/** A seeded fleet in Chromium: the licenses table, keyboard-only navigation, and screenshots of each screen. */
describe('end to end: a seeded fleet', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    seedFleet(h.ctx);
    // A few journal events, written by the real services, so History has something to show.
    h.ctx.journal.append(
      { action: 'client.add', target: 'Acme Contact Center', outcome: 'ok' },
      { action: 'instance.check', target: 'qm-globex', instanceId: 'in_qm_globex', outcome: 'failed', error: { code: 'TIMEOUT', message: 'instance qm-globex: no answer within 15 s' } },
      { action: 'ppk.activate', target: 'qm-acme-prod', instanceId: 'in_qm_acme', outcome: 'ok', summary: 'QM 50/1/90 converted and installed; verified' },
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('filters the licenses table by vendor and by free text', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Licenses/ }).click();
    await page.getByText('15 licenses').waitFor();
    // Superseded keys are hidden unless asked for.
    await expect.poll(() => bodyRows(page, 'Licenses').count()).toBe(15);

    await page.getByRole('group', { name: 'Vendor' }).getByText('Webitel', { exact: true }).click();
    await page.getByText('4 of 15 licenses').waitFor();
    const vendors = await bodyRows(page, 'Licenses').locator('[role="gridcell"]:nth-child(3)').allTextContents();
    expect(vendors).toEqual(['Webitel', 'Webitel', 'Webitel', 'Webitel']);

    await page.getByRole('searchbox', { name: 'Search licenses' }).fill('umbrella chat');
    await page.getByText('1 of 15 licenses').waitFor();
    await expect(bodyRows(page, 'Licenses').first().getByText('CHAT', { exact: true }).count()).resolves.toBe(1);

    await page.getByRole('button', { name: /Clear 2 filters/ }).click();
    await page.getByRole('searchbox', { name: 'Search licenses' }).fill('qlm recorder');
    await page.getByText('2 of 15 licenses').waitFor();
    expectClean(problems);
  });

  it('is usable from the keyboard alone: Ctrl+K, type, Enter', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('Licenses');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Licenses' }).waitFor();
    await palette.waitFor({ state: 'detached' });
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Licenses/ }).getAttribute('aria-current')).resolves.toBe('page');

    // "/" focuses the search box, arrows move in the table, Enter on an instance row opens it.
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search licenses' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await page.getByRole('grid', { name: 'Instances' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Back to instances' }).waitFor();
    expectClean(problems);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders every main screen cleanly in the ${scheme} theme (screenshots in test-results/)`, async () => {
      const { page, problems } = await h.newPage({ colorScheme: scheme });
      await page.goto(h.url);
      await expect(page.locator('html').getAttribute('data-mantine-color-scheme')).resolves.toBe(scheme);
      for (const s of SCREENS) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(s.nav) }).click();
        await page.getByText(s.ready, { exact: true }).first().waitFor();
        await page.waitForTimeout(150);
        await page.screenshot({ path: resultsPath(`${s.name}-${scheme}.png`) });
      }
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Instances/ }).click();
      await page.getByRole('grid', { name: 'Instances' }).getByText('webitel-umbrella', { exact: true }).click();
      await page.getByRole('table', { name: 'Webitel license registry' }).waitFor();
      await page.waitForTimeout(150);
      await page.screenshot({ path: resultsPath(`instance-webitel-${scheme}.png`), fullPage: true });
      await page.getByRole('button', { name: 'Back to instances' }).click();
      await page.getByRole('grid', { name: 'Instances' }).getByText('qm-acme-prod', { exact: true }).click();
      await page.getByRole('heading', { name: 'QueueMetrics', exact: true }).waitFor();
      await page.waitForTimeout(150);
      await page.screenshot({ path: resultsPath(`instance-queuemetrics-${scheme}.png`) });
      await page.getByRole('button', { name: 'Activate PPK…' }).first().click();
      await page.getByRole('dialog', { name: 'Activate PPK' }).getByText('This spends a PPK').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: resultsPath(`activate-ppk-${scheme}.png`) });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Activate PPK' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('dialog', { name: /Edit instance/ }).waitFor();
      await page.waitForTimeout(200);
      await page.screenshot({ path: resultsPath(`instance-form-${scheme}.png`) });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+K');
      await page.keyboard.type('add');
      await page.waitForTimeout(150);
      await page.screenshot({ path: resultsPath(`palette-${scheme}.png`) });
      await page.keyboard.press('Escape');

      expectClean(problems);
      expect(await cspViolations(page)).toEqual([]);
    });
  }
});
