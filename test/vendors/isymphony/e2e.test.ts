import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startISymphonySimulator, type ISymphonySimulator } from './simulator.ts';
import { cspViolations, expectCleanPage, goTo, pick, resultsPath, startHarness, type Harness, type PageProblems } from '../../e2e/harness.ts';
import { addClient } from '../../e2e/steps.ts';

/**
 * iSymphony in Chromium against a core-server simulator, by clicks and typing: the instance
 * form's connection test lists the core servers, the license card shows a perpetual license
 * with unlimited (-1) limits, and "Activate serial…" walks through the bind step with the
 * licensee prefilled from the client; a denied serial shows the server's own text.
 */
const PASSWORD = 'manag3rpa55word';
const DENIED_TEXT = 'License activation denied: serial DENY-0000-0003 is blocked by i9';

const licenseCard = (page: Page) => page.locator('.kf-card').filter({ has: page.getByRole('heading', { name: 'License', exact: true }) });

describe('end to end: iSymphony through the UI', () => {
  let h: Harness;
  let sim: ISymphonySimulator;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    [h, sim] = await Promise.all([startHarness(), startISymphonySimulator({ password: PASSWORD, deniedText: DENIED_TEXT })]);
    ({ page, problems } = await h.newPage());
    await page.goto(h.url);
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('adds an instance: "Test connection" lists the core servers and one is picked', async () => {
    await addClient(page, { name: 'Acme Telecom', email: 'ops@acme.test' });

    await goTo(page, 'Instances');
    await page.getByRole('button', { name: 'Add instance' }).first().click();
    const form = page.getByRole('dialog', { name: 'Add instance' });
    await form.getByRole('radiogroup').first().getByText('iSymphony', { exact: true }).click();
    await form.getByRole('textbox', { name: 'Name' }).fill('isym-acme');
    await form.getByRole('textbox', { name: 'URL' }).fill(sim.url);
    await form.getByRole('textbox', { name: 'User', exact: true }).fill('manager');
    await form.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await pick(page, form.getByRole('combobox', { name: 'Client' }), 'Acme Telecom');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    // The core servers the host has, by name and slug.
    const core = form.getByRole('combobox', { name: 'Core server' });
    await core.click();
    await expect(page.getByRole('option').allTextContents()).resolves.toEqual(['default', 'ACME call centre (acme)']);
    await page.getByRole('option', { name: 'default', exact: true }).click();
    await expect(core.inputValue()).resolves.toBe('default');
    await form.getByRole('button', { name: 'Add instance' }).click();
    await form.waitFor({ state: 'detached' });
    expect(h.ctx.store.data.instances.find((i) => i.name === 'isym-acme')).toMatchObject({ kind: 'isymphony', coreServer: 'default', user: 'manager', secret: { type: 'own' } });
    expectCleanPage(problems);
  });

  it('reads the license: perpetual shows as never expiring, -1 limits as unlimited; module licenses are listed', async () => {
    await page.getByRole('grid', { name: 'Instances' }).getByText('isym-acme', { exact: true }).click();
    await page.getByRole('heading', { name: 'iSymphony', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByRole('status').filter({ hasText: 'Checked just now' }).waitFor();
    const card = licenseCard(page);
    await card.getByText('PERP-0…1111').waitFor();
    await card.getByText('perpetual', { exact: true }).waitFor();
    await card.getByText(/never expires$/).first().waitFor();
    await card.getByText('unlimited users · unlimited conn').waitFor();
    await card.getByText('2016-04-04').waitFor(); // maintenance
    const modules = page.getByRole('table', { name: 'Module licenses' });
    await modules.getByText('maxQueues=10').waitFor();
    await modules.getByText('crm', { exact: true }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Core server' }).inputValue()).resolves.toBe('default');
    expectCleanPage(problems);
  });

  it('activates a BIND- serial: the bind step is prefilled from the client and the new license is shown', async () => {
    await page.getByRole('button', { name: 'Activate serial…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate serial on isym-acme' });
    await dialog.getByRole('textbox', { name: 'Serial' }).fill('BIND-AAAA-0001');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByRole('textbox', { name: 'Licensed to' }).inputValue()).resolves.toBe('Acme Telecom');
    await expect(dialog.getByRole('textbox', { name: 'E-mail' }).inputValue()).resolves.toBe('ops@acme.test');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'The serial was bound to the licensee and activated.' });
    await done.waitFor();
    await done.getByText('BIND-A…0001').waitFor();
    await done.getByText('never (perpetual)').waitFor();
    // The bind went to the simulator inside its window, with the client's details.
    expect(sim.state.activations.at(-1)).toMatchObject({ serial: 'BIND-AAAA-0001', via: 'bind', licensedTo: 'Acme Telecom', email: 'ops@acme.test' });
    await page.screenshot({ path: resultsPath('e2e-isymphony-bound.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = licenseCard(page);
    await card.getByText('BIND-A…0001').waitFor();
    await card.getByText(/1 earlier key on record/).waitFor();
    expectCleanPage(problems);
  });

  it('shows the server text when a DENY- serial is refused, and changes nothing', async () => {
    await page.getByRole('button', { name: 'Activate serial…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate serial on isym-acme' });
    await dialog.getByRole('textbox', { name: 'Serial' }).fill('DENY-0000-0003');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Not allowed' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(DENIED_TEXT);
    await expect(alert.textContent()).resolves.toContain('isym-acme');
    expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-AAAA-0001');
    await page.screenshot({ path: resultsPath('e2e-isymphony-denied.png') });
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForTimeout(200);
    await page.screenshot({ path: resultsPath('e2e-isymphony-instance.png'), fullPage: true });
    expect(h.ctx.store.data.licenses.map((l) => l.key)).not.toContain('DENY-0000-0003');
    expectCleanPage(problems);
    expect(await cspViolations(page)).toEqual([]);
  });
});
