import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { openContext } from '../../../electron/core/open.ts';
import { dashboardSummary } from '../../../electron/core/services/dashboard.ts';
import { startLowaySimulator, type LowaySimulator } from './loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from './simulator.ts';

/**
 * A QueueMetrics fleet that existed before Keyfleet: half its instances run keys converted from
 * PPKs the reseller still holds (converted on the key server first, installed on the instances
 * directly), the others keys whose facts only the License page or a spreadsheet knows. From an
 * empty home, through the real `keyfleet` command: PPKs marked converted are never spent, and
 * every running key is adopted by PPK, by hand, by CSV or in bulk, or stays counted as unknown.
 */
const ppk = (n: number, size = '10/1/365') => `XQI-LOWAY-ADOPT${String(n).padStart(7, '0')}:QM-${size}`;
const P1 = ppk(1);
const P2 = ppk(2, '20/1/365');
const P3 = ppk(3);
const P4 = ppk(4, '5/2/180');
/** Marked converted by mistake: the key server never converted it and does not know it. */
const PX = ppk(9);
const STOCK = ppk(50, '10/1/90');
const NOT_MARKED = ppk(51, '10/1/90');
const HAND_KEY = 'HAND0001-HAND0002-HAND0003-HAND0004-HAND0005-HAND0006';
const CSV_KEY = 'CSVK0001-CSVK0002-CSVK0003-CSVK0004-CSVK0005-CSVK0006';
const STRANGER_KEY = 'STRA0001-STRA0002-STRA0003-STRA0004-STRA0005-STRA0006';

describe('keys QueueMetrics instances already run are adopted with their real expiry', () => {
  let loway: LowaySimulator;
  const qm: Record<string, QmSimulator> = {};
  const earlier: Record<string, { key: string; expires: string; issued: string }> = {};
  const home = tempDir();
  const run = (args: string[], stdin?: string) => runCli([...args, '--json'], { home, ...(stdin ? { stdin } : {}) });
  const text = (args: string[]) => runCli(args, { home });
  const asked = (p: string) => loway.requests.filter((r) => r.id === p).length;
  const instances = async () => Object.fromEntries((await run(['instance', 'list'])).json.instances.map((i: { name: string; drift: string | null }) => [i.name, i.drift]));
  const licenseOf = async (instance: string) => (await run(['licenses'])).json.licenses.filter((l: { instance: string | null }) => l.instance === instance);

  beforeAll(async () => {
    loway = await startLowaySimulator({ unknownPpks: [PX] });
    // Months ago, outside Keyfleet: four PPKs converted on the key server.
    for (const p of [P1, P2, P3, P4]) {
      const res = await fetch(`${loway.url}?K_enduser=Old%20Reseller%20Tool&K_email=old@reseller.test&K_id=${encodeURIComponent(p)}`);
      const body = await res.text();
      const field = (f: string) => new RegExp(`^${f}:(.*)$`, 'm').exec(body)![1]!.trim();
      earlier[p] = { key: field('K'), expires: field('X'), issued: field('I').slice(0, 10) };
    }
    // ...and their keys installed by hand; other instances run keys from elsewhere.
    const keys: Record<string, string> = {
      'qm-1': earlier[P1]!.key,
      'qm-2': earlier[P2]!.key,
      'qm-3': earlier[P3]!.key,
      'qm-4': earlier[P4]!.key,
      'qm-5': HAND_KEY,
      'qm-6': CSV_KEY,
      'qm-7': '',
      'qm-8': STRANGER_KEY,
    };
    await Promise.all(Object.entries(keys).map(async ([name, key]) => (qm[name] = await startQmSimulator({ key, restartMs: 150 }))));
    const setup: Array<[string[], string?]> = [
      [['client', 'add', 'Acme', '--email', 'ops@acme.test']],
      [['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url, '--email', 'keys@reseller.test']],
      [['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n'],
      ...Object.keys(keys).map((name): [string[]] => [['instance', 'add', name, '--kind', 'queuemetrics', '--url', qm[name]!.baseUrl, '--credential', 'ku', ...(name === 'qm-1' ? ['--client', 'Acme'] : [])]]),
    ];
    for (const [args, stdin] of setup) {
      const r = await run(args, stdin);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });
  afterAll(async () => {
    await Promise.all([loway.close(), ...Object.values(qm).map((s) => s.close())]);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('ppk add --converted keeps PPKs apart from the stock, listed as converted before Keyfleet', async () => {
    const added = await run(['ppk', 'add', P1, P2, P3, P4, PX, '--converted']);
    expect(added.code, added.stdout).toBe(0);
    expect(added.json).toMatchObject({ added: 5, skipped: 0, rejected: [] });
    expect((await run(['ppk', 'add', STOCK, NOT_MARKED])).json).toMatchObject({ added: 2 });
    // Added again as converted: skipped, never duplicated.
    expect((await run(['ppk', 'add', P1, '--converted'])).json).toMatchObject({ added: 0, skipped: 1 });

    const list = await run(['ppk', 'list']);
    const byPpk = Object.fromEntries(list.json.ppks.map((p: { ppk: string; state: string; convertedElsewhere: boolean }) => [p.ppk, [p.state, p.convertedElsewhere]]));
    expect(byPpk).toEqual({
      [P1]: ['converted', true],
      [P2]: ['converted', true],
      [P3]: ['converted', true],
      [P4]: ['converted', true],
      [PX]: ['converted', true],
      [STOCK]: ['in-stock', false],
      [NOT_MARKED]: ['in-stock', false],
    });
    expect((await text(['ppk', 'list'])).stdout).toMatch(new RegExp(`${P1.replace(/[/.]/g, '\\$&')}.*converted before Keyfleet`));
    const groups = (await run(['ppk', 'list', '--stock'])).json.groups;
    const group = (key: string) => groups.find((g: { key: string }) => g.key === key);
    expect(group('QM-10/1/365')).toMatchObject({ inStock: 0, converted: 0, convertedElsewhere: 3, low: true });
    expect(group('QM-10/1/90')).toMatchObject({ inStock: 2, convertedElsewhere: 0 });
    const ctx = openContext({ dataDir: home });
    expect(dashboardSummary(ctx).ppksInStock).toBe(2);
  });

  it('a PPK marked converted is never spent: not chosen from stock, not activated or converted when named', async () => {
    const before = loway.requests.length;
    for (const args of [
      ['ppk', 'activate', P1, '--instance', 'qm-7', '--enduser', 'Acme', '--email', 'ops@acme.test'],
      ['ppk', 'convert', P2, '--enduser', 'Acme', '--email', 'ops@acme.test'],
    ]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(2);
      expect(r.json.error.message).toContain('converted before Keyfleet');
      expect(r.json.error.message).toContain(`keyfleet instance adopt INSTANCE --ppk ${args[2]}`);
    }
    const many = await text(['ppk', 'activate-many', '--instance', `qm-7=${P3}`]);
    expect(many.code).toBe(1);
    expect(many.stdout).toContain(`qm-7: PPK ${P3} was converted before Keyfleet`);
    expect(many.stdout).toContain(`keyfleet instance adopt INSTANCE --ppk ${P3}`);
    expect(loway.requests.length).toBe(before);
    // Without a PPK named, the one spent comes from the real stock.
    const activated = await run(['ppk', 'activate', '--instance', 'qm-7', '--enduser', 'Acme', '--email', 'ops@acme.test']);
    expect(activated.code, activated.stdout).toBe(0);
    expect([STOCK, NOT_MARKED]).toContain(activated.json.ppk);
    expect(loway.requests.slice(before).map((r) => r.id)).toEqual([activated.json.ppk]);
  });

  it('refresh shows every running key Keyfleet did not install as unknown-key, counted on the dashboard', async () => {
    const r = await run(['refresh']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.drift.map((d: { instance: string; state: string }) => `${d.instance}:${d.state}`).sort()).toEqual(
      ['qm-1', 'qm-2', 'qm-3', 'qm-4', 'qm-5', 'qm-6', 'qm-8'].map((n) => `${n}:unknown-key`),
    );
    expect(r.json.drift[0].next).toContain(`keyfleet instance adopt ${r.json.drift[0].instance} --ppk PPK`);
    const summary = dashboardSummary(openContext({ dataDir: home }));
    expect(summary).toMatchObject({ instances: 8, unknownKeys: 7, drifted: 7 });
  });

  it('adopts a key by the PPK it came from: the key server is asked again, the license has its expiry, limits and client', async () => {
    const r = await run(['instance', 'adopt', 'qm-1', '--ppk', P1]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.license).toMatchObject({ key: earlier[P1]!.key, expiresAt: earlier[P1]!.expires, origin: 'adopted' });
    expect(asked(P1)).toBe(2); // once months ago, once now
    const [license] = await licenseOf('qm-1');
    expect(license).toMatchObject({ key: earlier[P1]!.key, client: 'Acme', origin: 'adopted', validFrom: earlier[P1]!.issued, limits: { agents: 10, servers: 1 } });
    expect((await instances())['qm-1']).toBeNull();
    // The answer is a key: it went to the receipts before the store.
    expect(fs.readFileSync(path.join(home, 'keys.jsonl'), 'utf8')).toContain(earlier[P1]!.key);
    const ppks = (await run(['ppk', 'list'])).json.ppks;
    expect(ppks.find((p: { ppk: string }) => p.ppk === P1)).toMatchObject({ instance: 'qm-1', expiresAt: earlier[P1]!.expires });
    // Adopted once is adopted.
    const again = await run(['instance', 'adopt', 'qm-1', '--ppk', P1]);
    expect(again.code).toBe(2);
  });

  it('refuses a PPK whose key is not the running one, saying both and attaching nothing', async () => {
    const before = (await run(['licenses'])).json.licenses.length;
    const r = await run(['instance', 'adopt', 'qm-2', '--ppk', P3]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.error.code).toBe('KEY_MISMATCH');
    const mask = (k: string) => `${k.slice(0, 8)}…${k.slice(-4)}`;
    expect(r.json.error.message).toContain(`gives key ${mask(earlier[P3]!.key)}`);
    expect(r.json.error.message).toContain(`qm-2 runs ${mask(earlier[P2]!.key)}`);
    expect(r.json.error.message).toContain('nothing was attached');
    expect((await run(['licenses'])).json.licenses.length).toBe(before);
    expect((await instances())['qm-2']).toBe('unknown-key');
  });

  it('refuses a PPK not marked converted before asking anything, naming the command that marks it', async () => {
    const r = await run(['instance', 'adopt', 'qm-2', '--ppk', NOT_MARKED]);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain(`keyfleet ppk add ${NOT_MARKED} --converted`);
    expect(r.json.error.message).toContain('spends it');
    expect(asked(NOT_MARKED)).toBe(0);
  });

  it('adopts a key from the facts on the License page (origin manual), and validates them', async () => {
    const bad = await run(['instance', 'adopt', 'qm-5', '--expires', '2027-02-30', '--agents', '10', '--servers', '1']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.message).toContain('not a calendar date');
    const partial = await run(['instance', 'adopt', 'qm-5', '--expires', '2027-03-31']);
    expect(partial.code).toBe(2);
    expect(partial.json.error.message).toContain('--agents, --servers');
    const r = await run(['instance', 'adopt', 'qm-5', '--expires', '2027-03-31', '--agents', '25', '--servers', '2']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.license).toEqual({ id: expect.any(String), key: HAND_KEY, expiresAt: '2027-03-31', origin: 'manual', instance: 'qm-5' });
    expect((await licenseOf('qm-5'))[0]).toMatchObject({ limits: { agents: 25, servers: 2 }, origin: 'manual' });
    expect((await instances())['qm-5']).toBeNull();
  });

  it('adopts from a CSV all or nothing, errors by line; a row whose key is not the running one is refused', async () => {
    const file = path.join(home, 'keys.csv');
    // A European spreadsheet: semicolons, Windows-1252, CRLF.
    fs.writeFileSync(
      file,
      Buffer.from(['Instance;Key;Expiry;Agents;Servers', `qm-6;${CSV_KEY};2027-06-30;15;1`, `qm-8;${CSV_KEY};2027-06-30;15;1`, 'qm-9;X;30/06/2027;0;1', ''].join('\r\n'), 'latin1'),
    );
    const bad = await run(['instance', 'adopt', '--file', file]);
    expect(bad.code, bad.stdout).toBe(2);
    expect(bad.json.adopted).toBe(0);
    expect(bad.json.errors).toEqual([
      { line: 3, message: expect.stringContaining('is not the key instance qm-8 runs') },
      { line: 4, message: expect.stringContaining('no instance named "qm-9"') },
    ]);
    expect(await licenseOf('qm-6')).toEqual([]);
    fs.writeFileSync(file, ['Instance;Key;Expiry;Agents;Servers', `qm-6;${CSV_KEY};2027-06-30;15;1`, ''].join('\r\n'));
    const good = await run(['instance', 'adopt', '--file', file]);
    expect(good.code, good.stdout).toBe(0);
    expect(good.json).toMatchObject({ adopted: 1, errors: [], detected: { delimiter: ';' } });
    expect((await licenseOf('qm-6'))[0]).toMatchObject({ key: CSV_KEY, expiresAt: '2027-06-30', origin: 'adopted', product: 'QueueMetrics 15 agents / 1 server', limits: { agents: 15, servers: 1 } });
  });

  it('bulk: lists the PPKs it will ask for and wants --yes; then adopts every match and reports the rest', async () => {
    const before = loway.requests.length;
    const refused = await run(['instance', 'adopt', '--all-converted']);
    expect(refused.code).toBe(2);
    expect(refused.json.error.message).toContain('add --yes');
    // P3's key is known already (asked during the refused adoption): it is not asked again.
    for (const p of [P2, P4, PX]) expect(refused.json.error.message).toContain(p);
    expect(refused.json.error.message).not.toContain(P3);
    expect(loway.requests.length).toBe(before);

    const r = await run(['instance', 'adopt', '--all-converted', '--yes']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.adopted).toBe(3);
    expect(r.json.adoptions.map((a: { instance: string; ppk: string }) => [a.instance, a.ppk]).sort()).toEqual([
      ['qm-2', P2],
      ['qm-3', P3],
      ['qm-4', P4],
    ]);
    expect(r.json.unmatchedPpks).toEqual([expect.objectContaining({ ppk: PX, key: null, reason: expect.stringContaining('Key not found') })]);
    expect(r.json.unknownInstances).toEqual([{ instance: 'qm-8', key: STRANGER_KEY }]);
    expect(loway.requests.slice(before).map((q) => q.id).sort()).toEqual([P2, P4, PX].sort());
    expect((await licenseOf('qm-4'))[0]).toMatchObject({ key: earlier[P4]!.key, expiresAt: earlier[P4]!.expires, limits: { agents: 5, servers: 2 }, origin: 'adopted' });

    // The fleet now: every instance but one has a license with its expiry; the one left is counted.
    const drift = await instances();
    expect(Object.entries(drift).filter(([, d]) => d !== null)).toEqual([['qm-8', 'unknown-key']]);
    const summary = dashboardSummary(openContext({ dataDir: home }));
    expect(summary).toMatchObject({ unknownKeys: 1, drifted: 1 });
    const refreshed = await run(['refresh']);
    expect(refreshed.json.drift.map((d: { instance: string }) => d.instance)).toEqual(['qm-8']);
  });

  it('licenses, exports and the human list show where each license came from', async () => {
    const origins = (await run(['licenses'])).json.licenses.map((l: { instance: string; origin: string }) => `${l.instance}:${l.origin}`).sort();
    expect(origins).toEqual(['qm-1:adopted', 'qm-2:adopted', 'qm-3:adopted', 'qm-4:adopted', 'qm-5:manual', 'qm-6:adopted', 'qm-7:ppk']);
    const human = await text(['licenses']);
    expect(human.stdout).toMatch(/ORIGIN/);
    expect(human.stdout).toMatch(/qm-5.*Entered by hand/);
    const out = path.join(home, 'out.csv');
    const exported = await run(['export', 'licenses', '--format', 'csv', '--out', out]);
    expect(exported.code, exported.stdout).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toContain('origin');
    expect(csv).toMatch(/qm-5,.*,manual,25,2/);
  });

  it('an instance with another key recorded for it has the running key accepted first, then adopted', async () => {
    const CHANGED = 'CHNG0001-CHNG0002-CHNG0003-CHNG0004-CHNG0005-CHNG0006';
    await qm['qm-7']!.setKey(CHANGED);
    expect((await run(['instance', 'check', 'qm-7'])).json.instance.drift).toBe('differs');
    const refused = await run(['instance', 'adopt', 'qm-7', '--expires', '2027-09-30', '--agents', '10', '--servers', '1']);
    expect(refused.code).toBe(2);
    expect(refused.json.error.message).toContain('record the running key as its key first');
    expect(refused.json.error.message).toContain('keyfleet instance accept-key qm-7');
    expect((await licenseOf('qm-7')).map((l: { origin: string }) => l.origin)).toEqual(['ppk']);
    expect((await run(['instance', 'accept-key', 'qm-7'])).code).toBe(0);
    const adopted = await run(['instance', 'adopt', 'qm-7', '--expires', '2027-09-30', '--agents', '10', '--servers', '1']);
    expect(adopted.code, adopted.stdout).toBe(0);
    expect(adopted.json.license).toMatchObject({ key: CHANGED, origin: 'manual' });
    expect((await instances())['qm-7']).toBeNull();
    expect((await run(['refresh'])).json.drift.map((d: { instance: string }) => d.instance)).toEqual(['qm-8']);
  });
});
