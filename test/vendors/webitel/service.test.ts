import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webitelCapacity, webitelImport, webitelLogout, webitelUsers } from '../../../electron/core/vendors/webitel/service.ts';
import { addInstance, updateInstance } from '../../../electron/core/services/instances.ts';
import { checkInstance } from '../../../electron/core/services/instance-check.ts';
import { listHistory } from '../../../electron/core/services/history.ts';
import type { Context } from '../../../electron/core/context.ts';
import { serviceContext } from '../../helpers/context.ts';
import { SIM_GOOD_CERTIFICATE, SIM_REFUSED_CERTIFICATE, startWebitelSimulator, type WebitelSim } from './simulator.ts';

/** The Webitel service in-process: a real store, the token in the real keychain, the simulator on loopback. */
const TOKEN = `wt-${Math.random().toString(36).slice(2)}-Tok9x`;
const CC = 'a1f0c3d2e4b5a6978899aabbccddeef1';

describe('Webitel service', () => {
  let sim: WebitelSim;
  let ctx: Context;
  const posts = () => sim.state.requests.filter((r) => r.method === 'POST');
  beforeAll(async () => {
    sim = await startWebitelSimulator({ token: TOKEN, pageSize: 4 });
    ctx = serviceContext();
    await addInstance(ctx, { name: 'wt', kind: 'webitel', url: sim.url, secret: TOKEN });
  });
  afterAll(() => sim.close());

  it('imports a certificate, re-reads the registry and marks only the new grants as imported', async () => {
    await checkInstance(ctx, 'wt');
    const known = ctx.store.data.licenses.length;
    expect(known).toBe(10);
    const licenses = await webitelImport(ctx, 'wt', `${SIM_GOOD_CERTIFICATE}\n`);
    expect(sim.state.requests.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body))).toEqual([{ certificate: SIM_GOOD_CERTIFICATE }]);
    expect(licenses.filter((l) => l.origin === 'imported').map((l) => l.key).sort()).toEqual(['b2000000000000000000000000000001', 'b2000000000000000000000000000002']);
    expect(licenses.filter((l) => l.origin === 'instance')).toHaveLength(known);
    expect(listHistory(ctx, { action: 'webitel.import' }).events[0]).toMatchObject({ outcome: 'ok', summary: expect.stringMatching(/^2 new license\(s\)/) });
  });

  it('a certificate the server refuses changes no license and is journaled as failed; a malformed one is refused before any request', async () => {
    const before = structuredClone(ctx.store.data.licenses);
    await expect(webitelImport(ctx, 'wt', SIM_REFUSED_CERTIFICATE)).rejects.toMatchObject({ code: 'VENDOR_REFUSED', message: expect.stringContaining('instance wt') });
    expect(ctx.store.data.licenses).toEqual(before);
    const sent = sim.state.requests.length;
    await expect(webitelImport(ctx, 'wt', '  ')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/license key is empty/) });
    expect(sim.state.requests.length).toBe(sent);
    expect(listHistory(ctx, { action: 'webitel.import' }).events.map((e) => e.outcome)).toEqual(['failed', 'ok']);
  });

  it('without the operator domain, a holder with a session may be forced offline; with it, only holders of that domain', async () => {
    const open = await webitelUsers(ctx, 'wt', CC);
    expect(Object.fromEntries(open.map((u) => [u.name, u.canLogout]))).toEqual({ alice: true, bob: false, carol: true, 'alice.globex': true, dave: true });
    await updateInstance(ctx, 'wt', { domainId: '1' });
    const scoped = await webitelUsers(ctx, 'wt', CC);
    expect(Object.fromEntries(scoped.map((u) => [u.name, u.canLogout]))).toEqual({ alice: true, bob: false, carol: true, 'alice.globex': false, dave: false });
  });

  it('logout checks the rules first when the license is known, then forces the user offline and journals it', async () => {
    const sent = posts().length;
    await expect(webitelLogout(ctx, 'wt', CC, '202')).rejects.toMatchObject({ code: 'DENIED', message: expect.stringMatching(/dave.*domain 2/) });
    await expect(webitelLogout(ctx, 'wt', CC, '999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(posts().length).toBe(sent);
    await webitelLogout(ctx, 'wt', CC, '101');
    expect(sim.state.users.find((u) => u.id === 101)?.sessions).toBe(0);
    expect(listHistory(ctx, { action: 'webitel.logout' }).events[0]).toMatchObject({ outcome: 'ok', summary: 'alice (acme.example) forced offline' });
  });

  it('capacity comes from the stored registry, without a request', () => {
    const sent = sim.state.requests.length;
    const rows = webitelCapacity(ctx, 'wt');
    expect(sim.state.requests.length).toBe(sent);
    expect(rows.find((r) => r.product === 'CHAT')).toMatchObject({ capacity: 5 });
    expect(rows.find((r) => r.product === 'CALL_CENTER')).toMatchObject({ capacity: 25 });
  });
});
