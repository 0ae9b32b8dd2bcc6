import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDir } from '../../helpers/tmp.ts';
import { openContext } from '../../../electron/core/open.ts';
import { recordReceipt, type PpkReceipt } from '../../../electron/core/services/key-receipts.ts';

/**
 * An adoption's key-server answer is money like any key: written to the receipts before the
 * store. A process that dies between the two loses nothing: the next start folds the answer in,
 * once, the same way the adoption would have (a license for the instance when the key is the one
 * it runs; otherwise only the PPK's conversion, no license).
 */
const NOW = '2026-12-06T10:00:00.000Z';
const RUNNING = 'RUN00001-RUN00002-RUN00003-RUN00004-RUN00005-RUN00006';
const OTHER = 'OTH00001-OTH00002-OTH00003-OTH00004-OTH00005-OTH00006';

function seeded(dir: string) {
  const ctx = openContext({ dataDir: dir, now: () => new Date(NOW) });
  ctx.store.update((d) => ({
    ...d,
    clients: [{ id: 'cl_a', name: 'Acme', tags: [], createdAt: NOW }],
    sources: [{ id: 'src_l', name: 'loway', kind: 'loway-keyserver', url: 'http://127.0.0.1:9/llm/licence_wsvc_gen.do', createdAt: NOW }],
    instances: [
      { id: 'in_a', name: 'qm-a', kind: 'queuemetrics', url: 'http://127.0.0.1:9/queuemetrics', clientId: 'cl_a', tags: [], snapshot: { at: NOW, key: RUNNING }, drift: 'unknown', createdAt: NOW },
    ],
    ppks: [
      { id: 'pk_1', ppk: 'XQI-LOWAY-RCPT0000001:QM-20/2/365', product: 'QM', agents: 20, servers: 2, days: 365, state: 'converted', convertedElsewhere: true, addedAt: NOW },
      { id: 'pk_2', ppk: 'XQI-LOWAY-RCPT0000002:QM-10/1/365', product: 'QM', agents: 10, servers: 1, days: 365, state: 'converted', convertedElsewhere: true, addedAt: NOW },
    ],
  }));
  return ctx;
}

const receipt = (ppkId: string, ppk: string, key: string, instanceId: string | null): PpkReceipt => ({
  kind: 'ppk',
  ppkId,
  ppk,
  key,
  issuedAt: '2026-03-01T09:00:00.000Z',
  expiresAt: '2027-03-01',
  serverTime: NOW,
  skewMs: 0,
  enduser: 'Acme',
  email: 'ops@acme.test',
  sourceId: 'src_l',
  adopt: { instanceId },
});

describe('adoption receipts survive a crash before the store write', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a matching answer becomes the instance\'s license on the next start, once; a mismatching one only the PPK\'s conversion', () => {
    const dir = tempDir();
    dirs.push(dir);
    const ctx = seeded(dir);
    // The answers reached the receipts; the process died before the store was written.
    recordReceipt(ctx, receipt('pk_1', 'XQI-LOWAY-RCPT0000001:QM-20/2/365', RUNNING, 'in_a'), 'XQI-LOWAY-RCPT0000001:QM-20/2/365');
    recordReceipt(ctx, receipt('pk_2', 'XQI-LOWAY-RCPT0000002:QM-10/1/365', OTHER, null), 'XQI-LOWAY-RCPT0000002:QM-10/1/365');
    expect(ctx.store.data.licenses).toEqual([]);

    const after = openContext({ dataDir: dir, now: () => new Date(NOW) }).store.data;
    expect(after.licenses).toEqual([
      expect.objectContaining({ key: RUNNING, instanceId: 'in_a', clientId: 'cl_a', origin: 'adopted', expiresAt: '2027-03-01', validFrom: '2026-03-01', limits: { agents: 20, servers: 2 }, status: 'active' }),
    ]);
    expect(after.instances[0]!.drift).toBe('none');
    const [p1, p2] = after.ppks;
    expect(p1).toMatchObject({ state: 'installed', instanceId: 'in_a', licenseId: after.licenses[0]!.id, conversion: { key: RUNNING } });
    expect(p2).toMatchObject({ state: 'converted', convertedElsewhere: true, conversion: { key: OTHER } });
    expect(p2!.licenseId).toBeUndefined();

    // Started again: nothing more is added, and the store is not even rewritten.
    const file = fs.readFileSync(`${dir}/keyfleet.json`, 'utf8');
    const again = openContext({ dataDir: dir, now: () => new Date(NOW) });
    expect(again.store.data.licenses).toHaveLength(1);
    expect(fs.readFileSync(`${dir}/keyfleet.json`, 'utf8')).toBe(file);
  });
});
