import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { openContext } from '../../../electron/core/open.ts';
import type { Context } from '../../../electron/core/context.ts';
import { addSource } from '../../../electron/core/services/sources.ts';
import { qlmCreate } from '../../../electron/core/vendors/qlm/service.ts';
import { importQlmLicenses } from '../../../electron/core/vendors/qlm/import.ts';
import { compareQlm, qlmHoldings } from '../../../electron/core/vendors/qlm/reconcile.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startQlmSimulator } from './simulator.ts';
import { serversForBlock } from '../../helpers/block-servers.ts';

/**
 * The QLM part of reconciliation, in-process against the simulator: what the server holds
 * (listed, or read key by key when listing is off) against what Keyfleet records, after
 * licenses were changed, added and deleted on the server behind Keyfleet's back.
 */
const VENDOR = 'ResellerCo';
const USER = 'kf-reconcile';
const PASSWORD = 'Rec0ncile&Pwd';

describe('QLM reconciliation (qlmHoldings, compareQlm)', () => {
  const sims = serversForBlock({ qlm: () => startQlmSimulator({ flavor: 'asmx', vendor: VENDOR, user: USER, password: PASSWORD, products: { 1: 'CallCentre Pro' } }) });
  let ctx: Context;
  let home: string;
  let keys: string[];
  let createdKey: string;

  beforeAll(async () => {
    home = tempDir();
    ctx = openContext({ dataDir: home });
    await addSource(ctx, { name: 'qlm', kind: 'qlm', url: sims.qlm.baseUrl, vendor: VENDOR, user: USER, secret: PASSWORD });
    keys = sims.qlm.seedLicenses(1_050, (i) => ({ maintenanceRenewal: i === 3 ? new Date(Date.UTC(2027, 2, 1, 23, 59)) : null }));
    createdKey = (await qlmCreate(ctx, { productId: 1, major: 5, minor: 0, expiry: { date: '2027-09-09' }, quantity: 4 }))[0]!.key;
    await importQlmLicenses(ctx, {});
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  const source = () => ctx.store.data.sources[0]!;

  it('right after an import everything is the same, over several pages', async () => {
    const held = await qlmHoldings(ctx, source(), { batchSize: 400 });
    expect(held).toHaveLength(1_051);
    expect(sims.qlm.state.requests.filter((r) => r.method === 'GetLicensesHttp' && r.query['is_batchsize'] === '400')).toHaveLength(3);
    expect(held.find((h) => h.key === keys[3])).toMatchObject({ vendor: 'qlm', product: 'CallCentre Pro 5.0', maintenanceExpiresAt: '2027-03-01', revoked: false, company: 'Customer 3', sourceId: source().id });
    const result = compareQlm([...ctx.store.data.licenses], held);
    expect(result).toEqual({ same: 1_051, changed: [], serverOnly: [], localOnly: [] });
  });

  it('finds expiry, seats, revocation, maintenance and product changed elsewhere, and licenses added or deleted on the server', async () => {
    sims.qlm.alter(keys[0]!, { expiresAt: new Date(Date.UTC(2030, 0, 31, 23, 59)) });
    sims.qlm.alter(keys[1]!, { revoked: true });
    sims.qlm.alter(keys[2]!, { quantity: 99 });
    sims.qlm.alter(keys[3]!, { maintenanceRenewal: null });
    sims.qlm.state.licenses.get(keys[4]!)!.majorVersion = 6;
    sims.qlm.alter(createdKey, { expiresAt: null });
    sims.qlm.state.licenses.delete(keys[5]!);
    const [added] = sims.qlm.seedLicenses(1);

    const held = await qlmHoldings(ctx, source(), { format: 'json' });
    const result = compareQlm([...ctx.store.data.licenses], held);
    const id = (k: string) => ctx.store.data.licenses.find((l) => l.key === k)!.id;
    const before = (k: string) => ctx.store.data.licenses.find((l) => l.key === k)!;
    expect(result.changed).toEqual(
      expect.arrayContaining([
        { licenseId: id(keys[0]!), key: keys[0], field: 'expiresAt', recorded: before(keys[0]!).expiresAt, server: '2030-01-31' },
        { licenseId: id(keys[1]!), key: keys[1], field: 'revoked', recorded: false, server: true },
        { licenseId: id(keys[2]!), key: keys[2], field: 'seats', recorded: 3, server: 99 },
        { licenseId: id(keys[3]!), key: keys[3], field: 'maintenanceExpiresAt', recorded: '2027-03-01', server: null },
        { licenseId: id(keys[4]!), key: keys[4], field: 'product', recorded: 'CallCentre Pro 5.0', server: 'CallCentre Pro 6.0' },
        { licenseId: id(createdKey), key: createdKey, field: 'expiresAt', recorded: '2027-09-09', server: null },
      ]),
    );
    expect(result.changed).toHaveLength(6);
    expect(result.serverOnly.map((s) => s.key)).toEqual([added]);
    expect(result.localOnly.map((l) => l.key)).toEqual([keys[5]]);
    expect(result.same).toBe(1_051 - 6 - 1);
  });

  it('compares only QLM licenses, pairs keys without regard to case, and reads key by key when listing is off', async () => {
    const lowered = ctx.store.data.licenses.map((l) => (l.key === keys[6] ? { ...l, key: l.key.toLowerCase() } : l));
    const other = { ...ctx.store.data.licenses[0]!, id: 'lic_other', vendor: 'queuemetrics' as const, key: 'QM-KEY' };
    const listed = await qlmHoldings(ctx, source());
    const r = compareQlm([...lowered, other], listed);
    expect(r.localOnly.map((l) => l.key)).toEqual([keys[5]]);

    sims.qlm.setDisabled(['GetLicensesHttp']);
    try {
      const before = sims.qlm.state.requests.filter((x) => x.method === 'ValidateLicenseHttp').length;
      const held = await qlmHoldings(ctx, source());
      // Every recorded key asked once; the one deleted on the server is not held.
      expect(sims.qlm.state.requests.filter((x) => x.method === 'ValidateLicenseHttp').length - before).toBe(1_051);
      expect(held).toHaveLength(1_050);
      expect(held.find((h) => h.key === keys[1])).toMatchObject({ revoked: true });
      const fallback = compareQlm([...ctx.store.data.licenses], held);
      expect(fallback.localOnly.map((l) => l.key)).toEqual([keys[5]]);
      expect(fallback.serverOnly).toEqual([]);
      expect(fallback.changed.filter((c) => c.field === 'expiresAt').map((c) => c.key).sort()).toEqual([keys[0], createdKey].sort());
    } finally {
      sims.qlm.setDisabled([]);
    }
  });
});
