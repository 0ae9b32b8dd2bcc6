import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { openContext } from '../../../electron/core/open.ts';
import { MemoryVault } from '../../../electron/core/vault/vault.ts';
import { addInstance } from '../../../electron/core/services/instances.ts';
import { reconcile } from '../../../electron/core/services/reconcile.ts';
import type { Context } from '../../../electron/core/context.ts';
import type { License } from '../../../electron/core/store/schema.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startQmSimulator } from './simulator.ts';
import { serversForBlock } from '../../helpers/block-servers.ts';

/**
 * QueueMetrics in reconciliation, in-process against two real XML-RPC peers: a running key a
 * stored license holds but no instance yet is a change Keyfleet can accept (the license is
 * attached); the key recorded for another instance is listed but never moved by accepting.
 */
const SPARE_KEY = 'SPAR0001-SPAR0002-SPAR0003-SPAR0004-SPAR0005-SPAR0006';
const ONE_KEY = 'ONEK0001-ONEK0002-ONEK0003-ONEK0004-ONEK0005-ONEK0006';

function license(id: string, key: string, instanceId?: string): License {
  const at = '2026-11-01T00:00:00.000Z';
  return { id, vendor: 'queuemetrics', key, ...(instanceId ? { instanceId } : {}), product: 'QueueMetrics', limits: { agents: 10, servers: 1 }, expiresAt: '2027-11-01', origin: 'ppk', status: 'active', replaces: [], createdAt: at, updatedAt: at };
}

describe('QueueMetrics reconciliation', { timeout: 60_000 }, () => {
  const sims = serversForBlock({ one: () => startQmSimulator({ key: ONE_KEY }), two: () => startQmSimulator({ key: SPARE_KEY }) });
  let ctx: Context;
  const dir = tempDir();

  beforeAll(async () => {
    ctx = openContext({ dataDir: dir, vault: new MemoryVault() });
    const a = await addInstance(ctx, { name: 'qm-one', kind: 'queuemetrics', url: sims.one.baseUrl, user: 'keyupdater', secret: 'ku-secret' });
    await addInstance(ctx, { name: 'qm-two', kind: 'queuemetrics', url: sims.two.baseUrl, user: 'keyupdater', secret: 'ku-secret' });
    ctx.store.update((d) => ({ ...d, licenses: [license('lic_one', ONE_KEY, a.id), license('lic_spare', SPARE_KEY)] }));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a running key held by a license on no instance is a change; accepting attaches that license', async () => {
    const r = await reconcile(ctx);
    expect(r).toMatchObject({ same: 1, serverOnly: [], localOnly: [], failures: [] });
    expect(r.changed).toEqual([{ license: 'lic_spare', key: SPARE_KEY, vendor: 'queuemetrics', instance: 'qm-two', field: 'key', recorded: null, server: SPARE_KEY }]);

    const accepted = await reconcile(ctx, { accept: true });
    expect(accepted).toMatchObject({ accepted: 1, same: 2, changed: [] });
    const qmTwo = ctx.store.data.instances.find((i) => i.name === 'qm-two')!;
    expect(ctx.store.data.licenses.find((l) => l.id === 'lic_spare')).toMatchObject({ instanceId: qmTwo.id, status: 'active' });
    expect(qmTwo).toMatchObject({ installedKey: SPARE_KEY, drift: 'none' });
  });

  it('the key recorded for another instance is listed with why it is not accepted, and accepting leaves it alone', async () => {
    await sims.two.setKey(ONE_KEY);
    const before = JSON.stringify(ctx.store.data.licenses);
    const r = await reconcile(ctx, { accept: true });
    expect(r.accepted).toBe(0);
    expect(r.changed).toEqual([
      { license: 'lic_spare', key: SPARE_KEY, vendor: 'queuemetrics', instance: 'qm-two', field: 'key', recorded: SPARE_KEY, server: ONE_KEY, blocked: expect.stringContaining('lic_one') },
    ]);
    expect(JSON.stringify(ctx.store.data.licenses)).toBe(before);
  });
});
