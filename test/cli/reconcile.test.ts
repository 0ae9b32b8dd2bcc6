import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cliSession } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startLowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { defaultCoreServers, startISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startWebitelSimulator, type SimLicense } from '../vendors/webitel/simulator.ts';
import { serversForBlock } from '../helpers/block-servers.ts';
import { qmFleetSteps } from '../helpers/cli-fleet.ts';

/**
 * Reconciliation through the real `keyfleet` command against real vendor servers on loopback:
 * keys and licenses changed behind Keyfleet's back on each vendor, the four lists exactly, the
 * record left alone until --accept, then updated with one "changed outside Keyfleet" event per
 * change, and the exit codes scripts rely on (0 all the same, 1 anything differs or a server
 * could not be read, 2 bad usage).
 */
const DAY = 86_400_000;
const NOW = Date.now();
const PASSWORD = 'manag3rpa55word';
const TOKEN = `wt-${Math.random().toString(36).slice(2)}-Rec0`;
const PPK_ACME = 'XQI-LOWAY-RECONCILE0001:QM-20/1/90';
const PPK_SPARE = 'XQI-LOWAY-RECONCILE0002:QM-30/1/365';
const PPK_GAMMA = 'XQI-LOWAY-RECONCILE0003:QM-10/1/90';
const UNKNOWN_KEY = 'UNKN0001-UNKN0002-UNKN0003-UNKN0004-UNKN0005-UNKN0006';
const WT_A = 'b1000000000000000000000000000001';
const WT_B = 'b1000000000000000000000000000002';
const WT_C = 'b1000000000000000000000000000003';
const WT_NEW = 'b1000000000000000000000000000004';

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Row = { id: string; key: string; vendor: string; instance: string | null; expiresAt: string | null; status: string; origin: string; limits: Record<string, unknown> };
type Finding = Record<string, unknown>;
const byKeyField = (a: Finding, b: Finding) => `${String(a.key)}${String(a.field ?? '')}`.localeCompare(`${String(b.key)}${String(b.field ?? '')}`);
const sorted = (list: Finding[]) => [...list].sort(byKeyField);

describe('keyfleet reconcile', { timeout: 120_000 }, () => {
  const sims = serversForBlock({
    loway: () => startLowaySimulator(),
    acme: () => startQmSimulator({ restartMs: 150 }),
    beta: () => startQmSimulator({ restartMs: 150 }),
    gamma: () => startQmSimulator({ restartMs: 150 }),
    isym: () => startISymphonySimulator({ password: PASSWORD }),
    wt: () => startWebitelSimulator({ token: TOKEN, licenses: wtLicenses(), now: NOW }),
  });
  const home = tempDir();
  const { run, text, setUp } = cliSession(home);
  const licenses = async (): Promise<Row[]> => (await run(['licenses'])).json.licenses as Row[];
  const keyOf = (ppk: string) => sims.loway.conversions.get(ppk)!.key;
  const storeFile = path.join(home, 'keyfleet.json');
  const wtLicenses = (): SimLicense[] => [
    { id: WT_A, product: 'CALL_CENTER', name: 'Contact centre', scope: ['cc_agent'], competitive: true, limit: 10, notBefore: NOW - 100 * DAY, notAfter: NOW + 200 * DAY },
    { id: WT_B, product: 'CHAT', name: 'Chat gateways', scope: ['chat_bots'], limit: 5, notBefore: NOW - 30 * DAY, notAfter: NOW + 20 * DAY },
    { id: WT_C, product: 'EMAIL', name: 'Email', scope: ['email_profile'], limit: 3, notBefore: NOW - 30 * DAY, notAfter: NOW + 300 * DAY },
  ];

  beforeAll(async () => {
    await setUp([
      ...qmFleetSteps({ loway: sims.loway.url, acme: sims.acme.baseUrl, beta: sims.beta.baseUrl }),
      [['instance', 'add', 'qm-gamma', '--kind', 'queuemetrics', '--url', sims.gamma.baseUrl, '--client', 'Acme', '--credential', 'ku']],
      [['instance', 'add', 'isym-host', '--kind', 'isymphony', '--url', sims.isym.url, '--client', 'Acme', '--user', 'manager', '--secret-stdin'], `${PASSWORD}\n`],
      [['instance', 'add', 'wt', '--kind', 'webitel', '--url', sims.wt.url, '--client', 'Acme', '--secret-stdin'], `${TOKEN}\n`],
      [['ppk', 'add', PPK_ACME, PPK_SPARE, PPK_GAMMA]],
      [['ppk', 'activate', PPK_ACME, '--instance', 'qm-acme']],
      [['ppk', 'activate', PPK_GAMMA, '--instance', 'qm-gamma']],
      [['ppk', 'convert', PPK_SPARE, '--enduser', 'Acme', '--email', 'ops@acme.test']],
      [['instance', 'check', 'isym-host']],
      [['instance', 'check', 'wt']],
    ]);
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('exits 0 and lists everything as the same when every server holds what Keyfleet records', async () => {
    const r = await run(['reconcile']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // qm-acme and qm-gamma run their keys, two iSymphony core servers, three Webitel licenses.
    expect(r.json).toMatchObject({ same: 7, changed: [], serverOnly: [], localOnly: [], failures: [], checked: 5 });
    const human = await text(['reconcile']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('7 same, 0 changed elsewhere, 0 on the server only, 0 in Keyfleet only');
    expect(human.stdout).toContain('everything Keyfleet records matches the servers');
    // Progress goes to stderr, and the last server read is always shown.
    expect(human.stderr).toContain('read 5/5 (0 failed)');
  });

  it('lists what changed behind Keyfleet\'s back on each vendor, exactly, exits 1, and changes nothing', async () => {
    const before = await licenses();
    const acmeLicense = before.find((l) => l.key === keyOf(PPK_ACME))!;
    const gammaLicense = before.find((l) => l.key === keyOf(PPK_GAMMA))!;
    const wtB = before.find((l) => l.key === WT_B)!;
    const isymAcme = before.find((l) => l.key === 'SUBS-2222-3333')!;
    const wtA = before.find((l) => l.key === WT_A)!;
    const wtC = before.find((l) => l.key === WT_C)!;

    // QueueMetrics: acme now runs the spare key converted earlier, beta a key no license has, gamma none.
    await sims.acme.setKey(keyOf(PPK_SPARE));
    await sims.beta.setKey(UNKNOWN_KEY);
    await sims.gamma.setKey('');
    // iSymphony: the acme core server's subscription extended with more users; a new core server appeared.
    const core = sims.isym.state.coreServers.find((c) => c.slug === 'acme')!;
    core.license = { ...core.license, expirationDate: Date.UTC(2032, 0, 31, 12), configuredUsers: 60 };
    sims.isym.state.coreServers.push({ ...defaultCoreServers()[1]!, id: 'c0ffee00-0000-4aaa-8bbb-000000000001', slug: 'beta', name: 'Beta', license: { ...core.license, id: 'c0ffee00-1111', serial: 'SUBS-9999-0001', configuredUsers: 5, clientConnections: 5 } });
    // Webitel: one license got more seats, another a later end; one was removed and a new one added.
    const registry = sims.wt.state.licenses;
    registry.find((l) => l.id === WT_A)!.limit = 20;
    registry.find((l) => l.id === WT_C)!.notAfter = NOW + 400 * DAY;
    registry.splice(registry.findIndex((l) => l.id === WT_B), 1);
    registry.push({ id: WT_NEW, product: 'MOBILE', name: 'Mobile', scope: [], competitive: true, limit: 8, notBefore: NOW - DAY, notAfter: NOW + 90 * DAY });

    const stored = fs.readFileSync(storeFile, 'utf8');
    const r = await run(['reconcile']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.same).toBe(1); // the default iSymphony core server
    expect(sorted(r.json.changed)).toEqual(
      sorted([
        { license: acmeLicense.id, key: keyOf(PPK_ACME), vendor: 'queuemetrics', instance: 'qm-acme', field: 'key', recorded: keyOf(PPK_ACME), server: keyOf(PPK_SPARE) },
        { license: isymAcme.id, key: 'SUBS-2222-3333', vendor: 'isymphony', instance: 'isym-host', field: 'expiresAt', recorded: '2031-06-30', server: '2032-01-31' },
        { license: isymAcme.id, key: 'SUBS-2222-3333', vendor: 'isymphony', instance: 'isym-host', field: 'limits.users', recorded: 40, server: 60 },
        { license: wtA.id, key: WT_A, vendor: 'webitel', instance: 'wt', field: 'limits.seats', recorded: 10, server: 20 },
        { license: wtC.id, key: WT_C, vendor: 'webitel', instance: 'wt', field: 'expiresAt', recorded: isoDate(NOW + 300 * DAY), server: isoDate(NOW + 400 * DAY) },
      ]),
    );
    expect(sorted(r.json.serverOnly)).toEqual(
      sorted([
        { vendor: 'queuemetrics', key: UNKNOWN_KEY, instance: 'qm-beta', product: 'QueueMetrics', needsAdoption: true },
        { vendor: 'isymphony', key: 'SUBS-9999-0001', instance: 'isym-host', product: 'iSymphony SUBSCRIPTION', expiresAt: '2032-01-31' },
        { vendor: 'webitel', key: WT_NEW, instance: 'wt', product: 'MOBILE', expiresAt: isoDate(NOW + 90 * DAY) },
      ]),
    );
    expect(sorted(r.json.localOnly)).toEqual(
      sorted([
        { vendor: 'queuemetrics', key: keyOf(PPK_GAMMA), license: gammaLicense.id, instance: 'qm-gamma' },
        { vendor: 'webitel', key: WT_B, license: wtB.id, instance: 'wt' },
      ]),
    );
    expect(r.json.failures).toEqual([]);
    // Read-only: the record is as it was.
    expect(fs.readFileSync(storeFile, 'utf8')).toBe(stored);

    const human = await text(['reconcile']);
    expect(human.code).toBe(1);
    for (const heading of ['CHANGED ELSEWHERE', 'ON THE SERVER ONLY', 'IN KEYFLEET ONLY']) expect(human.stdout).toContain(heading);
    expect(human.stdout).toContain('keyfleet reconcile --accept');
    expect(human.stdout).toContain('keyfleet instance adopt qm-beta --ppk PPK');
    expect(human.stdout).toContain(`keyfleet ppk install ${gammaLicense.id} --instance qm-gamma`);
    // A terminal never shows a whole key.
    for (const key of [keyOf(PPK_ACME), keyOf(PPK_SPARE), UNKNOWN_KEY]) expect(human.stdout).not.toContain(key);
    expect(human.stdout).toContain(`${UNKNOWN_KEY.slice(0, 8)}…${UNKNOWN_KEY.slice(-4)}`);
  });

  it('--accept takes the server\'s values, adds the licenses only servers hold, writes an event per change, and exits by what remains', async () => {
    const before = await licenses();
    const acmeLicense = before.find((l) => l.key === keyOf(PPK_ACME))!;
    const spare = before.find((l) => l.key === keyOf(PPK_SPARE))!;
    expect(spare.instance).toBeNull();

    const r = await run(['reconcile', '--accept']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.accepted).toBe(7);
    // What remains: the unknown key (needs its facts: adopt) and what only Keyfleet records.
    expect(r.json.changed).toEqual([]);
    expect(r.json.serverOnly).toEqual([{ vendor: 'queuemetrics', key: UNKNOWN_KEY, instance: 'qm-beta', product: 'QueueMetrics', needsAdoption: true }]);
    expect(r.json.localOnly.map((l: Finding) => l.key).sort()).toEqual([keyOf(PPK_GAMMA), WT_B].sort());
    expect(r.json.same).toBe(1 + 3 + 3); // qm-acme; three iSymphony core servers; three Webitel licenses
    expect(r.json.next.join('\n')).toContain('keyfleet instance adopt qm-beta');

    const after = await licenses();
    const byKey = new Map(after.map((l) => [l.key, l]));
    // The license qm-acme no longer runs is kept, superseded (listings leave it out).
    expect(byKey.has(keyOf(PPK_ACME))).toBe(false);
    const storedAcme = (JSON.parse(fs.readFileSync(storeFile, 'utf8')) as { licenses: Row[] }).licenses.find((l) => l.id === acmeLicense.id);
    expect(storedAcme).toMatchObject({ status: 'superseded' });
    expect(byKey.get(keyOf(PPK_SPARE))).toMatchObject({ id: spare.id, instance: 'qm-acme' });
    expect(byKey.get('SUBS-2222-3333')).toMatchObject({ expiresAt: '2032-01-31', limits: expect.objectContaining({ users: 60 }) });
    expect(byKey.get(WT_A)!.limits).toMatchObject({ seats: 20 });
    expect(byKey.get(WT_C)!.expiresAt).toBe(isoDate(NOW + 400 * DAY));
    expect(byKey.get('SUBS-9999-0001')).toMatchObject({ instance: 'isym-host', origin: 'instance', expiresAt: '2032-01-31' });
    expect(byKey.get(WT_NEW)).toMatchObject({ instance: 'wt', origin: 'instance' });
    expect(byKey.has(UNKNOWN_KEY)).toBe(false);

    const events = ((await run(['history'])).json.events as Array<{ action: string; target: string; summary?: string }>).filter((e) => e.action === 'license.changed-outside');
    expect(events).toHaveLength(7);
    const summaries = events.map((e) => `${e.target}: ${e.summary}`);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'isym-host: changed outside Keyfleet: expiresAt 2031-06-30 → 2032-01-31',
        'isym-host: changed outside Keyfleet: limits.users 40 → 60',
        'wt: changed outside Keyfleet: limits.seats 10 → 20',
        `wt: changed outside Keyfleet: expiresAt ${isoDate(NOW + 300 * DAY)} → ${isoDate(NOW + 400 * DAY)}`,
        expect.stringMatching(/^qm-acme: changed outside Keyfleet: key \w{8}…\w{4} → \w{8}…\w{4}$/),
      ]),
    );
    // Before and after are in each event's data; never a whole key.
    const journal = fs.readFileSync(path.join(home, 'events.jsonl'), 'utf8').split('\n').filter((line) => line.includes('license.changed-outside'));
    expect(journal).toHaveLength(7);
    expect(journal.map((line) => JSON.parse(line).data)).toContainEqual({ field: 'limits.users', before: 40, after: 60 });
    for (const key of [keyOf(PPK_ACME), keyOf(PPK_SPARE), UNKNOWN_KEY]) expect(journal.join('\n')).not.toContain(key);

    // Accepting again changes nothing; one vendor that now matches exits 0.
    const again = await run(['reconcile', '--accept']);
    expect(again.json.accepted).toBe(0);
    expect(again.code).toBe(1);
    const isymOnly = await run(['reconcile', '--vendor', 'isymphony']);
    expect(isymOnly.code, isymOnly.stdout).toBe(0);
    expect(isymOnly.json).toMatchObject({ same: 3, changed: [], serverOnly: [], localOnly: [], failures: [], checked: 1 });
  });

  it('exits 2 on bad usage, changing nothing', async () => {
    const stored = fs.readFileSync(storeFile, 'utf8');
    const bad = await run(['reconcile', '--vendor', 'oracle']);
    expect(bad.code).toBe(2);
    expect(bad.json.error).toEqual({ code: 'BAD_INPUT', message: '--vendor must be queuemetrics, isymphony, webitel, qlm; got "oracle"' });
    expect((await run(['reconcile', 'now'])).code).toBe(2);
    expect((await run(['reconcile', '--accept', '--concurrency', '0'])).code).toBe(2);
    expect(fs.readFileSync(storeFile, 'utf8')).toBe(stored);
  });

  it('a server that cannot be read is listed under failures, naming it, and exits 1', async () => {
    await sims.wt.close();
    const r = await run(['reconcile', '--vendor', 'webitel']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.failures).toEqual([{ target: 'instance wt', error: { code: 'NETWORK', message: expect.stringContaining('instance wt') } }]);
    expect(r.json.same).toBe(0);
    const human = await text(['reconcile', '--vendor', 'webitel']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('COULD NOT BE READ');
    expect(human.stdout).toContain('keyfleet instance check wt');
  });
});
