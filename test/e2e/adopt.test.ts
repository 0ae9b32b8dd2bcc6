import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goTo, pick, resultsPath, startHarness, type Harness } from './harness.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { addClient } from '../../electron/core/services/clients.ts';
import { addInstance } from '../../electron/core/services/instances.ts';
import { addSource } from '../../electron/core/services/sources.ts';
import { checkInstance } from '../../electron/core/services/instance-check.ts';

/**
 * Adopt key… in Chromium, against the real handlers, a Loway key server and QueueMetrics peers:
 * two instances run keys installed before Keyfleet (one converted from a PPK the reseller holds,
 * one known only from its License page); both become licenses with their expiry, and the
 * dashboard's unknown-key count goes to zero.
 */
const PPK_A = 'XQI-LOWAY-UIADOPT00001:QM-30/1/365';
const PPK_OTHER = 'XQI-LOWAY-UIADOPT00002:QM-10/1/365';
const HAND_KEY = 'HAND0001-HAND0002-HAND0003-HAND0004-HAND0005-HAND0006';

describe('end to end: adopting keys Keyfleet did not install', () => {
  let h: Harness;
  let loway: LowaySimulator;
  let qmA: QmSimulator;
  let qmB: QmSimulator;
  let keyA = '';
  let expiresA = '';

  beforeAll(async () => {
    loway = await startLowaySimulator();
    // Converted outside Keyfleet, months ago; the key installed on qm-a by hand.
    for (const ppk of [PPK_A, PPK_OTHER]) {
      const body = await (await fetch(`${loway.url}?K_enduser=Acme&K_email=ops@acme.test&K_id=${encodeURIComponent(ppk)}`)).text();
      if (ppk === PPK_A) {
        keyA = /^K:(.*)$/m.exec(body)![1]!;
        expiresA = /^X:(.*)$/m.exec(body)![1]!;
      }
    }
    [qmA, qmB] = await Promise.all([startQmSimulator({ key: keyA, restartMs: 150 }), startQmSimulator({ key: HAND_KEY, restartMs: 150 })]);
    h = await startHarness();
    addClient(h.ctx, { name: 'Acme', email: 'ops@acme.test', tags: [] });
    await addSource(h.ctx, { name: 'loway', kind: 'loway-keyserver', url: loway.url, email: 'keys@reseller.test' });
    for (const [name, sim] of [['qm-a', qmA], ['qm-b', qmB]] as const) {
      await addInstance(h.ctx, { name, kind: 'queuemetrics', url: sim.baseUrl, client: 'Acme', user: 'keyupdater', secret: 'ku-secret' });
      const checked = await checkInstance(h.ctx, name);
      expect(checked.error).toBeUndefined();
    }
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([loway?.close(), qmA?.close(), qmB?.close()]);
  });

  it('imports converted PPKs, then adopts one key by its PPK (a wrong PPK is refused) and one by hand', async () => {
    const { page, problems } = await h.newPage();
    await page.goto(h.url);
    await page.getByRole('button', { name: 'Unknown key: 2' }).waitFor();

    // The PPKs the keys came from, imported as already converted: kept apart from the stock.
    await goTo(page, 'Key stock');
    await page.getByRole('textbox', { name: 'Pre-purchased keys' }).fill(`${PPK_A}\n${PPK_OTHER}`);
    await page.getByRole('checkbox', { name: 'Already converted' }).check();
    await page.getByRole('button', { name: 'Import 2 keys' }).click();
    await page.getByRole('status').getByText('2 added').waitFor();
    // Listed as such, and never offered for activation from stock.
    await expect.poll(() => page.getByText('converted before Keyfleet', { exact: true }).count()).toBe(2);
    expect(h.ctx.store.data.ppks.map((p) => [p.state, p.convertedElsewhere])).toEqual([
      ['converted', true],
      ['converted', true],
    ]);

    await goTo(page, 'Instances');
    await page.getByRole('grid', { name: 'Instances' }).getByRole('row', { name: /qm-a/ }).click();
    await page.getByRole('heading', { name: /qm-a/ }).waitFor();
    await page.getByRole('button', { name: 'Adopt key…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Adopt the key qm-a runs' });
    // Nothing chosen: the form says what is missing and sends nothing.
    await dialog.getByRole('button', { name: 'Adopt key' }).click();
    await dialog.getByText('Choose the PPK this key was converted from').waitFor();
    await pick(page, dialog.getByRole('combobox', { name: 'PPK it was converted from' }), new RegExp(PPK_OTHER.split(':')[0]!));
    await dialog.getByRole('button', { name: 'Adopt key' }).click();
    await dialog.getByRole('alert').getByText(/nothing was attached/).waitFor();
    expect(h.ctx.store.data.licenses).toEqual([]);

    await pick(page, dialog.getByRole('combobox', { name: 'PPK it was converted from' }), new RegExp(PPK_A.split(':')[0]!));
    await dialog.getByRole('button', { name: 'Adopt key' }).click();
    await dialog.getByRole('status').getByText(/Adopted/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Adopted from the instance').first().waitFor();
    expect(h.ctx.store.data.licenses.map((l) => [l.key, l.expiresAt, l.origin])).toEqual([[keyA, expiresA, 'adopted']]);
    await expect(page.getByRole('button', { name: 'Adopt key…' }).count()).resolves.toBe(0);

    // qm-b: the facts from its License page.
    await goTo(page, 'Instances');
    await page.getByRole('grid', { name: 'Instances' }).getByRole('row', { name: /qm-b/ }).click();
    await page.getByRole('heading', { name: /qm-b/ }).waitFor();
    await page.getByRole('button', { name: 'Adopt key…' }).click();
    const byHand = page.getByRole('dialog', { name: 'Adopt the key qm-b runs' });
    await byHand.getByText('Facts from the License page').click();
    await byHand.getByLabel('Expiry date').fill('2027-05-31');
    await byHand.getByRole('textbox', { name: 'Agents' }).fill('25');
    await byHand.getByRole('button', { name: 'Adopt key' }).click();
    await byHand.getByText('Servers: a whole number, 1 or more').waitFor();
    await byHand.getByRole('textbox', { name: 'Servers' }).fill('2');
    await byHand.screenshot({ path: resultsPath('adopt-key-dialog.png') });
    await byHand.getByRole('button', { name: 'Adopt key' }).click();
    await byHand.getByRole('status').getByText(/Adopted/).waitFor();
    await byHand.getByRole('button', { name: 'Close' }).click();
    await page.getByText('Entered by hand').first().waitFor();
    const manual = h.ctx.store.data.licenses.find((l) => l.key === HAND_KEY);
    expect(manual).toMatchObject({ expiresAt: '2027-05-31', origin: 'manual', limits: { agents: 25, servers: 2 } });

    await goTo(page, 'Dashboard');
    await page.getByRole('button', { name: 'Unknown key: 0' }).waitFor();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
