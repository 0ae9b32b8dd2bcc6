import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { openContext } from '../../electron/core/open.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQlmSimulator, type QlmSimulator } from '../vendors/qlm/simulator.ts';

const noEmit = { emit: () => undefined };

describe('key sources and credentials through the handlers', () => {
  let loway: LowaySimulator;
  let qlm: QlmSimulator;
  beforeAll(async () => {
    loway = await startLowaySimulator();
    qlm = await startQlmSimulator({ flavor: 'asmx', vendor: 'v', user: 'u', password: 'p' });
  });
  afterAll(async () => {
    await loway.close();
    await qlm.close();
  });

  function setup() {
    const vault = new MemoryVault();
    const ctx = openContext({ dataDir: tempDir(), vault });
    const handlers = createHandlers(ctx, { version: 't' });
    const call = (m: string, input: unknown) => dispatch(handlers, m, input, noEmit) as Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    return { ctx, vault, call };
  }

  it('tests a Loway source without converting anything, and a QLM source with PingHttp', async () => {
    const { call } = setup();
    await call('addSource', { name: 'loway', kind: 'loway-keyserver', url: loway.url });
    await call('addSource', { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: 'v', user: 'u', secret: 'p' });
    const before = loway.conversions.size;
    const l = await call('testSource', { ref: 'loway' });
    expect(l).toMatchObject({ ok: true, value: { ok: true, summary: expect.stringContaining('answered'), skewMs: expect.any(Number) } });
    expect(loway.conversions.size).toBe(before);
    const q = await call('testSource', { ref: 'qlm' });
    expect(q).toMatchObject({ ok: true, value: { ok: true, skewMs: expect.any(Number) } });
  });

  it('a Loway test against something that is not a key server says so', async () => {
    const { call } = setup();
    await call('addSource', { name: 'wrong', kind: 'loway-keyserver', url: `${new URL(loway.url).origin}/nothing-here` });
    const r = await call('testSource', { ref: 'wrong' });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', message: expect.stringMatching(/key source wrong.*did not answer like a Loway key server/) } });
  });

  it('updates a source, keeping its secret in the vault only', async () => {
    const { call, vault } = setup();
    const added = await call('addSource', { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: 'v', user: 'u', secret: 'p' });
    const r = await call('updateSource', { ref: 'qlm', patch: { name: 'qlm-main', secret: 'new-pass', dateFormat: 'MM/dd/yyyy' } });
    expect(r).toMatchObject({ ok: true, value: { name: 'qlm-main', dateFormat: 'MM/dd/yyyy', hasSecret: true } });
    expect(JSON.stringify(r)).not.toContain('new-pass');
    expect(await vault.get({ type: 'source', id: added.value.id })).toBe('new-pass');
  });

  it('removes a shared credential only when no instance uses it, deleting its keychain item', async () => {
    const { call, vault } = setup();
    const cred = await call('addCredential', { name: 'shared', secret: 's3' });
    await call('addInstance', { name: 'qm', kind: 'queuemetrics', url: 'http://127.0.0.1:1/queuemetrics', credential: 'shared' });
    const refused = await call('removeCredential', { ref: 'shared' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('qm') } });
    await call('updateInstance', { ref: 'qm', patch: { secret: 'own-secret' } });
    expect(await call('removeCredential', { ref: 'shared' })).toMatchObject({ ok: true });
    expect(await vault.get({ type: 'credential', id: cred.value.id })).toBeNull();
  });

  it('detaches an instance from its client with client: null', async () => {
    const { call } = setup();
    await call('addClient', { name: 'Acme' });
    await call('addInstance', { name: 'qm', kind: 'queuemetrics', url: 'http://127.0.0.1:1/queuemetrics', client: 'Acme' });
    const r = await call('updateInstance', { ref: 'qm', patch: { client: null } });
    expect(r).toMatchObject({ ok: true, value: { client: null } });
    expect(r.value.clientId).toBeUndefined();
  });
});
