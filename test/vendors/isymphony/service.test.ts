import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isymphonyActivate, isymphonyCoreServers, isymphonyModules } from '../../../electron/core/vendors/isymphony/service.ts';
import { addInstance } from '../../../electron/core/services/instances.ts';
import { addClient } from '../../../electron/core/services/clients.ts';
import { listHistory } from '../../../electron/core/services/history.ts';
import type { Context } from '../../../electron/core/context.ts';
import { serviceContext } from '../../helpers/context.ts';
import { startISymphonySimulator, type ISymphonySimulator } from './simulator.ts';

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
});
