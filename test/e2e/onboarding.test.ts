import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goTo, pick, startHarness, type Harness } from './harness.ts';
import { addClient } from '../../electron/core/services/clients.ts';
import { addSource } from '../../electron/core/services/sources.ts';
import { startQlmSimulator } from '../vendors/qlm/simulator.ts';
import { addPpks } from '../../electron/core/vendors/queuemetrics/ppk-stock.ts';
import { startLowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { runOnboarding } from '../../electron/core/services/onboarding.ts';
import { startISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startWebitelSimulator } from '../vendors/webitel/simulator.ts';
import { serversForBlock } from '../helpers/block-servers.ts';
import { closedPort } from '../helpers/closed-port.ts';

/**
 * "Bring your fleet" in Chromium against the real handlers, store and keychain: from an empty
 * app to a fleet with nothing unknown, and a run stopped midway shown where it stopped and resumed.
 */
const SECRET = 'Onb0ard-e2e-secret';
const USER = 'onboard';

describe('end to end: bring your fleet', () => {
  const sims = serversForBlock({
    isym: () => startISymphonySimulator({ user: USER, password: SECRET }),
    webitel: () => startWebitelSimulator({ token: SECRET }),
    moved: () => startWebitelSimulator({ token: SECRET }),
  });
  let deadPort = 0;
  const harnesses: Harness[] = [];

  beforeAll(async () => {
    // The server that moved away.
    deadPort = await closedPort();
  });
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  /** A fresh app, after `prepare` has put what the test needs in its store, with a page open at it. */
  async function openApp(prepare?: (h: Harness) => unknown) {
    const h = await startHarness();
    harnesses.push(h);
    await prepare?.(h);
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    return { h, page, problems };
  }

  /** "Bring your fleet" on the page shown, its form filled (always with the shared secret) and sent. */
  async function bringIn(page: Page, fields: { urls: string; client?: string; user?: string }) {
    await page.getByRole('button', { name: 'Bring your fleet' }).click();
    const form = page.getByRole('form', { name: 'Instances to bring in' });
    await form.getByLabel('Instance URLs').fill(fields.urls);
    if (fields.client) await form.getByLabel('Client (optional)').fill(fields.client);
    if (fields.user) await form.getByLabel('User (optional)').fill(fields.user);
    await form.getByLabel('Shared secret (optional)').fill(SECRET);
    await form.getByRole('button', { name: 'Bring them in' }).click();
  }

  it('from the empty dashboard: pasted URLs, one secret, progress, and a fleet with nothing unknown', async () => {
    const { h, page, problems } = await openApp();
    await page.getByRole('heading', { name: 'Welcome to Keyfleet' }).waitFor();
    await bringIn(page, { urls: `${sims.isym.url}/communication_manager\nwebitel ${sims.webitel.url}`, client: 'Acme', user: USER });

    const result = page.getByRole('region', { name: 'Onboarding result' }).or(page.getByLabel('Onboarding result'));
    await result.getByRole('heading', { name: 'Your fleet is in' }).waitFor({ timeout: 30_000 });
    await result.getByText('Nothing is unknown').waitFor();
    await result.getByText(/Test connections — 2 of 2 connection\(s\) work/).waitFor();

    // The real store: the iSymphony host split per core server, every license with its client, the secret in the keychain only.
    const data = h.ctx.store.data;
    expect(data.instances.map((i) => i.name).sort()).toEqual(['127.0.0.1/acme', '127.0.0.1/default', `127.0.0.1:${new URL(sims.webitel.url).port}`]);
    expect(data.licenses.length).toBe(12);
    expect(data.licenses.every((l) => l.clientId === data.clients[0]!.id)).toBe(true);
    expect(JSON.stringify(data)).not.toContain(SECRET);
    await result.getByText(/Read licenses — 2 of 2 instance\(s\) read/).waitFor();
    expect(h.calls).toContain('runOnboarding');

    // The instances page lists them and leads back to the same path.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Instances/ }).click();
    await page.getByText('127.0.0.1/acme').first().waitFor();
    await page.getByRole('button', { name: 'Bring your fleet' }).click();
    await page.getByRole('heading', { name: 'Your fleet is in' }).waitFor();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  it('a run stopped after the connection test (the app closed) shows where it stopped and resumes to the end', async () => {
    const { h, page, problems } = await openApp((h) => runOnboarding(h.ctx, { urls: `webitel ${sims.webitel.url}`, client: 'Globex', secret: SECRET, stopAfter: 'test' }));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Instances/ }).click();
    await page.getByRole('button', { name: 'Bring your fleet' }).click();
    await page.getByText('Onboarding stopped before the end').waitFor();
    const steps = page.getByRole('list', { name: 'Onboarding steps' });
    await steps.getByText(/Test connections — 1 of 1 connection\(s\) work/).waitFor();
    await steps.getByText(/Read licenses — not done yet/).waitFor();

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('heading', { name: 'Your fleet is in' }).waitFor({ timeout: 30_000 });
    await page.getByText('Nothing is unknown').waitFor();
    expect(h.ctx.store.data.onboarding?.finishedAt).toBeTruthy();
    expect(h.ctx.store.data.licenses.length).toBe(10);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  it('a failed connection is listed with "Fix connection": the instance dialog, saved, reads it again and nothing is unknown', async () => {
    const { h, page, problems } = await openApp();
    await bringIn(page, { urls: `webitel ${sims.webitel.url}\nwebitel http://127.0.0.1:${deadPort}`, client: 'Initech' });

    await page.getByRole('heading', { name: 'Your fleet is in' }).waitFor({ timeout: 30_000 });
    const unknown = page.getByRole('list', { name: 'Still unknown' });
    await unknown.getByText(`127.0.0.1:${deadPort}: the connection failed`).waitFor();
    await expect(unknown.getByRole('listitem').count()).resolves.toBe(1);
    await unknown.getByRole('button', { name: 'Fix connection' }).click();

    const dialog = page.getByRole('dialog', { name: /Edit instance/ });
    await dialog.getByRole('textbox', { name: 'URL' }).fill(sims.moved.url);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Nothing is unknown').waitFor({ timeout: 20_000 });
    const fixed = h.ctx.store.data.instances.find((i) => i.name === `127.0.0.1:${deadPort}`)!;
    expect(fixed.lastCheck?.ok).toBe(true);
    expect(h.ctx.store.data.licenses.filter((l) => l.instanceId === fixed.id)).toHaveLength(10);
    expect(problems.pageErrors).toEqual([]);
  });

  it('licenses read without a client are one "Match client" per instance: the client set in its dialog reaches every license', async () => {
    const { h, page, problems } = await openApp((h) => addClient(h.ctx, { name: 'Umbrella', tags: [] }));
    // With a client the dashboard is no longer empty: the instances page leads there.
    await goTo(page, 'Instances');
    await bringIn(page, { urls: `webitel ${sims.webitel.url}` });

    const unknown = page.getByRole('list', { name: 'Still unknown' });
    await unknown.getByText('10 licenses on 127.0.0.1 belong to no client').waitFor({ timeout: 30_000 });
    await expect(unknown.getByRole('listitem').count()).resolves.toBe(1);
    await unknown.getByRole('button', { name: 'Match client' }).click();
    const dialog = page.getByRole('dialog', { name: /Edit instance/ });
    await pick(page, dialog.getByRole('combobox', { name: 'Client' }), 'Umbrella');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Nothing is unknown').waitFor({ timeout: 20_000 });
    const umbrella = h.ctx.store.data.clients.find((c) => c.name === 'Umbrella')!;
    expect(h.ctx.store.data.licenses.every((l) => l.clientId === umbrella.id)).toBe(true);
    expect(problems.pageErrors).toEqual([]);
  });

  it('QLM licenses of a company no client is named after: Match client confirms whose they are, and nothing is unknown', async () => {
    const qlm = await startQlmSimulator({ flavor: 'asmx', vendor: 'ResellerCo', user: 'kf', password: 'Qlm-Pa55', products: { 1: 'CallCentre Pro' } });
    try {
      qlm.seedLicenses(3, () => ({ userCompany: 'Stark Industries', userEmail: 'it@stark.test' }));
      const { h, page, problems } = await openApp(async (h) => {
        addClient(h.ctx, { name: 'Stark', tags: [] });
        await addSource(h.ctx, { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: 'ResellerCo', user: 'kf', secret: 'Qlm-Pa55' });
      });
      await goTo(page, 'Instances');
      await bringIn(page, { urls: `webitel ${sims.webitel.url}`, client: 'Stark' });

      const unknown = page.getByRole('list', { name: 'Still unknown' });
      await unknown.getByText('3 QLM license(s) of Stark Industries belong to no client').waitFor({ timeout: 30_000 });
      await unknown.getByRole('button', { name: 'Match client' }).click();
      const dialog = page.getByRole('dialog', { name: 'Match client' });
      await pick(page, dialog.getByRole('textbox', { name: 'Client' }).or(dialog.getByRole('combobox', { name: 'Client' })), 'Stark');
      await dialog.getByRole('button', { name: 'Match' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('Nothing is unknown').waitFor({ timeout: 20_000 });
      const stark = h.ctx.store.data.clients.find((c) => c.name === 'Stark')!;
      expect(h.ctx.store.data.licenses.filter((l) => l.vendor === 'qlm').map((l) => l.clientId)).toEqual([stark.id, stark.id, stark.id]);
      expect(stark.aliases).toEqual(['Stark Industries']);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await qlm.close();
    }
  });

  it('QueueMetrics instances running keys converted earlier: the PPKs marked converted are listed, confirmed, and every key adopted with its expiry', async () => {
    const loway = await startLowaySimulator();
    const ppks = ['XQI-LOWAY-ONBUI0000001:QM-10/1/365', 'XQI-LOWAY-ONBUI0000002:QM-20/1/365'];
    // Months ago, outside Keyfleet: converted on the key server, installed by hand.
    const keys = await Promise.all(
      ppks.map(async (p) => /^K:(.*)$/m.exec(await (await fetch(`${loway.url}?K_enduser=Old&K_email=old@reseller.test&K_id=${encodeURIComponent(p)}`)).text())![1]!.trim()),
    );
    const users = [{ login: USER, password: SECRET, keys: ['ROBOT', 'KEYUPDATE'] }];
    const qms = await Promise.all(keys.map((key) => startQmSimulator({ key, users })));
    try {
      const { h, page, problems } = await openApp(async (h) => {
        await addSource(h.ctx, { name: 'loway', kind: 'loway-keyserver', url: loway.url, email: 'keys@reseller.test' });
        addPpks(h.ctx, ppks.join('\n'), { converted: true });
      });
      await goTo(page, 'Instances');
      await bringIn(page, { urls: qms.map((q) => q.baseUrl).join('\n'), client: 'Acme', user: USER });

      // Nothing is asked of the key server before the user confirms the list.
      await page.getByText('Adopt QueueMetrics keys from PPKs marked converted?').waitFor({ timeout: 30_000 });
      for (const p of ppks) await page.getByText(p).waitFor();
      expect(loway.requests).toHaveLength(2);
      await page.getByRole('button', { name: 'Adopt from these PPKs' }).click();
      await page.getByRole('heading', { name: 'Your fleet is in' }).waitFor({ timeout: 30_000 });
      await page.getByText('Nothing is unknown').waitFor();
      const qmLicenses = h.ctx.store.data.licenses.filter((l) => l.vendor === 'queuemetrics');
      expect(qmLicenses.map((l) => [l.key, l.origin]).sort()).toEqual(keys.map((k) => [k, 'adopted']).sort());
      expect(qmLicenses.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l.expiresAt ?? ''))).toBe(true);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await Promise.all([loway.close(), ...qms.map((q) => q.close())]);
    }
  });
});
