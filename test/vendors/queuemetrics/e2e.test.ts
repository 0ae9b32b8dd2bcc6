// Long by design: two browser workflows, each a sequence of clicks where every step works on what the previous one left.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startLowaySimulator } from './loway-simulator.ts';
import { addClient } from '../../../electron/core/services/clients.ts';
import { addInstance } from '../../../electron/core/services/instances.ts';
import { addPpks } from '../../../electron/core/vendors/queuemetrics/ppk-stock.ts';
import { addSource } from '../../../electron/core/services/sources.ts';
import { convertPpk } from '../../../electron/core/vendors/queuemetrics/activation.ts';
import { startQmSimulator } from './simulator.ts';
import { cspViolations, expectCleanPage, goTo, pick, resultsPath } from '../../e2e/harness.ts';
import * as ui from '../../e2e/steps.ts';
import { appForBlock } from '../../e2e/app-block.ts';

/**
 * The headline workflow in Chromium, by clicks and typing only: a client, a Loway key server,
 * a QueueMetrics instance, PPKs pasted into stock, "Activate PPK…" converting on the key
 * server and installing on a real XML-RPC peer that restarts, the confirmation asked for a
 * smaller key, and resuming an install whose instance never came back.
 */
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const PPK_50_90 = 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90';
const PPK_50_365 = 'XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365';
const PPK_10_30 = 'XQI-LOWAY-CCCCCCCCCCCC3:QM-10/1/30';
const MALFORMED = 'XQI-LOWAY-BBBB:QM-ten/1/90';

async function openInstance(page: Page, name: string) {
  await goTo(page, 'Instances');
  await page.getByRole('grid', { name: 'Instances' }).getByText(name, { exact: true }).click();
  await page.getByRole('heading', { name: 'QueueMetrics', exact: true }).waitFor();
}

async function startActivation(page: Page, ppk: string) {
  await page.getByRole('button', { name: 'Activate PPK…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Activate PPK' });
  await dialog.getByText('This spends a PPK').waitFor();
  await pick(page, dialog.getByRole('combobox', { name: 'PPK' }), new RegExp(ppk.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect.poll(() => dialog.getByRole('combobox', { name: 'PPK' }).inputValue()).toContain(ppk);
  await dialog.getByRole('button', { name: 'Activate PPK' }).click();
  return dialog;
}

describe('end to end: QueueMetrics PPK activation through the UI', () => {
  const app = appForBlock({ loway: () => startLowaySimulator(), qm: () => startQmSimulator({ key: OLD_KEY, restartMs: 300 }) });

  it('sets up a client, a Loway key server and a QueueMetrics instance whose connection test passes', async () => {
    await app.page.getByRole('heading', { name: 'Welcome to Keyfleet' }).waitFor();
    await ui.addClient(app.page, { name: 'Acme', email: 'ops@acme.test' });
    await ui.addLowaySource(app.page, { name: 'loway', email: 'keys@reseller.test', url: app.loway.url });
    const sources = app.page.getByRole('table', { name: 'Key sources' });
    await sources.getByText('loway', { exact: true }).waitFor();
    await sources.getByText('keys@reseller.test').waitFor();
    // "Test" asks the key server for its status line without spending anything.
    await sources.getByRole('button', { name: 'Test key source loway' }).click();
    const status = app.page.getByRole('status').filter({ hasText: /key server 127\.0\.0\.1:\d+ answered/ });
    await status.getByText(/KO - Missing parameter K_enduser/).waitFor();
    await status.getByText(/Server clock \d+ s (ahead|behind)/).waitFor();
    await app.page.keyboard.press('Escape');
    await status.waitFor({ state: 'hidden' });
    expect(app.loway.conversions.size).toBe(0);

    await ui.addQueueMetricsInstance(app.page, { name: 'qm-acme', url: app.qm.baseUrl, user: 'keyupdater', password: 'ku-secret', client: 'Acme' });
    await app.page.getByRole('grid', { name: 'Instances' }).getByRole('row', { name: /qm-acme/ }).getByText('Acme', { exact: true }).waitFor();
    const stored = app.h.ctx.store.data.instances.find((i) => i.name === 'qm-acme');
    await expect(app.h.ctx.vault.get({ type: 'instance', id: stored!.id })).resolves.toBe('ku-secret');
    expectCleanPage(app.problems);
  });

  it('imports pasted PPKs: added, skipped as already in stock, and a malformed one rejected with its reason', async () => {
    await goTo(app.page, 'Key stock');
    const textarea = app.page.getByRole('textbox', { name: 'Pre-purchased keys' });
    await textarea.fill([PPK_50_90, `  ${PPK_50_365}  `, '', PPK_50_90, MALFORMED, PPK_10_30].join('\n'));
    await app.page.getByRole('button', { name: 'Import 5 keys' }).click();
    const result = app.page.getByRole('status').filter({ hasText: 'added' });
    await result.getByText('3 added').waitFor();
    await result.getByText('1 skipped (already in stock)').waitFor();
    await result.getByText('1 rejected').waitFor();
    const rejected = app.page.getByRole('table', { name: 'Rejected keys' });
    await rejected.getByText(MALFORMED, { exact: true }).waitFor();
    await expect(rejected.getByRole('row').nth(1).textContent()).resolves.toMatch(/agents/);

    const grid = app.page.getByRole('grid', { name: 'PPKs' });
    await expect.poll(() => grid.locator('[role="row"][data-row-id]').count()).toBe(3);
    const stock = app.page.getByRole('table', { name: 'PPK stock levels' });
    await expect(stock.getByRole('row').count()).resolves.toBe(4);
    expect(app.h.ctx.store.data.ppks.map((p) => p.ppk).sort()).toEqual([PPK_50_90, PPK_50_365, PPK_10_30].sort());
    expectCleanPage(app.problems);
  });

  it('activates a PPK on the instance: progress, then the new key (masked), its expiry and "verified"', async () => {
    await openInstance(app.page, 'qm-acme');
    const dialog = await startActivation(app.page, PPK_50_90);
    // The steps arrive as progress events while the instance restarts.
    await dialog.getByRole('log', { name: 'Steps' }).getByText(/Waiting for the restart|Reading the key back/).first().waitFor();
    const done = dialog.getByRole('status').filter({ hasText: 'Key installed and verified' });
    await done.waitFor({ timeout: 20_000 });

    const conversion = app.loway.conversions.get(PPK_50_90)!;
    expect(conversion.enduser).toBe('Acme');
    expect(app.loway.requests.at(-1)).toEqual({ enduser: 'Acme', email: 'keys@reseller.test', id: PPK_50_90 });
    await done.getByText(ui.masked(conversion.key)).waitFor();
    await done.getByText(conversion.expires).waitFor();
    expect(await dialog.textContent()).not.toContain(conversion.key);
    await app.qm.sync();
    expect(app.qm.events.filter((e) => e.outcome === 'set').map((e) => e.newKey)).toEqual([conversion.key]);
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-activate-dialog.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The instance page now shows the key Keyfleet installed.
    const license = app.page.locator('.kf-card').filter({ has: app.page.getByRole('heading', { name: 'License', exact: true }) });
    await license.getByText(ui.masked(conversion.key)).waitFor();
    await license.getByText('50 agents · 1 srv').waitFor();
    const held = app.page.getByRole('table', { name: 'Keys Keyfleet holds for this instance' });
    await held.getByText(ui.masked(conversion.key)).waitFor();
    await app.page.waitForTimeout(200);
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-activated.png'), fullPage: true });

    // The dashboard counts it and lists it among the next expiries.
    await goTo(app.page, 'Dashboard');
    await app.page.getByRole('button', { name: 'Licenses: 1' }).waitFor();
    await app.page.getByRole('button', { name: 'Instances: 1' }).waitFor();
    await app.page.getByRole('button', { name: '≤ 90 days: 1' }).waitFor();
    const next = app.page.getByRole('table', { name: 'Next expiries' });
    await next.getByText('qm-acme').waitFor();
    await next.getByRole('button', { name: 'Activate PPK…' }).waitFor();
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-dashboard.png') });
    expectCleanPage(app.problems);
  });

  it('asks for confirmation before spending a smaller, earlier PPK, and goes ahead only once confirmed', async () => {
    await openInstance(app.page, 'qm-acme');
    const requestsBefore = app.loway.requests.length;
    const dialog = await startActivation(app.page, PPK_10_30);
    const ask = dialog.getByRole('alert').filter({ hasText: 'Confirm to continue' });
    await ask.waitFor();
    await expect(ask.textContent()).resolves.toMatch(/expires on .* earlier than the installed one/);
    await expect(ask.textContent()).resolves.toMatch(/10 agents, fewer than the installed one \(50\)/);
    // Nothing was spent while the question is open.
    expect(app.loway.requests.length).toBe(requestsBefore);
    expect(app.h.ctx.store.data.ppks.find((p) => p.ppk === PPK_10_30)!.state).toBe('in-stock');

    await ask.getByRole('button', { name: 'Confirm and activate' }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Key installed and verified' });
    await done.waitFor({ timeout: 20_000 });
    expect(app.loway.requests.length).toBe(requestsBefore + 1);
    const key = app.loway.conversions.get(PPK_10_30)!.key;
    await done.getByText(ui.masked(key)).waitFor();
    // The concerns the user accepted stay visible with the result.
    await done.getByText(/10 agents, fewer than the installed one/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    expectCleanPage(app.problems);
  });

  it('keeps the converted key when the instance never comes back, and "Install stored key" finishes later', async () => {
    await app.qm.setRestartMs(-1);
    await openInstance(app.page, 'qm-acme');
    const dialog = await startActivation(app.page, PPK_50_365);
    // The key is set and QueueMetrics goes down for good: the user stops waiting.
    await app.qm.waitForEvent('restarting', 0, 15_000);
    await dialog.getByRole('log', { name: 'Steps' }).getByText('Waiting for the restart').first().waitFor();
    await dialog.getByRole('button', { name: 'Stop waiting' }).click();
    const failure = dialog.getByRole('alert').filter({ hasText: 'Cancelled' });
    await failure.waitFor();
    await expect(failure.textContent()).resolves.toMatch(/The key is stored \(license lic_[\w-]+\): install it again without spending another PPK/);
    const offer = dialog.locator('.mantine-Alert-root').filter({ hasText: 'The key was created and saved' });
    await offer.waitFor();
    const key = app.loway.conversions.get(PPK_50_365)!.key;
    expect(app.h.ctx.store.data.ppks.find((p) => p.ppk === PPK_50_365)!.state).toBe('converted');
    expect(app.h.ctx.store.data.licenses.some((l) => l.key === key)).toBe(true);
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-install-failed.png') });

    // An operator starts QueueMetrics again (with its old key); the stored key goes on without a new PPK.
    await app.qm.setRestartMs(300);
    await app.qm.bringUp(false);
    const conversions = app.loway.requests.length;
    await offer.getByRole('button', { name: 'Install stored key' }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Key installed and verified' });
    await done.waitFor({ timeout: 20_000 });
    await done.getByText(ui.masked(key)).waitFor();
    expect(app.loway.requests.length).toBe(conversions);
    expect(app.h.ctx.store.data.ppks.find((p) => p.ppk === PPK_50_365)!.state).toBe('installed');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const license = app.page.locator('.kf-card').filter({ has: app.page.getByRole('heading', { name: 'License', exact: true }) });
    await license.getByText(ui.masked(key)).waitFor();
    await license.getByText(/2 earlier keys on record/).waitFor();
    await app.page.waitForTimeout(200);
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-resumed.png'), fullPage: true });
    expectCleanPage(app.problems);
    expect(await cspViolations(app.page)).toEqual([]);
  });
});

describe('end to end: what a PPK and an instance really are, shown in the UI', () => {
  const ZURICH = 'Zürich Contact AG';
  const HELD = 'XQI-LOWAY-HELDUI000001:QM-10/1/30';
  const REFUSED = 'XQI-LOWAY-REFUSEDUI002:QM-10/1/30';
  const SPARE = 'XQI-LOWAY-SPAREUI00003:QM-20/1/30';
  const MANUAL_KEY = 'MANU0001-MANU0002-MANU0003-MANU0004-MANU0005-MANU0006';
  const app = appForBlock({ loway: () => startLowaySimulator({ unknownPpks: [REFUSED] }), qm: () => startQmSimulator({ key: OLD_KEY, restartMs: 300 }) }, async () => {
    const ctx = app.h.ctx;
    addClient(ctx, { name: ZURICH, email: 'it@zurich.test' });
    await addSource(ctx, { name: 'loway', kind: 'loway-keyserver', url: app.loway.url, email: 'keys@reseller.test' });
    await addInstance(ctx, { name: 'qm-zh', kind: 'queuemetrics', url: app.qm.baseUrl, client: ZURICH, user: 'keyupdater', secret: 'ku-secret' });
    addPpks(ctx, [HELD, REFUSED, SPARE].join('\n'));
    // A conversion whose connection was cut after the request went out: held for its end-user.
    app.loway.setMode('reset');
    await expect(convertPpk(ctx, { ppk: HELD, enduser: ZURICH, email: 'it@zurich.test' })).rejects.toMatchObject({ code: 'NETWORK' });
    app.loway.setMode('ok');
    // The key server answers S:KO for this one.
    await expect(convertPpk(ctx, { ppk: REFUSED, enduser: ZURICH, email: 'it@zurich.test' })).rejects.toMatchObject({ code: 'VENDOR_REFUSED' });
  });

  const ppkRow = (ppk: string) => app.page.getByRole('grid', { name: 'PPKs' }).getByRole('row', { name: new RegExp(ppk.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')) });

  it('the Key stock page shows a held PPK and a refused one with the server\'s words, and releases the hold', async () => {
    await goTo(app.page, 'Key stock');
    await ppkRow(HELD).getByText(`held for ${ZURICH}`).waitFor();
    await ppkRow(REFUSED).getByText('refused: Key not found U:1234').waitFor();
    await app.page.getByRole('table', { name: 'PPK stock levels' }).getByRole('columnheader', { name: 'Refused' }).waitFor();
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-held-refused.png'), fullPage: true });

    await ppkRow(HELD).getByRole('button', { name: `Actions for PPK ${HELD}` }).click();
    await app.page.getByRole('menuitem', { name: 'Release hold…' }).click();
    const confirm = app.page.getByRole('dialog', { name: 'Release the hold on this PPK?' });
    await confirm.getByText(/Release it only if you know the server made no key from it/).waitFor();
    await confirm.getByRole('button', { name: 'Release hold' }).click();
    await confirm.waitFor({ state: 'detached' });
    await ppkRow(HELD).getByText('in-stock', { exact: true }).waitFor();
    // A refused PPK offers no activation; it can only be removed.
    await ppkRow(REFUSED).getByRole('button', { name: `Actions for PPK ${REFUSED}` }).click();
    await app.page.getByRole('menuitem', { name: 'Remove from stock…' }).waitFor();
    expect(await app.page.getByRole('menuitem', { name: 'Activate on instance…' }).count()).toBe(0);
    await app.page.keyboard.press('Escape');
    expectCleanPage(app.problems);
  });

  it('Activate PPK says which PPK it chose from stock and why, before anything is spent', async () => {
    await openInstance(app.page, 'qm-zh');
    const requests = app.loway.requests.length;
    await app.page.getByRole('button', { name: 'Activate PPK…' }).first().click();
    const dialog = app.page.getByRole('dialog', { name: 'Activate PPK' });
    await expect.poll(() => dialog.getByRole('combobox', { name: 'PPK' }).inputValue()).toContain(HELD);
    await dialog.getByLabel('Why this PPK').getByText('Chosen from stock: the instance has no known license; smallest PPK in stock.').waitFor();
    expect(app.loway.requests.length).toBe(requests);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expectCleanPage(app.problems);
  });

  it('drift on the instance page: explained, and "Accept running key" records the key it runs', async () => {
    await app.qm.setKey(MANUAL_KEY);
    await app.page.getByRole('button', { name: 'Check now' }).click();
    const drift = app.page.getByRole('region', { name: 'Unknown key' });
    await drift.getByText(/ran a key Keyfleet has no record of/).waitFor();
    await app.page.screenshot({ path: resultsPath('e2e-queuemetrics-drift.png'), fullPage: true });
    await drift.getByRole('button', { name: 'Accept running key' }).click();
    await drift.waitFor({ state: 'detached' });
    const instance = app.h.ctx.store.data.instances.find((i) => i.name === 'qm-zh')!;
    expect(instance).toMatchObject({ drift: 'none', installedKey: MANUAL_KEY });
    expectCleanPage(app.problems);
  });

  it('the Add instance form takes a bare QueueMetrics host:port, and shows why a second instance on one server is refused', async () => {
    // A bare host:port is what the QueueMetrics client reads as http://host:port/queuemetrics.
    const form = await ui.openAddInstance(app.page, { name: 'qm-zh-again', url: `127.0.0.1:${app.qm.port}` });
    await form.getByRole('button', { name: 'Add instance' }).click();
    await form.getByText(/is the same server as instance "qm-zh"/).waitFor();
    expect(app.h.ctx.store.data.instances.map((i) => i.name)).toEqual(['qm-zh']);
    await form.getByRole('textbox', { name: 'Name' }).fill('qm-elsewhere');
    await form.getByRole('textbox', { name: 'URL' }).fill('qm-elsewhere.example:18082');
    await form.getByRole('button', { name: 'Add instance' }).click();
    await form.waitFor({ state: 'detached' });
    expect(app.h.ctx.store.data.instances.find((i) => i.name === 'qm-elsewhere')?.url).toBe('http://qm-elsewhere.example:18082/queuemetrics');
    expect(app.problems.pageErrors).toEqual([]);
  });
});
