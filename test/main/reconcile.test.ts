import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openContext } from '../../electron/core/open.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { addInstance } from '../../electron/core/services/instances.ts';
import { reconcile } from '../../electron/core/services/reconcile.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import { READ_METHODS, WRITE_METHODS, type PushEvents } from '../../electron/core/api/contract.ts';
import { BackgroundChecks } from '../../electron/main/background.ts';
import type { Context } from '../../electron/core/context.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startWebitelSimulator } from '../vendors/webitel/simulator.ts';
import { serversForBlock } from '../helpers/block-servers.ts';

vi.mock('electron', async () => {
  const fake = await import('./electron-fake.ts');
  return { default: fake.electronFake, ...fake.electronFake };
});
const fake = await import('./electron-fake.ts');
const { electronNotifier } = await import('../../electron/main/notifier.ts');

/**
 * Reconciliation in the desktop app: the contract methods (read and write kinds, progress as a
 * job), and the scheduled refresh that compares afterwards and notifies once per set of
 * differences, never accepting anything. Real vendor servers on loopback.
 */
const TOKEN = 'wt-reconcile-token';
const UNKNOWN_KEY = 'UNKN0001-UNKN0002-UNKN0003-UNKN0004-UNKN0005-UNKN0006';

describe('reconciliation in the desktop app', { timeout: 60_000 }, () => {
  const sims = serversForBlock({ qm: () => startQmSimulator({ restartMs: 150 }), wt: () => startWebitelSimulator({ token: TOKEN }) });
  let ctx: Context;
  const dir = tempDir();

  beforeAll(async () => {
    ctx = openContext({ dataDir: dir, vault: new MemoryVault() });
    await addInstance(ctx, { name: 'qm-one', kind: 'queuemetrics', url: sims.qm.baseUrl, user: 'keyupdater', secret: 'ku-secret' });
    await addInstance(ctx, { name: 'wt', kind: 'webitel', url: sims.wt.url, secret: TOKEN });
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reconcile is a read method reporting progress per server and changing nothing; reconcileAccept a write method', async () => {
    expect(READ_METHODS).toContain('reconcile');
    expect(WRITE_METHODS).toContain('reconcileAccept');
    const store = fs.readFileSync(path.join(dir, 'keyfleet.json'), 'utf8');
    const progress: Array<PushEvents['jobProgress']> = [];
    const handlers = createHandlers(ctx, { version: 't' });
    const r = await dispatch(handlers, 'reconcile', { jobId: 'rec-1' }, { emit: (event, payload) => event === 'jobProgress' && progress.push(payload as PushEvents['jobProgress']) });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const report = (r as { value: Awaited<ReturnType<typeof reconcile>> }).value;
    // Nothing recorded yet: the ten Webitel licenses are on the server only; QueueMetrics runs no key.
    expect(report).toMatchObject({ same: 0, changed: [], localOnly: [], failures: [], checked: 2 });
    expect(report.serverOnly).toHaveLength(10);
    expect(progress.map((p) => [p.jobId, p.done, p.total])).toEqual([
      ['rec-1', 1, 2],
      ['rec-1', 2, 2],
    ]);
    expect(fs.readFileSync(path.join(dir, 'keyfleet.json'), 'utf8')).toBe(store);
    expect(await dispatch(handlers, 'reconcile', { vendor: 'oracle' }, { emit: () => undefined })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });

    const accepted = await dispatch(handlers, 'reconcileAccept', { vendor: 'webitel' }, { emit: () => undefined });
    expect(accepted).toMatchObject({ ok: true, value: { accepted: 10, same: 10, serverOnly: [], checked: 1 } });
  });

  it('the scheduled refresh reconciles afterwards and notifies once per set of differences, accepting nothing', async () => {
    const checks = new BackgroundChecks(ctx, electronNotifier({ openLicense: () => undefined, openStock: () => undefined, showWindow: () => undefined }), () => undefined);
    // Reminders for the Webitel licenses fire on the same refresh; only reconciliation notices count here.
    const notices = () => fake.calls.notifications.filter((n) => String(n.options.body).includes('choose Reconcile'));
    const queries = async () => {
      await sims.qm.sync();
      return sims.qm.events.filter((e) => e.type === 'call' && e.outcome === 'query').length;
    };
    const before = await queries();
    await checks.scheduledRefresh();
    expect(notices(), 'everything matches: no notice').toEqual([]);
    // The comparison uses what the refresh just read: the instance is asked once, not twice.
    expect(await queries()).toBe(before + 1);

    await sims.qm.setKey(UNKNOWN_KEY);
    await checks.scheduledRefresh();
    expect(notices().map((n) => [n.options.title, n.options.body])).toEqual([
      ['1 license difference(s) with the vendor servers', '1 on a server only. Open Keyfleet and choose Reconcile to review them.'],
    ]);
    expect(ctx.store.data.licenses.some((l) => l.key === UNKNOWN_KEY)).toBe(false);

    // The same differences are not announced again; new ones are.
    await checks.scheduledRefresh();
    expect(notices()).toHaveLength(1);
    await sims.wt.close();
    await checks.scheduledRefresh();
    expect(notices().slice(1).map((n) => n.options.body)).toEqual([
      '1 on a server only, 1 server(s) could not be read. Open Keyfleet and choose Reconcile to review them.',
    ]);
  });
});
