import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { cliSession, runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { openContext } from '../../../electron/core/open.ts';
import { startLowaySimulator } from './loway-simulator.ts';
import { startQmSimulator } from './simulator.ts';
import { serversForBlock } from '../../helpers/block-servers.ts';
import { qmFleetSteps } from '../../helpers/cli-fleet.ts';

/**
 * Drift, through the real `keyfleet` command against real QueueMetrics XML-RPC peers: a key
 * changed behind Keyfleet's back, and a key Keyfleet never recorded, show in refresh, instance
 * list and licenses (text and JSON) with the command that resolves them.
 */
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const MANUAL_KEY = 'MANU0001-MANU0002-MANU0003-MANU0004-MANU0005-MANU0006';
const PPK = 'XQI-LOWAY-DRIFT0000001:QM-20/1/90';

describe('drift is visible to scripts and people', () => {
  const sims = serversForBlock({
    loway: () => startLowaySimulator(),
    acme: () => startQmSimulator({ key: OLD_KEY, restartMs: 200 }),
    beta: () => startQmSimulator({ key: OLD_KEY.replace(/A/g, 'B'), restartMs: 200 }),
  });
  const home = tempDir();
  const { run, text, setUp } = cliSession(home);
  let licenseId = '';

  beforeAll(async () => {
    await setUp([
      ...qmFleetSteps({ loway: sims.loway.url, acme: sims.acme.baseUrl, beta: sims.beta.baseUrl }),
      [['ppk', 'add', PPK]],
    ]);
    const activated = await run(['ppk', 'activate', PPK, '--instance', 'qm-acme']);
    expect(activated.code, activated.stdout).toBe(0);
    licenseId = activated.json.license.id;
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refresh reports each drifted instance in its JSON and its text, with the command to run', async () => {
    await sims.acme.setKey(MANUAL_KEY);
    const r = await run(['refresh']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ checked: 2, ok: 2, failed: 0 });
    const byName = Object.fromEntries(r.json.drift.map((d: { instance: string; state: string }) => [d.instance, d.state]));
    expect(byName).toEqual({ 'qm-acme': 'differs', 'qm-beta': 'unknown-key' });
    const acmeDrift = r.json.drift.find((d: { instance: string }) => d.instance === 'qm-acme');
    expect(acmeDrift.next).toContain(`keyfleet ppk install ${licenseId} --instance qm-acme`);
    expect(acmeDrift.next).toContain('keyfleet instance accept-key qm-acme');

    const human = await text(['refresh']);
    expect(human.stdout).toContain('2 ok, 0 failed, 2 drifted');
    // Progress goes to stderr, the last line always; JSON runs print none.
    expect(human.stderr.trim().split('\n').at(-1)).toBe('checked 2/2 (0 failed)');
    expect(r.stderr).toBe('');
    expect(human.stdout).toMatch(/DRIFT qm-acme \(differs\): .*keyfleet ppk install/);
    expect(human.stdout).toMatch(/DRIFT qm-beta \(unknown-key\): .*keyfleet instance accept-key qm-beta/);
  });

  it('instance list has a drift column, and null/differs/unknown-key in its JSON', async () => {
    const r = await run(['instance', 'list']);
    expect(Object.fromEntries(r.json.instances.map((i: { name: string; drift: unknown }) => [i.name, i.drift]))).toEqual({ 'qm-acme': 'differs', 'qm-beta': 'unknown-key' });
    const human = await text(['instance', 'list']);
    expect(human.stdout).toMatch(/^NAME\s+KIND\s+CLIENT\s+EXPIRES\s+DAYS\s+DRIFT\s+URL$/m);
    expect(human.stdout).toMatch(/^qm-acme\s+queuemetrics\s+Acme\s+\S+\s+\d+\s+differs\s+http/m);
    expect(human.stdout).toContain('DRIFT qm-beta (unknown-key)');
  });

  it('licenses stops calling the replaced key active on the drifted instance', async () => {
    const r = await run(['licenses']);
    const recorded = r.json.licenses.find((l: { id: string }) => l.id === licenseId);
    expect(recorded).toMatchObject({ instance: 'qm-acme', status: 'not-running', drift: 'differs' });
    expect(r.json.drift.map((d: { instance: string }) => d.instance).sort()).toEqual(['qm-acme', 'qm-beta']);
    const human = await text(['licenses']);
    expect(human.stdout).toMatch(/not-running\s+queuemetrics/);
    expect(human.stdout).toContain('DRIFT qm-acme (differs)');
  });

  it('installing the recorded key again ends the drift; accepting the running key ends it the other way', async () => {
    const back = await run(['ppk', 'install', licenseId, '--instance', 'qm-acme']);
    expect(back.code, back.stdout).toBe(0);
    let list = await run(['instance', 'list']);
    expect(list.json.instances.find((i: { name: string }) => i.name === 'qm-acme').drift).toBeNull();
    expect((await run(['licenses'])).json.licenses.find((l: { id: string }) => l.id === licenseId).status).toBe('active');

    const accepted = await run(['instance', 'accept-key', 'qm-beta']);
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.json.instance.drift).toBeNull();
    const refreshed = await run(['refresh']);
    expect(refreshed.json.drift).toEqual([]);
    list = await run(['instance', 'list']);
    expect(list.json.instances.map((i: { drift: unknown }) => i.drift)).toEqual([null, null]);
    const history = await run(['history', '--instance', 'qm-beta']);
    expect(history.json.events.map((e: { action: string }) => e.action)).toContain('instance.accept-key');
  });
});

describe('one server is one instance', () => {
  const sims = serversForBlock({ qm: () => startQmSimulator({ key: OLD_KEY, restartMs: 200 }) });
  const home = tempDir();
  const { run } = cliSession(home);

  beforeAll(async () => {
    expect((await run(['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n')).code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('a bare host:port is accepted the way the QueueMetrics client reads it, written out in full, and works', async () => {
    const r = await run(['instance', 'add', 'qm-bare', '--kind', 'queuemetrics', '--url', `127.0.0.1:${sims.qm.port}`, '--credential', 'ku']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.instance.url).toBe(`http://127.0.0.1:${sims.qm.port}/queuemetrics`);
    const check = await run(['instance', 'check', 'qm-bare']);
    expect(check.code, check.stdout).toBe(0);
    expect(check.json.instance.snapshot.key).toBe(OLD_KEY);
    expect((await run(['instance', 'remove', 'qm-bare'])).code).toBe(0);
    // A bare word is a typo, not a server: refused, saying what to write.
    const word = await run(['instance', 'add', 'qm-word', '--kind', 'queuemetrics', '--url', 'notaurl', '--credential', 'ku']);
    expect(word.code).toBe(2);
    expect(word.json.error.message).toBe('url: "notaurl" is not a URL (give http://host:port/queuemetrics, or host:port)');
  });

  it('refuses a second instance on the same endpoint however its URL is written, naming the first, changing nothing', async () => {
    const first = await run(['instance', 'add', 'qm-one', '--kind', 'queuemetrics', '--url', `http://127.0.0.1:${sims.qm.port}`, '--credential', 'ku']);
    expect(first.code, first.stdout).toBe(0);
    const before = fs.readFileSync(`${home}/keyfleet.json`, 'utf8');
    for (const url of [`http://127.0.0.1:${sims.qm.port}/queuemetrics`, `http://127.0.0.1:${sims.qm.port}/queuemetrics/`, `HTTP://127.0.0.1:${sims.qm.port}/queuemetrics/xmlrpc.do`, `127.0.0.1:${sims.qm.port}`]) {
      const again = await run(['instance', 'add', 'qm-two', '--kind', 'queuemetrics', '--url', url, '--credential', 'ku']);
      expect(again.code, url).toBe(2);
      expect(again.json.error.code).toBe('CONFLICT');
      expect(again.json.error.message).toContain('instance "qm-one"');
      expect(again.json.error.message).toContain(`http://127.0.0.1:${sims.qm.port}/queuemetrics/xmlrpc.do`);
    }
    expect(fs.readFileSync(`${home}/keyfleet.json`, 'utf8')).toBe(before);
    // Another webapp on the same host is another instance.
    const other = await run(['instance', 'add', 'qm-other', '--kind', 'queuemetrics', '--url', `http://127.0.0.1:${sims.qm.port}/qm2`, '--credential', 'ku']);
    expect(other.code, other.stdout).toBe(0);
    // Moving an instance onto an endpoint in use is refused the same way.
    const moved = await run(['instance', 'update', 'qm-other', '--url', `http://127.0.0.1:${sims.qm.port}/queuemetrics`]);
    expect(moved.code).toBe(2);
    expect(moved.json.error.message).toContain('instance "qm-one"');
    expect((await run(['instance', 'remove', 'qm-other'])).code).toBe(0);
  });

  it('CSV import refuses a row on a server in use, or on the server of an earlier row, and imports nothing', async () => {
    const file = `${home}/fleet.csv`;
    fs.writeFileSync(
      file,
      [
        'name,kind,url,client,user',
        `qm-again,queuemetrics,http://127.0.0.1:${sims.qm.port}/queuemetrics/,,keyupdater`,
        'qm-new,queuemetrics,http://10.0.0.9:8080/queuemetrics,,keyupdater',
        'qm-new-too,queuemetrics,10.0.0.9,,keyupdater',
        'qm-bare,queuemetrics,10.0.0.10:18082,,keyupdater',
      ].join('\n'),
    );
    const before = fs.readFileSync(`${home}/keyfleet.json`, 'utf8');
    const r = await run(['instance', 'import', file]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.json.imported).toBe(0);
    expect(r.json.errors).toEqual([
      { line: 2, message: expect.stringContaining('same server as instance "qm-one"') },
      { line: 4, message: expect.stringContaining('same server as instance "qm-new"') },
    ]);
    expect(fs.readFileSync(`${home}/keyfleet.json`, 'utf8')).toBe(before);
    // The good lines alone: a bare host:port is read as instance add reads it.
    const some = await run(['instance', 'import', file, '--valid-only']);
    expect(some.json.imported, some.stdout).toBe(2);
    const urls = (await run(['instance', 'list'])).json.instances.map((i: { name: string; url: string }) => [i.name, i.url]);
    expect(urls).toEqual(expect.arrayContaining([['qm-bare', 'http://10.0.0.10:18082/queuemetrics']]));
    for (const name of ['qm-new', 'qm-bare']) expect((await run(['instance', 'remove', name])).code).toBe(0);
  });

  it('a store that already has the same server twice never moves the license between them on a check', async () => {
    // Written by an older Keyfleet: the same QueueMetrics under two URLs.
    const ctx = openContext({ dataDir: home });
    const one = ctx.store.data.instances.find((i) => i.name === 'qm-one')!;
    ctx.store.update((d) => ({
      ...d,
      instances: [...d.instances, { ...one, id: 'in_dupe0001', name: 'qm-dupe', url: `http://127.0.0.1:${sims.qm.port}/queuemetrics` }],
      licenses: [
        ...d.licenses,
        { id: 'lic_dupe0001', vendor: 'queuemetrics', key: OLD_KEY, instanceId: one.id, product: 'QueueMetrics', limits: {}, expiresAt: '2099-01-01', origin: 'imported', status: 'active', replaces: [], createdAt: one.createdAt, updatedAt: one.createdAt },
      ],
    }));
    for (let i = 0; i < 2; i++) {
      const r = await run(['refresh']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.drift).toEqual([expect.objectContaining({ instance: 'qm-dupe', state: 'differs', runningKeyOf: 'qm-one' })]);
      const lic = (await run(['licenses'])).json.licenses.find((l: { id: string }) => l.id === 'lic_dupe0001');
      expect(lic.instance).toBe('qm-one');
    }
    const advice = (await runCli(['refresh'], { home })).stdout;
    expect(advice).toContain('qm-dupe runs the key recorded for instance qm-one: if both are one server, remove one (keyfleet instance remove qm-dupe)');
    const accept = await run(['instance', 'accept-key', 'qm-dupe']);
    expect(accept.code).toBe(2);
    expect(accept.json.error.message).toContain('recorded for instance qm-one');
  });
});
