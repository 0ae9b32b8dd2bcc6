import type { Locator, Page } from 'playwright-core';
import { goTo, pick } from './harness.ts';

/**
 * The setup steps several end-to-end tests take by clicks and typing, whatever stands behind the
 * page (the HTTP bridge or the built app through its real preload). Each waits until its dialog
 * has closed, so the next step starts from a settled page.
 */
export async function addClient(page: Page, client: { name: string; email?: string }): Promise<void> {
  await page.getByRole('button', { name: 'Add client' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add client' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(client.name);
  if (client.email) await dialog.getByRole('textbox', { name: 'Contact e-mail' }).fill(client.email);
  await dialog.getByRole('button', { name: 'Add client' }).click();
  await dialog.waitFor({ state: 'detached' });
}

export async function addLowaySource(page: Page, source: { name: string; email: string; url: string }): Promise<void> {
  await goTo(page, 'Key stock');
  await page.getByRole('tab', { name: 'Key sources' }).click();
  await page.getByRole('button', { name: 'Add Loway key server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add key source' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(source.name);
  await dialog.getByRole('textbox', { name: 'Default e-mail' }).fill(source.email);
  await dialog.getByRole('textbox', { name: 'URL' }).fill(source.url);
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Opens Instances › Add instance with the kind chosen (QueueMetrics when none) and the name and URL typed; returns the form. */
export async function openAddInstance(page: Page, instance: { kind?: 'iSymphony' | 'Webitel'; name: string; url: string }): Promise<Locator> {
  await goTo(page, 'Instances');
  await page.getByRole('button', { name: 'Add instance' }).first().click();
  const form = page.getByRole('dialog', { name: 'Add instance' });
  if (instance.kind) await form.getByRole('radiogroup').first().getByText(instance.kind, { exact: true }).click();
  await form.getByRole('textbox', { name: 'Name' }).fill(instance.name);
  await form.getByRole('textbox', { name: 'URL' }).fill(instance.url);
  return form;
}

/** Adds a QueueMetrics instance after its connection test says "Connected". */
export async function addQueueMetricsInstance(page: Page, instance: { name: string; url: string; user: string; password: string; client: string }): Promise<void> {
  const form = await openAddInstance(page, instance);
  await form.getByRole('textbox', { name: /^User/ }).fill(instance.user);
  await form.getByRole('textbox', { name: 'Password' }).fill(instance.password);
  await pick(page, form.getByRole('combobox', { name: 'Client' }), instance.client);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  await form.getByRole('button', { name: 'Add instance' }).click();
  await form.waitFor({ state: 'detached' });
}

/** A key as the UI shows it: the first six characters … the last four. */
export const masked = (key: string) => `${key.slice(0, 6)}…${key.slice(-4)}`;
