import { describe, expect, it } from 'vitest';
import { openContext } from '../../electron/core/open.ts';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { dashboardSummary } from '../../electron/core/services/dashboard.ts';
import { updateSettings } from '../../electron/core/services/settings.ts';
import { updateLicenseSettings } from '../../electron/core/services/license-settings.ts';
import { tempDir } from '../helpers/tmp.ts';
import { seed, seedClient, seedInstance, seedLicense, seedPpk } from '../e2e/seed.ts';

const noEmit = { emit: () => undefined };
const NOW = new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z');

function fleet() {
  const ctx = openContext({ dataDir: tempDir() });
  seed(ctx, () => ({
    clients: [seedClient('cl_a', 'Acme'), seedClient('cl_b', 'Globex')],
    instances: [
      seedInstance('in_1', 'qm-1', 'queuemetrics', { clientId: 'cl_a', drift: 'differs', lastCheck: { at: NOW, ok: true } }),
      seedInstance('in_2', 'qm-2', 'queuemetrics', { lastCheck: { at: NOW, ok: false, error: { code: 'NETWORK', message: 'refused' } } }),
      seedInstance('in_3', 'web-1', 'webitel', { drift: 'unknown' }),
    ],
    licenses: [
      seedLicense('li_5', 'queuemetrics', 5, { instanceId: 'in_1', clientId: 'cl_a' }),
      seedLicense('li_20', 'webitel', 20),
      seedLicense('li_60', 'qlm', 60),
      seedLicense('li_gone', 'qlm', -3),
      seedLicense('li_revoked', 'qlm', 3, { status: 'revoked' }),
      seedLicense('li_never', 'isymphony', null),
    ],
    ppks: [seedPpk('pk_1', 'A1', 10, 30), seedPpk('pk_2', 'A2', 10, 30), seedPpk('pk_3', 'A3', 10, 30, 'installed')],
  }));
  return ctx;
}

describe('dashboardSummary', () => {
  it('counts the fleet, expiries by horizon (revoked and expired keys not among them), drift, unreachable instances and PPKs in stock', () => {
    expect(dashboardSummary(fleet())).toEqual({
      instances: 3,
      clients: 2,
      licenses: 6,
      expiringWithin7: 1,
      expiringWithin30: 2,
      expiringWithin90: 3,
      expired: 1,
      drifted: 2,
      unknownKeys: 1,
      unreachable: 1,
      ppksInStock: 2,
    });
  });
});

describe('updateSettings', () => {
  it('changes only the settings given, stores reminder stages sorted without repeats, and keeps them across a reopen', () => {
    const dir = tempDir();
    const ctx = openContext({ dataDir: dir });
    const before = ctx.store.data.settings;
    const next = updateSettings(ctx, { reminderStages: [7, 30, 7, 0], lowStockThreshold: 5, startAtLogin: undefined });
    expect(next).toEqual({ ...before, reminderStages: [30, 7, 0], lowStockThreshold: 5 });
    expect(openContext({ dataDir: dir }).store.data.settings).toEqual(next);
  });
});

describe('updateLicenseSettings', () => {
  it('mutes, sets stages and moves a license to a client by name; null detaches it', () => {
    const ctx = fleet();
    const view = updateLicenseSettings(ctx, { id: 'li_20', muted: true, reminderStages: [1, 14, 14], client: 'globex' });
    expect(view).toMatchObject({ id: 'li_20', muted: true, reminderStages: [14, 1], client: 'Globex', clientId: 'cl_b' });
    expect(updateLicenseSettings(ctx, { id: 'li_20', client: null, reminderStages: null })).toMatchObject({ client: null, clientId: null, reminderStages: null, muted: true });
  });

  it('an unknown license is NOT_FOUND', () => {
    expect(() => updateLicenseSettings(fleet(), { id: 'li_nope', muted: true })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'no license li_nope' }));
  });

  it('a client that does not exist changes nothing, not even the reminder settings given with it', async () => {
    const ctx = fleet();
    const before = structuredClone(ctx.store.data.licenses);
    const r = await dispatch(createHandlers(ctx, { version: 't' }), 'updateLicense', { id: 'li_20', muted: true, snoozeDays: 7, client: 'Initech' }, noEmit);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no client named "Initech"' } });
    expect(ctx.store.data.licenses).toEqual(before);
  });
});
