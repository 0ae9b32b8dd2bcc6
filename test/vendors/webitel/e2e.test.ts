import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SIM_GOOD_CERTIFICATE, SIM_REFUSED_CERTIFICATE, startWebitelSimulator } from './simulator.ts';
import { cspViolations, expectCleanPage, pick, resultsPath } from '../../e2e/harness.ts';
import { addClient, openAddInstance } from '../../e2e/steps.ts';
import { appForBlock } from '../../e2e/app-block.ts';

/**
 * Webitel in Chromium against the API simulator, by clicks and typing: an instance with an
 * access token, the license registry (product, used/limit, status band), importing a good and a
 * refused certificate, the holders of a license across two domains, forcing an own-domain user
 * offline once the operator's domain is set in the form, and the effective capacity.
 */
const TOKEN = 'wbt-access-token-0123456789abcdef';
const CC = 'a1f0c3d2e4b5a6978899aabbccddeef1';

const registryRow = (page: Page, id: string) => page.getByRole('table', { name: 'Webitel license registry' }).getByRole('row').filter({ hasText: id });

describe('end to end: Webitel through the UI', () => {
  const app = appForBlock({ sim: () => startWebitelSimulator({ token: TOKEN, pageSize: 4 }) });

  it('adds an instance with an access token and reads the registry: product, used/limit and the status band', async () => {
    await addClient(app.page, { name: 'Acme Hosting' });

    const form = await openAddInstance(app.page, { kind: 'Webitel', name: 'wt-acme', url: app.sim.url });
    await form.getByRole('textbox', { name: 'Access token' }).fill(TOKEN);
    await pick(app.page, form.getByRole('combobox', { name: 'Client' }), 'Acme Hosting');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await form.getByRole('button', { name: 'Add instance' }).click();
    await form.waitFor({ state: 'detached' });
    const stored = app.h.ctx.store.data.instances.find((i) => i.name === 'wt-acme')!;
    await expect(app.h.ctx.vault.get({ type: 'instance', id: stored.id })).resolves.toBe(TOKEN);
    expect(JSON.stringify(app.h.ctx.store.data)).not.toContain(TOKEN);

    await app.page.getByRole('grid', { name: 'Instances' }).getByText('wt-acme', { exact: true }).click();
    await app.page.getByRole('button', { name: 'Check now' }).click();
    await app.page.getByRole('status').filter({ hasText: 'Checked just now' }).waitFor();
    const cc = registryRow(app.page, CC);
    await cc.getByText('CALL_CENTER', { exact: true }).waitFor();
    // Five holders of ten seats; 200 days left is the green band.
    await expect(cc.getByRole('cell').allTextContents()).resolves.toEqual(expect.arrayContaining(['5', '10', 'yes', '200 days']));
    const chat = registryRow(app.page, 'a1f0c3d2e4b5a6978899aabbccddeef3');
    await chat.getByText('20 days', { exact: true }).waitFor();
    const expired = registryRow(app.page, 'a1f0c3d2e4b5a6978899aabbccddeef7');
    await expired.getByText('Expired', { exact: true }).waitFor();
    const devices = registryRow(app.page, 'a1f0c3d2e4b5a6978899aabbccddeef8');
    await devices.getByText('No end date', { exact: true }).waitFor();
    expectCleanPage(app.problems);
  });

  it('imports a certificate the server accepts, and shows the server text for one it refuses', async () => {
    await app.page.getByRole('button', { name: 'Import license…' }).click();
    let dialog = app.page.getByRole('dialog', { name: 'Import a license into wt-acme' });
    await dialog.getByRole('textbox', { name: 'License key (certificate)' }).fill(SIM_REFUSED_CERTIFICATE);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('customer.certificate.invalid: signature verification failed');
    await app.page.screenshot({ path: resultsPath('e2e-webitel-import-refused.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    const before = app.sim.state.licenses.length;
    await app.page.getByRole('button', { name: 'Import license…' }).click();
    dialog = app.page.getByRole('dialog', { name: 'Import a license into wt-acme' });
    // Pasted wrapped over two lines, as mail clients do.
    await dialog.getByRole('textbox', { name: 'License key (certificate)' }).fill(`${SIM_GOOD_CERTIFICATE.slice(0, 40)}\n${SIM_GOOD_CERTIFICATE.slice(40)}\n`);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const imported = dialog.getByRole('status').filter({ hasText: 'Imported' });
    await imported.waitFor();
    expect(app.sim.state.licenses.length).toBe(before + 2);
    const added = app.sim.state.licenses.slice(before);
    await expect(imported.textContent()).resolves.toMatch(/\(new\)/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    for (const l of added) await registryRow(app.page, l.id).getByText(l.product, { exact: true }).waitFor();
    expectCleanPage(app.problems);
  });

  it('lists the holders across domains; with the operator domain set in the form, logs out an own-domain user after confirming', async () => {
    // No operator domain yet: anyone with a session is offered, the server would have the last word.
    await registryRow(app.page, CC).getByRole('button', { name: 'Holders' }).click();
    let holders = app.page.getByRole('dialog', { name: `Holders of CALL_CENTER (${CC})` });
    const table = () => holders.getByRole('table', { name: 'License holders' });
    const flags = async (name: string) => table().getByRole('button', { name: `Force ${name} offline`, exact: true }).isEnabled();
    await table().getByText('alice.globex').waitFor();
    await expect(table().getByRole('row').count()).resolves.toBe(6);
    await table().getByRole('row').filter({ hasText: 'dave' }).getByText('globex.example').waitFor();
    expect(await flags('dave')).toBe(true);
    expect(await flags('bob')).toBe(false);
    await app.page.keyboard.press('Escape');
    await holders.waitFor({ state: 'detached' });

    await app.page.getByRole('button', { name: 'Edit' }).click();
    const form = app.page.getByRole('dialog', { name: 'Edit instance wt-acme' });
    await form.getByRole('textbox', { name: "Operator's domain ID (optional)" }).fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(app.h.ctx.store.data.instances.find((i) => i.name === 'wt-acme')!.domainId).toBe('1');

    await registryRow(app.page, CC).getByRole('button', { name: 'Holders' }).click();
    holders = app.page.getByRole('dialog', { name: `Holders of CALL_CENTER (${CC})` });
    await table().getByText('alice.globex').waitFor();
    await expect.poll(() => flags('dave')).toBe(false); // another tenant's user, now known to be
    expect(await flags('alice')).toBe(true);
    expect(await flags('carol')).toBe(true);
    expect(await flags('bob')).toBe(false); // no session
    await app.page.screenshot({ path: resultsPath('e2e-webitel-holders.png') });

    await table().getByRole('button', { name: 'Force alice offline', exact: true }).click();
    const confirm = app.page.getByRole('dialog', { name: 'Force alice offline?' });
    await confirm.getByText('Their 2 session(s) end now').waitFor();
    expect(app.sim.state.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    await confirm.getByRole('button', { name: 'Log out' }).click();
    await holders.getByRole('status').filter({ hasText: 'alice was forced offline.' }).waitFor();
    expect(app.sim.state.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/users/101/logout']);
    expect(app.sim.state.users.find((u) => u.id === 101)!.sessions).toBe(0);
    await expect.poll(() => flags('alice')).toBe(false);
    await app.page.keyboard.press('Escape');
    await holders.waitFor({ state: 'detached' });
    expectCleanPage(app.problems);
  });

  it('shows the effective capacity: CHAT takes the largest limit, CALL_CENTER adds up', async () => {
    const capacity = app.page.getByRole('table', { name: 'Effective capacity' });
    const row = (product: string) => capacity.getByRole('row').filter({ has: app.page.getByRole('cell', { name: product, exact: true }) });
    await expect(row('CHAT').getByRole('cell').allTextContents()).resolves.toEqual(expect.arrayContaining(['CHAT', '5', 'largest counts']));
    await expect(row('CALL_CENTER').getByRole('cell').allTextContents()).resolves.toEqual(expect.arrayContaining(['CALL_CENTER', 'summed']));
    const cc = app.h.ctx.store.data.licenses.filter((l) => l.vendor === 'webitel' && l.product === 'CALL_CENTER' && l.status === 'active' && l.expiresAt && l.expiresAt >= new Date().toISOString().slice(0, 10));
    await row('CALL_CENTER').getByRole('cell', { name: String(cc.reduce((n, l) => n + (l.limits.seats ?? 0), 0)), exact: true }).first().waitFor();
    await row('QUALITY_AUDITOR').getByText(/expired/).waitFor();
    await app.page.waitForTimeout(200);
    await app.page.screenshot({ path: resultsPath('e2e-webitel-instance.png'), fullPage: true });
    expectCleanPage(app.problems);
    expect(await cspViolations(app.page)).toEqual([]);
  });
});
