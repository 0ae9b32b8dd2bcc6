import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, startHarness, type Harness } from './harness.ts';

/** The shipped bundle in Chromium against the real handlers: first run, clients, instances. */
describe('end to end: first run, clients and instances', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads under the strict CSP without console errors and shows the first-run guide', async () => {
    const { page, problems } = await h.newPage();
    const response = await page.goto(h.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Welcome to Keyfleet' }).waitFor();
    await page.getByText('Keyfleet 0.1.0-e2e').waitFor();
    // Give late requests (events stream, lazy queries) a moment to fail if they were going to.
    await page.waitForTimeout(300);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('adds a client through the UI and lists it', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('button', { name: 'Add client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add client' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Acme Contact Center');
    await dialog.getByRole('textbox', { name: 'Contact e-mail' }).fill('it@acme.example');
    await dialog.getByLabel('Tags').fill('enterprise');
    await dialog.getByLabel('Tags').press('Enter');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Stored by the real service…
    expect(h.ctx.store.data.clients).toMatchObject([{ name: 'Acme Contact Center', email: 'it@acme.example', tags: ['enterprise'] }]);
    // …and shown in the list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Clients/ }).click();
    const grid = page.getByRole('grid', { name: 'Clients' });
    await grid.getByText('Acme Contact Center').waitFor();
    await expect(grid.getByText('it@acme.example').count()).resolves.toBe(1);
    expect(problems.consoleErrors).toEqual([]);
  });

  it('refuses a duplicate client with the server message, in the form', async () => {
    const { page } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Clients/ }).click();
    await page.getByRole('button', { name: 'Add client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add client' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('acme contact center');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await dialog.getByText('a client named "acme contact center" already exists').waitFor();
    expect(h.ctx.store.data.clients).toHaveLength(1);
  });

  it('adds a QueueMetrics instance with a secret: the secret goes to the keychain and the list says "secret stored"', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Instances/ }).click();
    await page.getByRole('button', { name: 'Add instance' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add instance' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('qm-acme-prod');
    await dialog.getByRole('textbox', { name: 'URL' }).fill('notaurl');
    await dialog.getByRole('textbox', { name: 'Name' }).click();
    await dialog.getByText('URL must start with http:// or https://').waitFor();
    await dialog.getByRole('textbox', { name: 'URL' }).fill('http://127.0.0.1:9/queuemetrics');
    await dialog.getByRole('textbox', { name: /^User/ }).fill('keyupdater');
    await dialog.getByRole('textbox', { name: 'Password' }).fill('robot-pass-123');
    await dialog.getByRole('combobox', { name: 'Client' }).click();
    await page.getByRole('option', { name: 'Acme Contact Center' }).click();
    await dialog.getByRole('button', { name: 'Add instance' }).click();
    await dialog.waitFor({ state: 'detached' });

    const stored = h.ctx.store.data.instances.find((i) => i.name === 'qm-acme-prod');
    expect(stored).toMatchObject({ kind: 'queuemetrics', url: 'http://127.0.0.1:9/queuemetrics', user: 'keyupdater', secret: { type: 'own' } });
    // The secret is in the OS keychain and nowhere in the store file.
    await expect(h.ctx.vault.get({ type: 'instance', id: stored!.id })).resolves.toBe('robot-pass-123');
    expect(JSON.stringify(h.ctx.store.data)).not.toContain('robot-pass-123');

    const grid = page.getByRole('grid', { name: 'Instances' });
    const row = grid.getByRole('row', { name: /qm-acme-prod/ });
    await row.waitFor();
    await row.getByRole('img', { name: 'secret stored in keychain' }).waitFor();
    await row.getByText('Acme Contact Center').waitFor();

    // The instance page says the same and never shows the secret.
    await row.click();
    await page.getByRole('heading', { name: /qm-acme-prod/ }).waitFor();
    await page.getByText('secret stored in keychain').first().waitFor();
    expect(await page.content()).not.toContain('robot-pass-123');

    // Nothing listens on port 9: reading the license fails and the page says the server is unreachable.
    await page.getByRole('button', { name: 'Check now' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Server unreachable' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/could not be reached: .*qm-acme-prod/);
    expect(problems.consoleErrors).toEqual([]);
  });

  it('saves settings and adds a QLM key source (password to the keychain) through the real handlers', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    // Shortcuts work once the app has mounted; pressing earlier would be lost.
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Control+7');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByRole('textbox', { name: 'Reminder stages' }).fill('60, 30, 7, 0');
    await page.getByRole('textbox', { name: 'Low-stock threshold' }).fill('5');
    await page.getByRole('switch', { name: /Keep running in the tray/ }).check({ force: true });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(h.ctx.store.data.settings).toMatchObject({ reminderStages: [60, 30, 7, 0], lowStockThreshold: 5, keepRunningInTray: true });

    await page.keyboard.press('Control+4');
    await page.getByRole('tab', { name: 'Key sources' }).click();
    await page.getByRole('button', { name: 'Add QLM source' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add key source' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('qlm-main');
    await dialog.getByRole('textbox', { name: 'URL' }).fill('https://qlm.example.net/qlmservice.asmx');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.getByText('Vendor (is_vendor) is required for QLM').waitFor();
    await dialog.getByRole('textbox', { name: 'Vendor (is_vendor)' }).fill('Loway');
    await dialog.getByRole('textbox', { name: 'User (is_user)' }).fill('api-user');
    await dialog.getByRole('textbox', { name: 'Password (is_pwd)' }).fill('qlm-secret-9');
    await dialog.getByRole('textbox', { name: 'Default product ID' }).fill('7');
    await dialog.getByRole('textbox', { name: 'Major' }).fill('2');
    await dialog.getByRole('textbox', { name: 'Minor' }).fill('0');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.waitFor({ state: 'detached' });
    const source = h.ctx.store.data.sources.find((x) => x.name === 'qlm-main');
    expect(source).toMatchObject({ kind: 'qlm', vendor: 'Loway', user: 'api-user', hasSecret: true, productDefaults: { productId: 7, major: 2, minor: 0 } });
    await expect(h.ctx.vault.get({ type: 'source', id: source!.id })).resolves.toBe('qlm-secret-9');
    await page.getByRole('table', { name: 'Key sources' }).getByText('qlm-main').waitFor();
    expect(problems.consoleErrors).toEqual([]);
  });
});
