import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { openContext } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { onboardingStatus, runOnboarding, type OnboardingProgress } from '../../electron/core/services/onboarding.ts';
import { inferInstanceKind, parseInstanceUrls } from '../../electron/core/services/onboarding-urls.ts';
import { tempDir } from '../helpers/tmp.ts';
import { closedPort } from '../helpers/closed-port.ts';
import { startQmSimulator, type QmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startISymphonySimulator, type ISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startWebitelSimulator, type WebitelSim } from '../vendors/webitel/simulator.ts';
import { startQlmSimulator } from '../vendors/qlm/simulator.ts';
import { addSource } from '../../electron/core/services/sources.ts';
import { addClient } from '../../electron/core/services/clients.ts';
import { confirmQlmMatch } from '../../electron/core/vendors/qlm/import.ts';

/**
 * Onboarding in process, against the vendors' simulators on loopback and the real keychain:
 * one shared secret (user "onboard", password SECRET) opens every simulator.
 */
const SECRET = 'Onb0ard-shared-secret';
const USER = 'onboard';
const KEY_A = 'ONBA0001-ONBA0002-ONBA0003-ONBA0004-ONBA0005-ONBA0006';
const KEY_B = 'ONBB0001-ONBB0002-ONBB0003-ONBB0004-ONBB0005-ONBB0006';
const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE);

describe('pasted URLs', () => {
  it('infers the kind where the URL shows it and names the flag where it does not', () => {
    const kind = (u: string) => inferInstanceKind(new URL(u));
    expect(kind('http://qm.example:8080/queuemetrics')).toBe('queuemetrics');
    expect(kind('https://qm.example/qm/xmlrpc.do')).toBe('queuemetrics');
    expect(kind('http://pbx.example:58080')).toBe('isymphony');
    expect(kind('https://pbx.example/communication_manager')).toBe('isymphony');
    expect(kind('https://cc.example/api')).toBe('webitel');
    expect(kind('https://webitel.example')).toBe('webitel');
    expect(kind('https://pbx.example')).toBeNull();

    const { rows, errors } = parseInstanceUrls(
      ['# our fleet', 'http://a.example/queuemetrics', 'https://pbx.example', 'webitel https://pbx.example', 'isymphony,http://b.example', 'fax http://c.example', 'not a url', 'http://a.example:8081/queuemetrics'].join('\n'),
      new Set(['b.example']),
    );
    expect(errors).toEqual([
      { line: 3, message: expect.stringContaining('"queuemetrics https://pbx.example/"') },
      { line: 6, message: expect.stringContaining('"fax" is not a kind') },
      { line: 7, message: expect.stringContaining('not an http:// or https:// URL') },
    ]);
    // Names come from the host, made unique with the port (or the path) against the fleet and each other.
    expect(rows.map((r) => [r.line, r.kind, r.name])).toEqual([
      [2, 'queuemetrics', 'a.example'],
      [4, 'webitel', 'pbx.example'],
      [5, 'isymphony', 'b.example-2'],
      [8, 'queuemetrics', 'a.example:8081'],
    ]);
  });
});

describe('onboarding against the simulators', () => {
  let qmA: QmSimulator;
  let qmB: QmSimulator;
  let isym: ISymphonySimulator;
  let webitel: WebitelSim;
  let deadPort: number;
  const homes: string[] = [];
  const newCtx = () => {
    const dir = tempDir();
    homes.push(dir);
    return openContext({ dataDir: dir, vault });
  };
  const urlsOf = () => [`${qmA.baseUrl}`, `${qmB.baseUrl}`, `${isym.url}/communication_manager`, `webitel ${webitel.url}`].join('\n');

  beforeAll(async () => {
    const users = [{ login: USER, password: SECRET, keys: ['ROBOT', 'KEYUPDATE'] }];
    [qmA, qmB, isym, webitel, deadPort] = await Promise.all([
      startQmSimulator({ key: KEY_A, users }),
      startQmSimulator({ key: KEY_B, users }),
      startISymphonySimulator({ user: USER, password: SECRET }),
      startWebitelSimulator({ token: SECRET }),
      closedPort(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([qmA.close(), qmB.close(), isym.close(), webitel.close()]);
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('imports, tests, reads, splits the iSymphony host per core server and matches every license to the client', async () => {
    const ctx = newCtx();
    const progress: OnboardingProgress[] = [];
    const r = await runOnboarding(ctx, { urls: urlsOf(), client: 'Acme', user: USER, secret: SECRET, onProgress: (p) => progress.push(p) });

    expect(r.finished).toBe(true);
    expect(r.ran).toEqual(['instances', 'test', 'read', 'core-servers', 'qlm', 'adopt']);
    const data = ctx.store.data;
    // One keychain item for all, referenced by each instance; the store holds no secret.
    expect(data.credentials).toHaveLength(1);
    expect(new Set(data.instances.map((i) => i.secret?.type === 'shared' && i.secret.credentialId))).toEqual(new Set([data.credentials[0]!.id]));
    expect(await vault.get({ type: 'credential', id: data.credentials[0]!.id })).toBe(SECRET);
    expect(fs.readFileSync(ctx.store.file, 'utf8')).not.toContain(SECRET);

    // The iSymphony host's two core servers became two instances, each with its own license.
    const isymInstances = data.instances.filter((i) => i.kind === 'isymphony');
    expect(isymInstances.map((i) => [i.name.replace(/^.*\//, ''), i.coreServer])).toEqual([
      ['default', 'default'],
      ['acme', 'acme'],
    ]);
    for (const i of isymInstances) {
      const own = data.licenses.filter((l) => l.instanceId === i.id && l.status === 'active');
      expect(own.map((l) => l.details?.coreServer)).toEqual([i.coreServer]);
    }
    // Every Webitel license of the registry is the client's.
    const acme = data.clients.find((c) => c.name === 'Acme')!;
    const webitelLicenses = data.licenses.filter((l) => l.vendor === 'webitel');
    expect(webitelLicenses.length).toBe(10);
    expect(webitelLicenses.every((l) => l.clientId === acme.id)).toBe(true);
    // Progress came after each connection test and each read.
    expect(progress.filter((p) => p.step === 'test' && p.done > 0).map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.filter((p) => p.step === 'read' && p.done > 0).map((p) => p.done)).toEqual([1, 2, 3, 4]);

    // What stays unknown: the two QueueMetrics keys no license records, each with the command that adopts it.
    expect(r.unknowns.map((u) => [u.kind, u.instance])).toEqual([
      ['unknown-key', data.instances[0]!.name],
      ['unknown-key', data.instances[1]!.name],
    ]);
    expect(r.unknowns[0]!.command).toBe(`keyfleet instance adopt ${data.instances[0]!.name} --expires YYYY-MM-DD --agents N --servers N`);
    expect(r.unknowns[0]!.action).toBe('Adopt key');
    // Running it again changes nothing: every step is done.
    const writes = ctx.store.writes;
    const again = await runOnboarding(ctx, { urls: urlsOf(), client: 'Acme', user: USER, secret: SECRET });
    expect(again.ran).toEqual([]);
    expect(ctx.store.writes).toBe(writes);
  });

  it('a bad line imports nothing, names every bad line, and leaves no keychain item', async () => {
    const ctx = newCtx();
    const urls = [qmA.baseUrl, 'https://pbx.example', 'ftp://files.example/x', `webitel ${webitel.url}`].join('\n');
    await expect(runOnboarding(ctx, { urls, user: USER, secret: SECRET })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/nothing was imported[^]*line 2: cannot tell what runs at https:\/\/pbx\.example\/: write the kind before it[^]*line 3: /),
    });
    expect(ctx.store.data.instances).toEqual([]);
    expect(ctx.store.data.credentials).toEqual([]);
    expect(ctx.store.data.onboarding).toBeUndefined();
    expect(fs.existsSync(ctx.store.file)).toBe(false);
  });

  it('a line the instance import refuses (a second URL on the same QueueMetrics) imports nothing and names its pasted line', async () => {
    const ctx = newCtx();
    const urls = ['', qmA.baseUrl, `${qmA.baseUrl}/xmlrpc.do`].join('\n');
    await expect(runOnboarding(ctx, { urls, user: USER, secret: SECRET })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('line 3: url: ') });
    expect(ctx.store.data.instances).toEqual([]);
    expect(ctx.store.data.onboarding).toBeUndefined();
  });

  it('stops after the connection test and, run again, resumes at the read without testing again', async () => {
    const ctx = newCtx();
    const urls = [qmA.baseUrl, `queuemetrics http://127.0.0.1:${deadPort}/queuemetrics`].join('\n');
    const first = await runOnboarding(ctx, { urls, user: USER, secret: SECRET, stopAfter: 'test' });
    expect(first.finished).toBe(false);
    expect(first.ran).toEqual(['instances', 'test']);
    expect(first.steps.filter((s) => s.done).map((s) => s.step)).toEqual(['instances', 'test']);
    const testedAt = ctx.store.data.onboarding!.steps.test!.at;
    expect(ctx.store.data.instances.find((i) => i.url.includes(String(deadPort)))!.lastCheck).toMatchObject({ ok: false, error: { code: 'NETWORK' } });

    // A new process (the app closed and opened again) resumes from the store.
    const reopened = openContext({ dataDir: ctx.dataDir, vault });
    expect(onboardingStatus(reopened).steps.filter((s) => s.done).map((s) => s.step)).toEqual(['instances', 'test']);
    const second = await runOnboarding(reopened, {});
    expect(second.ran).toEqual(['read', 'core-servers', 'qlm', 'adopt']);
    expect(second.finished).toBe(true);
    expect(reopened.store.data.onboarding!.steps.test!.at).toBe(testedAt);
    // The failed connection is listed with the one command that fixes it; the other one was read.
    const dead = second.unknowns.find((u) => u.kind === 'connection')!;
    expect(dead.command).toBe(`keyfleet instance update 127.0.0.1:${deadPort} --url URL && keyfleet instance check 127.0.0.1:${deadPort}`);
    expect(reopened.store.data.instances.find((i) => i.url === qmA.baseUrl)!.snapshot?.key).toBe(KEY_A);
  });

  it('new instances while a run is unfinished are refused with what to do', async () => {
    const ctx = newCtx();
    await runOnboarding(ctx, { urls: qmA.baseUrl, user: USER, secret: SECRET, stopAfter: 'instances' });
    await expect(runOnboarding(ctx, { urls: qmB.baseUrl, user: USER, secret: SECRET })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('resume it first') });
    expect(ctx.store.data.instances).toHaveLength(1);
  });

  it('licenses read without a client are one item per instance, with the command that gives them the client', async () => {
    const ctx = newCtx();
    const r = await runOnboarding(ctx, { urls: `webitel ${webitel.url}`, secret: SECRET });
    expect(r.unknowns).toEqual([
      {
        kind: 'unmatched-license',
        reason: '10 licenses on 127.0.0.1 belong to no client',
        instance: '127.0.0.1',
        instanceId: ctx.store.data.instances[0]!.id,
        licenseId: expect.any(String),
        action: 'Match client',
        command: 'keyfleet instance update 127.0.0.1 --client CLIENT && keyfleet instance check 127.0.0.1',
      },
    ]);
  });

  it('imports what a QLM License Server holds; the unmatched are one item per company, matched in one command', async () => {
    const qlm = await startQlmSimulator({ flavor: 'asmx', vendor: 'ResellerCo', user: 'kf', password: 'Qlm-Pa55', products: { 1: 'CallCentre Pro' } });
    try {
      qlm.seedLicenses(6, (i) => ({ userCompany: i < 3 ? 'Acme Telecom' : i < 5 ? 'Stark Industries' : '', userEmail: i === 5 ? '' : `it${i}@example.test` }));
      const ctx = newCtx();
      addClient(ctx, { name: 'Acme Telecom', tags: [] });
      await addSource(ctx, { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: 'ResellerCo', user: 'kf', secret: 'Qlm-Pa55' });
      const r = await runOnboarding(ctx, { urls: `webitel ${webitel.url}`, client: 'Acme Telecom', secret: SECRET });
      expect(r.steps.find((s) => s.step === 'qlm')!.summary).toMatch(/^qlm: 6 imported, 0 updated, 3 matched, 3 unmatched/);
      const unmatched = r.unknowns.filter((u) => u.kind === 'unmatched-license');
      expect(unmatched.map((u) => [u.reason, u.command])).toEqual([
        ['2 QLM license(s) of Stark Industries belong to no client', "keyfleet qlm match --client CLIENT --company 'Stark Industries'"],
        [expect.stringMatching(/^QLM license \S+… belongs to no client$/), expect.stringMatching(/^keyfleet qlm match --client CLIENT --key \S+$/)],
      ]);
      addClient(ctx, { name: 'Stark', tags: [] });
      confirmQlmMatch(ctx, { client: 'Stark', company: 'Stark Industries' });
      expect(onboardingStatus(ctx).unknowns.filter((u) => u.kind === 'unmatched-license')).toHaveLength(1);
    } finally {
      await qlm.close();
    }
  });
});
