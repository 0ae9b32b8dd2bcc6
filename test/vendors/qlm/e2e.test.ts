import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startQlmSimulator } from './simulator.ts';
import { cspViolations, expectCleanPage, goTo, pick, resultsPath } from '../../e2e/harness.ts';
import { addClient, masked } from '../../e2e/steps.ts';
import { appForBlock } from '../../e2e/app-block.ts';

/**
 * Soraco QLM in Chromium against a License Server simulator, by clicks and typing: a QLM key
 * source, "Create keys…" with features ticked in the feature editor and a client, the keys in
 * Licenses, "Update…" extending the expiry with a relative product property, revoking, and a
 * method switched off on the server named by its Server Properties switch.
 */
const VENDOR = 'ResellerCo';
const USER = 'keyfleet-api';
const PASSWORD = 'qlm-S3cret-Pwd!';
const CREATE = 'GetActivationKeyWithExpiryDate';

async function openLicenseMenu(page: Page, key: string) {
  await goTo(page, 'Licenses');
  const grid = page.getByRole('grid', { name: 'Licenses' });
  const row = grid.locator('[role="row"][data-row-id]').filter({ hasText: masked(key) });
  await row.getByRole('button', { name: /^Actions for license/ }).click();
}

describe('end to end: Soraco QLM through the UI', () => {
  const app = appForBlock({ qlm: () => startQlmSimulator({ flavor: 'v20', vendor: VENDOR, user: USER, password: PASSWORD, products: { 7: 'CallCentre Pro' } }) });
  let key = '';

  it('adds a QLM key source (password to the keychain) and tests it', async () => {
    await addClient(app.page, { name: 'Acme' });

    await goTo(app.page, 'Key stock');
    await app.page.getByRole('tab', { name: 'Key sources' }).click();
    await app.page.getByRole('button', { name: 'Add QLM source' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Add key source' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('qlm');
    await dialog.getByRole('textbox', { name: 'URL' }).fill(app.qlm.baseUrl);
    await dialog.getByRole('textbox', { name: 'Vendor (is_vendor)' }).fill(VENDOR);
    await dialog.getByRole('textbox', { name: 'User (is_user)' }).fill(USER);
    await dialog.getByRole('textbox', { name: 'Password (is_pwd)' }).fill(PASSWORD);
    await dialog.getByRole('textbox', { name: 'Default product ID' }).fill('7');
    await dialog.getByRole('textbox', { name: 'Major' }).fill('3');
    await dialog.getByRole('textbox', { name: 'Minor' }).fill('1');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.waitFor({ state: 'detached' });
    const source = app.h.ctx.store.data.sources.find((s) => s.name === 'qlm')!;
    await expect(app.h.ctx.vault.get({ type: 'source', id: source.id })).resolves.toBe(PASSWORD);

    const row = app.page.getByRole('table', { name: 'Key sources' }).getByRole('row', { name: /qlm/ });
    await row.getByRole('button', { name: 'Test key source qlm' }).click();
    const answer = app.page.getByRole('status').filter({ hasText: /Successfully connected/ });
    await answer.waitFor();
    await answer.getByText(/\(version 20\./).waitFor();
    await answer.getByText(/Server clock \d+ s (ahead|behind)/).waitFor();
    await app.page.keyboard.press('Escape');
    await answer.waitFor({ state: 'hidden' });
    expectCleanPage(app.problems);
  });

  it('edits the source: a wrong new password is refused by the server on use, the right one works again', async () => {
    const row = app.page.getByRole('table', { name: 'Key sources' }).getByRole('row', { name: /qlm/ });
    const setPassword = async (password: string) => {
      await row.getByRole('button', { name: 'Edit source qlm' }).click();
      const dialog = app.page.getByRole('dialog', { name: 'Edit key source qlm' });
      await expect(dialog.getByRole('textbox', { name: 'Vendor (is_vendor)' }).inputValue()).resolves.toBe(VENDOR);
      await dialog.getByRole('textbox', { name: 'Password (is_pwd)' }).fill(password);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    const source = app.h.ctx.store.data.sources.find((s) => s.name === 'qlm')!;
    await setPassword('not-the-password');
    await expect(app.h.ctx.vault.get({ type: 'source', id: source.id })).resolves.toBe('not-the-password');
    // QLM's ping does not sign in; creating a key does, and is refused before anything is made.
    await row.getByRole('button', { name: 'Create keys…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Create QLM keys' });
    await dialog.getByRole('button', { name: 'Create keys…' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Create 1 key for 1 seat?' }).getByRole('button', { name: 'Create keys' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'Sign-in refused' });
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toMatch(/authentication failed \(error 8\)/);
    expect(await refusal.textContent()).not.toContain('not-the-password');
    expect(app.qlm.state.licenses.size).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await setPassword(PASSWORD);
    await expect(app.h.ctx.vault.get({ type: 'source', id: source.id })).resolves.toBe(PASSWORD);
    expect(JSON.stringify(app.h.ctx.store.data)).not.toContain(PASSWORD);
    expectCleanPage(app.problems);
  });

  it('creates a key with features ticked in the editor, for a client, and lists it in Licenses', async () => {
    const row = app.page.getByRole('table', { name: 'Key sources' }).getByRole('row', { name: /qlm/ });
    await row.getByRole('button', { name: 'Create keys…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Create QLM keys' });
    // The product defaults come from the source.
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Product ID' }).inputValue()).toBe('7');
    await pick(app.page, dialog.getByRole('combobox', { name: 'Client (optional)' }), 'Acme');
    await dialog.getByRole('textbox', { name: 'Expiry (days from today)' }).fill('200');
    await dialog.getByRole('button', { name: 'Add feature set' }).click();
    await dialog.getByRole('checkbox', { name: 'Set 0 feature 0', exact: true }).check();
    await dialog.getByRole('checkbox', { name: 'Set 0 feature 2', exact: true }).check();
    await dialog.getByText('mask 5 (0x5)').waitFor();
    await dialog.getByRole('button', { name: 'Create keys…' }).click();
    const confirm = dialog.getByRole('alert').filter({ hasText: 'Create 1 key for 1 seat?' });
    await confirm.getByRole('button', { name: 'Create keys' }).click();
    const done = dialog.getByRole('status').filter({ hasText: '1 key created and saved' });
    await done.waitFor();

    const created = [...app.qlm.state.licenses.values()];
    expect(created).toHaveLength(1);
    key = created[0]!.key;
    expect(created[0]).toMatchObject({ features: '0:5', productId: 7, majorVersion: 3, minorVersion: 1 });
    await done.getByText(masked(key)).waitFor();
    await app.page.screenshot({ path: resultsPath('e2e-qlm-created.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await goTo(app.page, 'Licenses');
    await app.page.getByRole('group', { name: 'Vendor' }).getByText('QLM', { exact: true }).click();
    const grid = app.page.getByRole('grid', { name: 'Licenses' });
    const licenseRow = grid.locator('[role="row"][data-row-id]').filter({ hasText: masked(key) });
    await licenseRow.getByText('Acme', { exact: true }).waitFor();
    await licenseRow.getByText('QLM product 7 v3.1').waitFor();
    await licenseRow.getByText('active').waitFor();
    expectCleanPage(app.problems);
  });

  it('updates the key: a later expiry and a relative +2 product property, confirmed once', async () => {
    const before = app.qlm.state.licenses.get(key)!.expiresAt!;
    await openLicenseMenu(app.page, key);
    await app.page.getByRole('menuitem', { name: 'Update on QLM…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Update a QLM key' });
    await expect(dialog.getByRole('textbox', { name: 'Activation key' }).inputValue()).resolves.toBe(key);
    await dialog.getByRole('checkbox', { name: 'Change expiry' }).check();
    await dialog.getByRole('textbox', { name: 'Expiry (days from today)' }).fill('400');
    await dialog.getByRole('checkbox', { name: 'Product properties' }).check();
    await dialog.getByRole('textbox', { name: 'Property 1 category' }).fill('cat');
    await dialog.getByRole('textbox', { name: 'Property 1 name' }).fill('count');
    await dialog.getByRole('textbox', { name: 'Property 1 value' }).fill('2');
    await dialog.getByText('cat.count::+2').waitFor();
    await dialog.getByRole('button', { name: 'Update…' }).click();
    const confirm = dialog.getByRole('alert').filter({ hasText: 'Confirm the update' });
    await confirm.getByText(/Relative changes add up/).waitFor();
    await confirm.getByRole('button', { name: 'Update key' }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Updated' });
    await done.waitFor();

    const onServer = app.qlm.state.licenses.get(key)!;
    expect(onServer.properties.get('cat.count')?.value).toBe('2');
    expect(onServer.expiresAt!.getTime()).toBeGreaterThan(before.getTime() + 150 * 86_400_000);
    const stored = app.h.ctx.store.data.licenses.find((l) => l.key === key)!;
    await done.getByText(stored.expiresAt!).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expectCleanPage(app.problems);
  });

  it('revokes the key: the server marks it revoked and Licenses shows it', async () => {
    await openLicenseMenu(app.page, key);
    await app.page.getByRole('menuitem', { name: 'Update on QLM…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Update a QLM key' });
    await dialog.getByRole('checkbox', { name: 'Revoke or un-revoke' }).check();
    await dialog.getByRole('button', { name: 'Update…' }).click();
    const confirm = dialog.getByRole('alert').filter({ hasText: 'Confirm the update' });
    await confirm.getByText(/stops working for its users/).waitFor();
    await confirm.getByRole('button', { name: 'Update key' }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Updated' });
    await done.getByText('revoked', { exact: true }).waitFor();
    expect(app.qlm.state.licenses.get(key)!.revoked).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();

    const row = app.page.getByRole('grid', { name: 'Licenses' }).locator('[role="row"][data-row-id]').filter({ hasText: masked(key) });
    await row.getByText('revoked', { exact: true }).waitFor();
    await app.page.waitForTimeout(200);
    await app.page.screenshot({ path: resultsPath('e2e-qlm-licenses.png') });
    expectCleanPage(app.problems);
  });

  it('names the Server Properties switch when the server has the method turned off', async () => {
    app.qlm.setDisabled([CREATE]);
    try {
      await goTo(app.page, 'Key stock');
      await app.page.getByRole('tab', { name: 'Key sources' }).click();
      await app.page.getByRole('table', { name: 'Key sources' }).getByRole('row', { name: /qlm/ }).getByRole('button', { name: 'Create keys…' }).click();
      const dialog = app.page.getByRole('dialog', { name: 'Create QLM keys' });
      await dialog.getByRole('button', { name: 'Create keys…' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'Create 1 key for 1 seat?' }).getByRole('button', { name: 'Create keys' }).click();
      const error = dialog.getByRole('alert').filter({ hasText: 'Not allowed' });
      await error.waitFor();
      await expect(error.textContent()).resolves.toMatch(/disabled on the License Server \(error 7\).*enableGetActivationKey/);
      expect(app.qlm.state.licenses.size).toBe(1);
      await app.page.screenshot({ path: resultsPath('e2e-qlm-disabled.png') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      app.qlm.setDisabled([]);
    }
    expectCleanPage(app.problems);
    expect(await cspViolations(app.page)).toEqual([]);
  });
});
