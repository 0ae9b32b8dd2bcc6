import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startISymphonySimulator } from './simulator.ts';
import { cspViolations, expectCleanPage, pick, resultsPath } from '../../e2e/harness.ts';
import { addClient, openAddInstance } from '../../e2e/steps.ts';
import { appForBlock } from '../../e2e/app-block.ts';

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
  const app = appForBlock({ sim: () => startISymphonySimulator({ password: PASSWORD, deniedText: DENIED_TEXT }) });

  /** "Activate serial…" on the instance page, the serial typed, on to the step that activates it. */
  async function enterSerial(serial: string) {
    await app.page.getByRole('button', { name: 'Activate serial…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Activate serial on isym-acme' });
    await dialog.getByRole('textbox', { name: 'Serial' }).fill(serial);
    await dialog.getByRole('button', { name: 'Next' }).click();
    return dialog;
  }

  it('adds an instance: "Test connection" lists the core servers and one is picked', async () => {
    await addClient(app.page, { name: 'Acme Telecom', email: 'ops@acme.test' });

    const form = await openAddInstance(app.page, { kind: 'iSymphony', name: 'isym-acme', url: app.sim.url });
    await form.getByRole('textbox', { name: 'User', exact: true }).fill('manager');
    await form.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await pick(app.page, form.getByRole('combobox', { name: 'Client' }), 'Acme Telecom');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    // The core servers the host has, by name and slug.
    const core = form.getByRole('combobox', { name: 'Core server' });
    await core.click();
    await expect(app.page.getByRole('option').allTextContents()).resolves.toEqual(['default', 'ACME call centre (acme)']);
    await app.page.getByRole('option', { name: 'default', exact: true }).click();
    await expect(core.inputValue()).resolves.toBe('default');
    await form.getByRole('button', { name: 'Add instance' }).click();
    await form.waitFor({ state: 'detached' });
    expect(app.h.ctx.store.data.instances.find((i) => i.name === 'isym-acme')).toMatchObject({ kind: 'isymphony', coreServer: 'default', user: 'manager', secret: { type: 'own' } });
    expectCleanPage(app.problems);
  });

  it('reads the license: perpetual shows as never expiring, -1 limits as unlimited; module licenses are listed', async () => {
    await app.page.getByRole('grid', { name: 'Instances' }).getByText('isym-acme', { exact: true }).click();
    await app.page.getByRole('heading', { name: 'iSymphony', exact: true }).waitFor();
    await app.page.getByRole('button', { name: 'Check now' }).click();
    await app.page.getByRole('status').filter({ hasText: 'Checked just now' }).waitFor();
    const card = licenseCard(app.page);
    await card.getByText('PERP-0…1111').waitFor();
    await card.getByText('perpetual', { exact: true }).waitFor();
    await card.getByText(/never expires$/).first().waitFor();
    await card.getByText('unlimited users · unlimited conn').waitFor();
    await card.getByText('2016-04-04').waitFor(); // maintenance
    const modules = app.page.getByRole('table', { name: 'Module licenses' });
    await modules.getByText('maxQueues=10').waitFor();
    await modules.getByText('crm', { exact: true }).waitFor();
    await expect(app.page.getByRole('combobox', { name: 'Core server' }).inputValue()).resolves.toBe('default');
    expectCleanPage(app.problems);
  });

  it('activates a BIND- serial: the bind step is prefilled from the client and the new license is shown', async () => {
    const dialog = await enterSerial('BIND-AAAA-0001');
    await expect(dialog.getByRole('textbox', { name: 'Licensed to' }).inputValue()).resolves.toBe('Acme Telecom');
    await expect(dialog.getByRole('textbox', { name: 'E-mail' }).inputValue()).resolves.toBe('ops@acme.test');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'The serial was bound to the licensee and activated.' });
    await done.waitFor();
    await done.getByText('BIND-A…0001').waitFor();
    await done.getByText('never (perpetual)').waitFor();
    // The bind went to the simulator inside its window, with the client's details.
    expect(app.sim.state.activations.at(-1)).toMatchObject({ serial: 'BIND-AAAA-0001', via: 'bind', licensedTo: 'Acme Telecom', email: 'ops@acme.test' });
    await app.page.screenshot({ path: resultsPath('e2e-isymphony-bound.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = licenseCard(app.page);
    await card.getByText('BIND-A…0001').waitFor();
    await card.getByText(/1 earlier key on record/).waitFor();
    expectCleanPage(app.problems);
  });

  it('shows the server text when a DENY- serial is refused, and changes nothing', async () => {
    const dialog = await enterSerial('DENY-0000-0003');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Not allowed' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(DENIED_TEXT);
    await expect(alert.textContent()).resolves.toContain('isym-acme');
    expect(app.sim.state.coreServers[0]!.license.serial).toBe('BIND-AAAA-0001');
    await app.page.screenshot({ path: resultsPath('e2e-isymphony-denied.png') });
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await app.page.waitForTimeout(200);
    await app.page.screenshot({ path: resultsPath('e2e-isymphony-instance.png'), fullPage: true });
    expect(app.h.ctx.store.data.licenses.map((l) => l.key)).not.toContain('DENY-0000-0003');
    expectCleanPage(app.problems);
    expect(await cspViolations(app.page)).toEqual([]);
  });
});
