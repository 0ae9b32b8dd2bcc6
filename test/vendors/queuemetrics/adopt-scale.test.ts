import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/tmp.ts';
import { openContext } from '../../../electron/core/open.ts';
import { addPpks } from '../../../electron/core/vendors/queuemetrics/ppk-stock.ts';
import { adoptConvertedPpks } from '../../../electron/core/vendors/queuemetrics/adopt.ts';
import { dashboardSummary } from '../../../electron/core/services/dashboard.ts';
import { startLowaySimulator, type LowaySimulator } from './loway-simulator.ts';

/**
 * Adopting a real fleet's worth at once: 1,000 PPKs converted before Keyfleet, their keys running
 * on 1,000 QueueMetrics instances (as a refresh left them: unknown key), asked of one Loway key
 * server through the scheduler. Every key is adopted, every answer is in the receipts, the key
 * server sees each PPK once, and instances whose key came from elsewhere stay counted.
 */
const FLEET = 1000;
const ppkOf = (n: number) => `XQI-LOWAY-SCALE${String(n).padStart(7, '0')}:QM-${10 + (n % 5) * 10}/1/365`;

describe('bulk adoption at fleet size', () => {
  let loway: LowaySimulator;
  const home = tempDir();

  beforeAll(async () => {
    loway = await startLowaySimulator();
    const keys: string[] = [];
    for (let n = 0; n < FLEET; n++) {
      const body = await (await fetch(`${loway.url}?K_enduser=Old&K_email=old@reseller.test&K_id=${encodeURIComponent(ppkOf(n))}`)).text();
      keys.push(/^K:(.*)$/m.exec(body)![1]!);
    }
    loway.requests.length = 0;
    const ctx = openContext({ dataDir: home });
    const at = new Date().toISOString();
    ctx.store.update((d) => ({
      ...d,
      sources: [{ id: 'src_l', name: 'loway', kind: 'loway-keyserver', url: loway.url, email: 'keys@reseller.test', createdAt: at }],
      instances: [
        ...keys.map((key, n) => ({ id: `in_${n}`, name: `qm-${n}`, kind: 'queuemetrics' as const, url: `http://10.1.${n >> 8}.${n & 255}:8080/queuemetrics`, tags: [], snapshot: { at, key }, drift: 'unknown' as const, createdAt: at })),
        // Two more whose keys came from PPKs nobody holds any more.
        ...[0, 1].map((n) => ({ id: `in_x${n}`, name: `qm-x${n}`, kind: 'queuemetrics' as const, url: `http://10.9.0.${n}:8080/queuemetrics`, tags: [], snapshot: { at, key: `STRANGE${n}-0000-0000-0000-0000-0000` }, drift: 'unknown' as const, createdAt: at })),
      ],
    }));
    expect(addPpks(ctx, Array.from({ length: FLEET }, (_, n) => ppkOf(n)).join('\n'), { converted: true }).added).toBe(FLEET);
  }, 120_000);
  afterAll(async () => {
    await loway.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('adopts 1,000 running keys in one run, asking the key server once per PPK', async () => {
    const ctx = openContext({ dataDir: home });
    const started = performance.now();
    const result = await adoptConvertedPpks(ctx);
    const seconds = (performance.now() - started) / 1000;
    console.log(`bulk adoption: ${result.adopted} keys from ${result.asked} key-server answers in ${seconds.toFixed(1)} s`);
    expect(result.adopted).toBe(FLEET);
    expect(result.unmatchedPpks).toEqual([]);
    expect(result.unknownInstances.map((i) => i.instance)).toEqual(['qm-x0', 'qm-x1']);
    expect(loway.requests).toHaveLength(FLEET);
    expect(new Set(loway.requests.map((r) => r.id)).size).toBe(FLEET);
    const receipts = fs.readFileSync(path.join(home, 'keys.jsonl'), 'utf8').trim().split('\n');
    expect(receipts).toHaveLength(FLEET);

    const reopened = openContext({ dataDir: home });
    expect(reopened.store.data.licenses.filter((l) => l.origin === 'adopted' && l.instanceId && l.expiresAt)).toHaveLength(FLEET);
    expect(dashboardSummary(reopened)).toMatchObject({ unknownKeys: 2 });
    // Nothing left to ask for: a second run asks nothing and adopts nothing.
    const again = await adoptConvertedPpks(reopened);
    expect(again).toMatchObject({ adopted: 0, asked: 0 });
    expect(loway.requests).toHaveLength(FLEET);
  }, 120_000);
});
