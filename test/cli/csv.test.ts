import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';

const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE);

describe('CSV import and export through the CLI', () => {
  it('a file with a bad line imports nothing and names every bad line; --valid-only imports the rest', async () => {
    const home = tempDir();
    const file = path.join(home, 'fleet.csv');
    fs.writeFileSync(
      file,
      ['Instance,Type,Base URL,Customer,Login', 'qm-a,queuemetrics,http://10.0.0.1:8080/queuemetrics,Acme,keyupdater', 'bad-kind,asterisk,http://10.0.0.2,Acme,', 'no-url,webitel,,Beta,', 'wt-b,webitel,https://wt.beta.test/api,Beta,', 'qm-a,queuemetrics,http://10.0.0.3,Acme,'].join('\n'),
    );
    const strict = await runCli(['instance', 'import', file, '--json'], { home });
    expect(strict.code).toBe(2);
    expect(strict.json.imported).toBe(0);
    expect(strict.json.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 6]);
    expect(strict.json.errors[0].message).toMatch(/kind "asterisk"/);
    expect(strict.json.errors[2].message).toMatch(/already exists|qm-a/);
    expect((await runCli(['instance', 'list', '--json'], { home })).json.instances).toEqual([]);

    const lenient = await runCli(['instance', 'import', file, '--valid-only', '--json'], { home });
    expect(lenient.code).toBe(0);
    expect(lenient.json).toMatchObject({ imported: 2, clientsCreated: 2 });
    const list = (await runCli(['instance', 'list', '--json'], { home })).json.instances;
    expect(list.map((i: { name: string; client: string }) => [i.name, i.client])).toEqual([
      ['qm-a', 'Acme'],
      ['wt-b', 'Beta'],
    ]);
  });

  it('--secret-stdin writes one shared keychain item that every imported instance references', async () => {
    const home = tempDir();
    const file = path.join(home, 'fleet.csv');
    const rows = Array.from({ length: 50 }, (_, i) => `qm-${i},queuemetrics,http://10.1.0.${i}:8080/queuemetrics,Client ${i % 5},keyupdater`);
    fs.writeFileSync(file, rows.join('\n'));
    const secret = `shared-${Date.now()}`;
    const r = await runCli(['instance', 'import', file, '--secret-stdin', '--json'], { home, stdin: `${secret}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ imported: 50, clientsCreated: 5, credential: expect.stringContaining('fleet.csv') });
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.credentials).toHaveLength(1);
    const credentialId = store.credentials[0].id;
    expect(new Set(store.instances.map((i: { secret: { credentialId: string } }) => i.secret.credentialId))).toEqual(new Set([credentialId]));
    expect(await vault.get({ type: 'credential', id: credentialId })).toBe(secret);
    for (const f of readTree(home)) expect(f.text).not.toContain(secret);
  });

  it('exports clients and instances without secrets, and the export imports back into a new fleet', async () => {
    const home = tempDir();
    await runCli(['client', 'add', 'Acme, Inc.', '--email', 'ops@acme.test', '--tag', 'gold', '--json'], { home });
    await runCli(['instance', 'add', 'qm-acme', '--kind', 'queuemetrics', '--url', 'http://10.2.0.1:8080/queuemetrics', '--client', 'Acme, Inc.', '--user', 'keyupdater', '--secret-stdin', '--json'], { home, stdin: 'top-secret-pw\n' });
    await runCli(['instance', 'add', '=cmd|calc', '--kind', 'webitel', '--url', 'https://wt.test/api', '--json'], { home });
    const clients = path.join(home, 'clients.csv');
    const instances = path.join(home, 'instances.csv');
    expect((await runCli(['export', 'clients', '--out', clients, '--json'], { home })).code).toBe(0);
    expect((await runCli(['export', 'instances', '--out', instances, '--json'], { home })).code).toBe(0);
    const csv = fs.readFileSync(instances, 'utf8');
    expect(csv).not.toContain('top-secret-pw');
    expect(csv).toContain('own (keychain)');
    // A cell a spreadsheet would run as a formula is neutralised.
    expect(csv).toContain("'=cmd|calc");

    const other = tempDir();
    const c = await runCli(['client', 'import', clients, '--json'], { home: other });
    expect(c.json).toEqual({ imported: 1, errors: [] });
    const i = await runCli(['instance', 'import', instances, '--valid-only', '--json'], { home: other });
    expect(i.json.imported).toBe(2);
    const list = (await runCli(['instance', 'list', '--json'], { home: other })).json.instances;
    expect(list.find((x: { name: string }) => x.name === 'qm-acme')).toMatchObject({ kind: 'queuemetrics', client: 'Acme, Inc.', hasSecret: false });
    const listClients = (await runCli(['client', 'list', '--json'], { home: other })).json.clients;
    expect(listClients[0]).toMatchObject({ name: 'Acme, Inc.', email: 'ops@acme.test', tags: ['gold'] });
  });

  it('exports licenses and history as CSV and JSON', async () => {
    const home = tempDir();
    await runCli(['client', 'add', 'Acme', '--json'], { home });
    const lic = await runCli(['export', 'licenses', '--format', 'json', '--json'], { home });
    expect(JSON.parse(lic.json.content)).toEqual({ licenses: [] });
    const hist = await runCli(['export', 'history', '--format', 'csv', '--json'], { home });
    expect(hist.json.content.split('\n')[0]).toBe('at,actor,action,target,outcome,summary,error');
    expect(hist.json.content).toContain('client.add');
    const bad = await runCli(['export', 'history', '--format', 'xml', '--json'], { home });
    expect(bad.code).toBe(2);
  });
});
