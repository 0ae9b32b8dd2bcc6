import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isymphonyActivate, isymphonyCoreServers, isymphonyModules } from '../../../electron/core/vendors/isymphony/service.ts';
import { addInstance } from '../../../electron/core/services/instances.ts';
import { addClient } from '../../../electron/core/services/clients.ts';
import { listHistory } from '../../../electron/core/services/history.ts';
import { checkInstance } from '../../../electron/core/services/instance-check.ts';
import { refreshInstances } from '../../../electron/core/services/refresh.ts';
import type { Context } from '../../../electron/core/context.ts';
import { serviceContext } from '../../helpers/context.ts';
import { defaultCoreServers, startISymphonySimulator, type ISymphonySimulator } from './simulator.ts';

/** The iSymphony service in-process: instances in a real store, the password in the real keychain, the simulator on loopback. */
const PASSWORD = 'manag3rpa55word';

describe('iSymphony service', () => {
  let sim: ISymphonySimulator;
  let ctx: Context;
  beforeAll(async () => {
    sim = await startISymphonySimulator();
    ctx = serviceContext();
    addClient(ctx, { name: 'Acme Telecom', email: 'ops@acme.test' });
    await addInstance(ctx, { name: 'isym-acme', kind: 'isymphony', url: sim.url, client: 'Acme Telecom', user: 'manager', secret: PASSWORD, coreServer: 'default' });
    await addInstance(ctx, { name: 'isym-host', kind: 'isymphony', url: sim.url, user: 'manager', secret: PASSWORD, coreServer: 'acme' });
    await addInstance(ctx, { name: 'isym-badpw', kind: 'isymphony', url: sim.url, user: 'manager', secret: 'wrong-password', coreServer: 'default' });
  });
  afterAll(() => sim.close());

  it('lists the core servers and the modules of the configured one, with the password from the keychain', async () => {
    expect((await isymphonyCoreServers(ctx, 'isym-acme')).map((s) => s.slug)).toEqual(['default', 'acme']);
    expect((await isymphonyModules(ctx, 'isym-acme')).map((m) => m.moduleId)).toEqual(['core', 'crm']);
    expect(sim.state.requests.every((r) => r.authOk)).toBe(true);
  });

  it('a wrong password is an error naming the instance', async () => {
    await expect(isymphonyCoreServers(ctx, 'isym-badpw')).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining('instance isym-badpw') });
  });

  it('activates with the bind step, licensed-to and e-mail defaulting to the client, stores the license and journals start and outcome', async () => {
    const r = await isymphonyActivate(ctx, { instance: 'isym-acme', serial: ' BIND-AAAA-0001 ' });
    expect(r.outcome).toBe('bound');
    expect(r.license).toMatchObject({ vendor: 'isymphony', key: 'BIND-AAAA-0001', status: 'active' });
    expect(sim.state.activations.at(-1)).toMatchObject({ serial: 'BIND-AAAA-0001', via: 'bind', licensedTo: 'Acme Telecom', email: 'ops@acme.test' });
    expect(ctx.store.data.licenses.filter((l) => l.key === 'BIND-AAAA-0001')).toHaveLength(1);
    const events = listHistory(ctx, { instance: 'isym-acme', action: 'isymphony.activate' }).events;
    expect(events.map((e) => e.outcome)).toEqual(['ok', 'started']);
    expect(JSON.stringify(events)).not.toContain('BIND-AAAA-0001');
  });

  it('a denied serial stores nothing and journals the failure', async () => {
    const before = structuredClone(ctx.store.data.licenses);
    await expect(isymphonyActivate(ctx, { instance: 'isym-host', serial: 'DENY-0000-0003' })).rejects.toMatchObject({ code: 'DENIED', message: expect.stringContaining('instance isym-host') });
    expect(ctx.store.data.licenses).toEqual(before);
    expect(listHistory(ctx, { instance: 'isym-host', action: 'isymphony.activate' }).events[0]).toMatchObject({ outcome: 'failed', error: { code: 'DENIED' } });
  });

  it('refuses an instance of another kind before any request', async () => {
    await addInstance(ctx, { name: 'qm', kind: 'queuemetrics', url: 'http://127.0.0.1:9/queuemetrics' });
    const sent = sim.state.requests.length;
    await expect(isymphonyActivate(ctx, { instance: 'qm', serial: 'X' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'instance qm is queuemetrics, not iSymphony' });
    expect(sim.state.requests.length).toBe(sent);
  });

  it('a check or refresh that takes changes made on the core server records each as changed outside Keyfleet, with before and after', async () => {
    const own = await startISymphonySimulator({ coreServers: defaultCoreServers() });
    try {
      const c = serviceContext();
      await addInstance(c, { name: 'isym-watch', kind: 'isymphony', url: own.url, user: 'manager', secret: PASSWORD, coreServer: 'acme' });
      await checkInstance(c, 'isym-watch');
      const outside = () => listHistory(c, { action: 'license.changed-outside' }).events;
      expect(outside()).toEqual([]); // the first reading records, it changes nothing

      const core = own.state.coreServers.find((x) => x.slug === 'acme')!;
      core.license = { ...core.license, expirationDate: Date.UTC(2032, 0, 31, 12), configuredUsers: 60 };
      await refreshInstances(c);
      const events = outside();
      expect(events.map((e) => e.summary).sort()).toEqual([
        'changed outside Keyfleet (read from the instance): expiresAt 2031-06-30 → 2032-01-31',
        'changed outside Keyfleet (read from the instance): limits.users 40 → 60',
      ]);
      expect(events.find((e) => e.data?.field === 'expiresAt')).toMatchObject({ target: 'isym-watch', outcome: 'ok', data: { before: '2031-06-30', after: '2032-01-31' } });
      expect(c.store.data.licenses.find((l) => l.key === 'SUBS-2222-3333')).toMatchObject({ expiresAt: '2032-01-31', limits: { users: 60 } });

      // The same reading again changes nothing and records nothing more.
      await checkInstance(c, 'isym-watch');
      expect(outside()).toHaveLength(2);

      // Another serial on the core server: the recorded one is superseded, and that is recorded too.
      core.license = { ...core.license, serial: 'SUBS-9999-0000' };
      await checkInstance(c, 'isym-watch');
      expect(outside().map((e) => e.summary)).toContain('changed outside Keyfleet (read from the instance): status active → superseded');
    } finally {
      await own.close();
    }
  });
});
