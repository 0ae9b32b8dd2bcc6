import { describe, expect, it } from 'vitest';
import { METHODS, READ_METHODS, contract } from '../../electron/core/api/contract.ts';
import { dispatch, type Handlers } from '../../electron/core/api/dispatch.ts';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import { openContext } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';

const noEmit = { emit: () => undefined };

describe('dispatch: the one entry point for renderer calls', () => {
  it('every contract method has a handler', () => {
    const ctx = openContext({ dataDir: tempDir() });
    const handlers = createHandlers(ctx, { version: 't' });
    expect(Object.keys(handlers).sort()).toEqual([...METHODS].sort());
    for (const m of METHODS) expect(typeof handlers[m]).toBe('function');
  });

  it('every method refuses malformed input before any handler runs', async () => {
    const reached: string[] = [];
    const spies = Object.fromEntries(METHODS.map((m) => [m, () => reached.push(m)])) as unknown as Handlers;
    for (const m of METHODS) {
      for (const bad of [42, 'text', [1, 2], true, { ref: { nested: 1 }, name: 7, id: 9, text: 1, instance: 5, key: 3, jobId: '../../x', format: 'xml' }]) {
        const r = await dispatch(spies, m, bad, noEmit);
        expect(r, `${m} accepted ${JSON.stringify(bad)}`).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining(m) } });
      }
    }
    expect(reached).toEqual([]);
  });

  it('names the offending field', async () => {
    const ctx = openContext({ dataDir: tempDir() });
    const r = await dispatch(createHandlers(ctx, { version: 't' }), 'addInstance', { name: 'x', kind: 'pbx', url: 'http://h' }, noEmit);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/addInstance: kind/) } });
  });

  it('refuses an unknown method and prototype names', async () => {
    const spies = {} as Handlers;
    for (const name of ['deleteEverything', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(spies, name, {}, noEmit)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
  });

  it('turns a handler failure into an error envelope, never a throw', async () => {
    const ctx = openContext({ dataDir: tempDir() });
    const r = await dispatch(createHandlers(ctx, { version: 't' }), 'removeClient', { ref: 'nobody' }, noEmit);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no client named "nobody"' } });
  });

  it('no result of any read method carries a stored secret', async () => {
    const dir = tempDir();
    const ctx = openContext({ dataDir: dir, vault: new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE) });
    const handlers = createHandlers(ctx, { version: 't' });
    const secrets = [`inst-${Date.now()}-Secret!`, `cred-${Date.now()}-Secret!`, `qlm-${Date.now()}-Secret!`];
    const call = async (m: string, input: unknown) => {
      const r = await dispatch(handlers, m, input, noEmit);
      expect(r.ok, `${m}: ${JSON.stringify(r)}`).toBe(true);
      return r;
    };
    const results: unknown[] = [];
    results.push(await call('addClient', { name: 'Acme' }));
    results.push(await call('addCredential', { name: 'shared', user: 'keyupdater', secret: secrets[1] }));
    results.push(await call('addInstance', { name: 'qm', kind: 'queuemetrics', url: 'http://127.0.0.1:1/queuemetrics', client: 'Acme', user: 'u', secret: secrets[0] }));
    results.push(await call('addInstance', { name: 'qm2', kind: 'queuemetrics', url: 'http://127.0.0.1:2/queuemetrics', credential: 'shared' }));
    results.push(await call('addSource', { name: 'qlm', kind: 'qlm', url: 'http://127.0.0.1:1/qlmservice.asmx', vendor: 'v', user: 'u', secret: secrets[2] }));
    // Every read of the whole store: it needs no target (testInstance takes a ref or a draft to reach a server).
    const untargeted = [{}, { format: 'json' }, { dryRun: true }];
    const reads = READ_METHODS.flatMap((m) => {
      const fields = Object.keys((contract[m].input as unknown as { shape: object }).shape);
      const input = fields.includes('ref') ? undefined : untargeted.find((i) => contract[m].input.safeParse(i).success);
      return input ? [{ m, input }] : [];
    });
    expect(reads.map((r) => r.m)).toEqual(expect.arrayContaining(['listInstances', 'listCredentials', 'listSources', 'exportInstances', 'exportLicenses', 'dueReminders']));
    for (const { m, input } of reads) results.push(await call(m, input));
    const text = JSON.stringify(results);
    for (const s of secrets) {
      expect(text).not.toContain(s);
      for (const f of readTree(dir)) expect(f.text, f.file).not.toContain(s);
    }
    expect(text).toContain('"hasSecret":true');
  });
});
