// Long by design: one CLI session in order, each command working on the fleet and the simulator state the previous ones left, as a user's would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, type CliRun } from '../../helpers/cli.ts';
import { readTree, tempDir } from '../../helpers/tmp.ts';
import { KeyringVault } from '../../../electron/core/vault/vault.ts';
import { WEBITEL_PRODUCTS } from '../../../electron/core/vendors/webitel/rules.ts';
import {
  SIM_GOOD_CERTIFICATE,
  SIM_REFUSED_CERTIFICATE,
  defaultWebitelLicenses,
  startWebitelSimulator,
  type SimLicense,
  type WebitelSim,
} from './simulator.ts';

/**
 * Webitel through the real `keyfleet` command against the simulator: the token in the
 * keychain, the paged license registry, certificate import, holders and forced logout, and
 * the effective capacity per product.
 */
const DAY = 86_400_000;
const NOW = Date.now();
const TOKEN = `wt-${Math.random().toString(36).slice(2)}-Tok9x`;
const WRONG_TOKEN = `wt-wrong-${Math.random().toString(36).slice(2)}`;
const CC = 'a1f0c3d2e4b5a6978899aabbccddeef1'; // the CALL_CENTER license the default users hold

/** The vendor's defaults plus licenses that exercise the capacity rules. */
const EXTRA: SimLicense[] = [
  // Expired: would dominate CALL_CENTER's sum and EMAIL's largest if expired licenses counted.
  { id: 'c3000000000000000000000000000001', product: 'CALL_CENTER', name: 'Old contact centre', competitive: true, limit: 100, notBefore: NOW - 400 * DAY, notAfter: NOW - 2 * DAY },
  { id: 'c3000000000000000000000000000002', product: 'EMAIL', name: 'Old email', limit: 50, notBefore: NOW - 400 * DAY, notAfter: NOW - 3 * DAY },
  // CHAT marked competitive by mistake: still nominal, and smaller than the largest CHAT (5).
  { id: 'c3000000000000000000000000000003', product: 'CHAT', name: 'Chat odd', competitive: true, limit: 4, notBefore: NOW - 5 * DAY, notAfter: NOW + 100 * DAY },
  // Removed from the registry later in the test.
  { id: 'c3000000000000000000000000000004', product: 'CALL_MANAGER', name: 'Call manager trial', competitive: true, limit: 7, notBefore: NOW - 5 * DAY, notAfter: NOW + 60 * DAY },
];
const ALL = [...defaultWebitelLicenses(NOW), ...EXTRA];

const isoDate = (ms: number): string | null => (ms ? new Date(ms).toISOString().slice(0, 10) : null);

describe('Webitel through the CLI', { timeout: 60_000 }, () => {
  let sim: WebitelSim;
  const home = tempDir();
  const outputs: string[] = [];
  const run = async (args: string[], stdin?: string): Promise<CliRun> => {
    const r = await runCli([...args, '--json'], { home, ...(stdin !== undefined ? { stdin } : {}) });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const posts = () => sim.state.requests.filter((r) => r.method === 'POST');
  const keyFile = (name: string, text: string) => {
    const file = path.join(home, '..', `${path.basename(home)}-${name}`);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(async () => {
    sim = await startWebitelSimulator({ token: TOKEN, licenses: ALL, pageSize: 4, now: NOW });
    expect((await run(['client', 'add', 'Acme'])).code).toBe(0);
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(home, { recursive: true, force: true });
    for (const f of fs.readdirSync(path.dirname(home))) if (f.startsWith(`${path.basename(home)}-`)) fs.rmSync(path.join(path.dirname(home), f), { force: true });
  });

  it('adds the instance with the token from standard input; the token goes to the keychain only', async () => {
    const r = await run(['instance', 'add', 'wt', '--kind', 'webitel', '--url', sim.url, '--client', 'Acme', '--secret-stdin'], `${TOKEN}\n`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.instance).toMatchObject({ name: 'wt', kind: 'webitel', id: expect.stringMatching(/^in_/) });
    const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE!);
    expect(await vault.get({ type: 'instance', id: r.json.instance.id })).toBe(TOKEN);
    expect(sim.state.requests).toHaveLength(0);
  });

  it('the simulator sends int64 timestamps both as numbers and as strings', async () => {
    const res = await fetch(`${sim.url}/api/license?page=1&size=4`, { headers: { 'X-Webitel-Access': TOKEN } });
    const body = (await res.json()) as { items: Array<{ not_before: unknown }> };
    expect(new Set(body.items.map((l) => typeof l.not_before))).toEqual(new Set(['number', 'string']));
    sim.state.requests.length = 0;
  });

  it('instance check reads every license across the pages and stores dates and limits', async () => {
    const r = await run(['instance', 'check', 'wt']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // 14 licenses, at most 4 per page: pages 1–4, each asked for with the token header.
    const pages = sim.state.requests.filter((q) => q.path === '/api/license');
    expect(pages.map((q) => q.query.page)).toEqual(['1', '2', '3', '4']);
    expect(pages.every((q) => q.token === TOKEN)).toBe(true);
    expect(r.json.instance.snapshot.summary).toBe('14 license(s)');
    expect(r.json.licenses).toHaveLength(14);

    const list = await run(['licenses', '--vendor', 'webitel']);
    expect(list.code).toBe(0);
    const byKey = new Map<string, Record<string, unknown>>(list.json.licenses.map((l: { key: string }) => [l.key, l]));
    expect(byKey.size).toBe(ALL.length);
    for (const l of ALL) {
      // The simulator alternates int64s as numbers and as strings record by record.
      expect(byKey.get(l.id), l.id).toMatchObject({
        vendor: 'webitel',
        instance: 'wt',
        client: 'Acme',
        product: l.product,
        validFrom: isoDate(l.notBefore),
        expiresAt: isoDate(l.notAfter),
        limits: { seats: l.limit, competitive: l.competitive ?? false },
      });
    }
    // Used = limit − remain: the five default users hold the first CALL_CENTER license.
    expect(byKey.get(CC)).toMatchObject({ limits: { seats: 10, used: 5 } });
    expect(byKey.get('a1f0c3d2e4b5a6978899aabbccddeef8')).toMatchObject({ expiresAt: null, daysLeft: null });
    expect(byKey.get('a1f0c3d2e4b5a6978899aabbccddeef7')).toMatchObject({ status: 'expired' });
    expect(byKey.get('c3000000000000000000000000000001')).toMatchObject({ status: 'expired', daysLeft: expect.any(Number) });
    // Soonest expiry first.
    const expiries = list.json.licenses.map((l: { expiresAt: string | null }) => l.expiresAt).filter(Boolean);
    expect(expiries).toEqual([...expiries].sort());
  });

  it('marks a license the registry no longer lists as superseded on the next check', async () => {
    const gone = 'c3000000000000000000000000000004';
    sim.state.licenses = sim.state.licenses.filter((l) => l.id !== gone);
    const r = await run(['instance', 'check', 'wt']);
    expect(r.code).toBe(0);
    expect(r.json.instance.snapshot.summary).toBe('13 license(s)');
    const list = await run(['licenses', '--vendor', 'webitel']);
    expect(list.json.licenses.map((l: { key: string }) => l.key)).not.toContain(gone);
    expect(list.json.licenses).toHaveLength(13);
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8')) as { licenses: Array<{ key: string; status: string }> };
    expect(store.licenses.find((l) => l.key === gone)?.status).toBe('superseded');
    expect(store.licenses.filter((l) => l.status === 'active')).toHaveLength(13);
  });

  it('a wrong token fails with AUTH (exit 1) and changes nothing', async () => {
    const add = await run(['instance', 'add', 'wt-bad', '--kind', 'webitel', '--url', sim.url, '--secret-stdin'], `${WRONG_TOKEN}\n`);
    expect(add.code).toBe(0);
    const r = await run(['instance', 'check', 'wt-bad']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('AUTH');
    expect(r.json.error.message).toMatch(/wt-bad/);
    expect(r.json.error.message).toContain('Invalid auth token');
    expect(r.stdout + r.stderr).not.toContain(WRONG_TOKEN);
    const list = await run(['licenses', '--vendor', 'webitel']);
    expect(list.json.licenses.filter((l: { instance: string }) => l.instance === 'wt-bad')).toHaveLength(0);
  });

  it('webitel import sends the key with PUT /customer and lists the new grants', async () => {
    // Keys get wrapped in e-mails: the line breaks are not part of the key.
    const wrapped = `${SIM_GOOD_CERTIFICATE.slice(0, 40)}\n${SIM_GOOD_CERTIFICATE.slice(40)}\n`;
    const r = await run(['webitel', 'import', 'wt', '--key-file', keyFile('good.key', wrapped)]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const put = sim.state.requests.filter((q) => q.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({ path: '/api/customer', token: TOKEN });
    expect(JSON.parse(put[0]!.body)).toEqual({ certificate: SIM_GOOD_CERTIFICATE });
    expect(r.json.added.sort()).toEqual(['b2000000000000000000000000000001', 'b2000000000000000000000000000002']);
    const imported = r.json.licenses.filter((l: { origin: string }) => l.origin === 'imported');
    expect(imported).toHaveLength(2);
    expect(r.json.licenses.find((l: { key: string }) => l.key === 'b2000000000000000000000000000001')).toMatchObject({
      product: 'CALL_MANAGER',
      instance: 'wt',
      limits: { seats: 20, competitive: true },
      expiresAt: isoDate(NOW + 365 * DAY),
    });
    expect(r.json.licenses.find((l: { key: string }) => l.key === 'b2000000000000000000000000000002')).toMatchObject({ product: 'CUSTOMER_PORTAL', limits: { seats: 100 } });
    const list = await run(['licenses', '--vendor', 'webitel']);
    expect(list.json.licenses).toHaveLength(15);
    const history = await run(['history', '--instance', 'wt']);
    expect(history.json.events[0]).toMatchObject({ action: 'webitel.import', outcome: 'ok' });
  });

  it('webitel import shows the server refusal text and exits 1', async () => {
    const r = await run(['webitel', 'import', 'wt', '--key-file', keyFile('refused.key', `${SIM_REFUSED_CERTIFICATE}\n`)]);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('VENDOR_REFUSED');
    expect(r.json.error.message).toContain('customer.certificate.invalid: signature verification failed');
    expect(r.json.error.message).toMatch(/instance wt/);
    const list = await run(['licenses', '--vendor', 'webitel']);
    expect(list.json.licenses).toHaveLength(15);
  });

  it('webitel import rejects an empty or malformed key file with exit 2, sending nothing', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['empty.key', '', /license key is empty/],
      ['blank.key', '  \n\n', /license key is empty/],
      ['prose.key', 'Hello, here is your license: see attachment!\n', /license key contains ","/],
      ['short.key', 'abc123\n', /too short/],
      ['url.key', 'https://license.webitel.com/download/acme\n', /web address/],
    ];
    const before = sim.state.requests.length;
    // Read-only refusals: run side by side to keep the test quick.
    const results = await Promise.all(cases.map(([name, text]) => run(['webitel', 'import', 'wt', '--key-file', keyFile(name, text)])));
    results.forEach((r, i) => {
      const [name, , message] = cases[i]!;
      expect(r.code, name).toBe(2);
      expect(r.json.error.code, name).toBe('BAD_INPUT');
      expect(r.json.error.message, name).toMatch(message);
    });
    expect(sim.state.requests.length).toBe(before);
    const missing = await run(['webitel', 'import', 'wt', '--key-file', path.join(home, 'no-such.key')]);
    expect(missing.code).toBe(2);
    expect(missing.json.error.message).toMatch(/cannot read key file/);
    const history = await run(['history', '--instance', 'wt', '--action', 'webitel.import']);
    expect(history.json.events).toHaveLength(2); // the import and the refusal above; nothing for the bad files
  });

  it('webitel users lists the holders of a license across pages and two domains, with sessions', async () => {
    const before = sim.state.requests.length;
    const r = await run(['webitel', 'users', 'wt', '--license', CC]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const calls = sim.state.requests.slice(before);
    expect(calls.map((q) => `${q.path}?page=${q.query.page}`)).toEqual([`/api/products/${CC}/users?page=1`, `/api/products/${CC}/users?page=2`]);
    expect(r.json.users).toEqual([
      expect.objectContaining({ id: '101', name: 'alice', domain: 'acme.example', domainId: '1', sessions: 2 }),
      expect.objectContaining({ id: '102', name: 'bob', domain: 'acme.example', domainId: '1', sessions: 0 }),
      expect.objectContaining({ id: '103', name: 'carol', domain: 'acme.example', domainId: '1', sessions: 1 }),
      expect.objectContaining({ id: '201', name: 'alice.globex', domain: 'globex.example', domainId: '2', sessions: 1 }),
      expect.objectContaining({ id: '202', name: 'dave', domain: 'globex.example', domainId: '2', sessions: 3 }),
    ]);

    const search = await run(['webitel', 'users', 'wt', '--license', CC, '--search', 'alice']);
    expect(search.code).toBe(0);
    expect(sim.state.requests.at(-1)?.query.q).toBe('alice');
    expect(search.json.users.map((u: { name: string }) => u.name)).toEqual(['alice', 'alice.globex']);

    const unknown = await run(['webitel', 'users', 'wt', '--license', 'ffffffffffffffffffffffffffffffff']);
    expect(unknown.code).toBe(2);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
    expect(unknown.json.error.message).toContain('license ffffffffffffffffffffffffffffffff not found');
  });

  it('--domain on instance add sets the operator domain that decides who may be forced offline', async () => {
    const add = await run(['instance', 'add', 'wt-globex', '--kind', 'webitel', '--url', sim.url, '--domain', '2', '--secret-stdin'], `${TOKEN}\n`);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    const r = await run(['webitel', 'users', 'wt-globex', '--license', CC]);
    expect(r.code).toBe(0);
    const byName = new Map(r.json.users.map((u: { name: string }) => [u.name, u]));
    expect(byName.get('dave')).toMatchObject({ canLogout: true, reason: null });
    expect(byName.get('alice')).toMatchObject({ canLogout: false, reason: expect.stringMatching(/domain 1, not to your domain 2/) });
  });

  it('webitel logout forces an own-domain user with sessions offline, once --domain is configured', async () => {
    const upd = await run(['instance', 'update', 'wt', '--domain', '1']);
    expect(upd.code, upd.stdout + upd.stderr).toBe(0);
    expect(upd.json.instance.domainId).toBe('1');

    const users = await run(['webitel', 'users', 'wt', '--license', CC]);
    const flags = Object.fromEntries(users.json.users.map((u: { name: string; canLogout: boolean }) => [u.name, u.canLogout]));
    expect(flags).toEqual({ alice: true, bob: false, carol: true, 'alice.globex': false, dave: false });

    const r = await run(['webitel', 'logout', 'wt', '--user', '101', '--license', CC]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toEqual({ loggedOut: true });
    expect(posts().map((p) => p.path)).toEqual(['/api/users/101/logout']);
    expect(JSON.parse(posts()[0]!.body)).toEqual({});
    expect(sim.state.users.find((u) => u.id === 101)?.sessions).toBe(0);
    const history = await run(['history', '--instance', 'wt', '--action', 'webitel.logout']);
    expect(history.json.events[0]).toMatchObject({ outcome: 'ok' });
  });

  it('webitel logout refuses, without asking the server, a user of another domain or one with no session', async () => {
    const sent = posts().length;
    const other = await run(['webitel', 'logout', 'wt', '--user', '202', '--license', CC]);
    expect(other.code).toBe(1);
    expect(other.json.error.code).toBe('DENIED');
    expect(other.json.error.message).toMatch(/dave.*belongs to domain 2, not to your domain 1/);

    const idle = await run(['webitel', 'logout', 'wt', '--user', '102', '--license', CC]);
    expect(idle.code).toBe(1);
    expect(idle.json.error.code).toBe('DENIED');
    expect(idle.json.error.message).toMatch(/bob.*no active session/);

    const stranger = await run(['webitel', 'logout', 'wt', '--user', '999', '--license', CC]);
    expect(stranger.code).toBe(2);
    expect(stranger.json.error.code).toBe('NOT_FOUND');
    expect(stranger.json.error.message).toMatch(/user 999 does not hold license/);

    const notNumber = await run(['webitel', 'logout', 'wt', '--user', 'dave']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.json.error.message).toMatch(/user id must be a number/);
    expect(posts()).toHaveLength(sent);
  });

  it('webitel logout without --license leaves the rule to the server and shows its 403 detail', async () => {
    const r = await run(['webitel', 'logout', 'wt', '--user', '202']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('DENIED');
    expect(r.json.error.message).toContain('user 202 belongs to another domain; you can only log out users of your own domain');
    expect(posts().at(-1)?.path).toBe('/api/users/202/logout');
    expect(sim.state.users.find((u) => u.id === 202)?.sessions).toBe(3);

    const idle = await run(['webitel', 'logout', 'wt', '--user', '101']);
    expect(idle.code).toBe(1);
    expect(idle.json.error.message).toContain('user 101 has no active sessions');
    const history = await run(['history', '--instance', 'wt', '--action', 'webitel.logout']);
    expect(history.json.events[0]).toMatchObject({ outcome: 'failed' });
  });

  it('webitel capacity: CHAT and EMAIL take the largest limit, others add up, expired count for nothing', async () => {
    const r = await run(['webitel', 'capacity', 'wt']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rows = new Map<string, { capacity: number; rule: string; counted: number; licenses: number; warnings: string[] }>(
      r.json.capacity.map((row: { product: string }) => [row.product, row]),
    );
    // 10 + 15; the expired 100 is not counted.
    expect(rows.get('CALL_CENTER')).toMatchObject({ capacity: 25, rule: 'sum', licenses: 3, counted: 2 });
    expect(rows.get('CALL_CENTER')!.warnings).toContain('1 expired license not counted');
    // The removed trial (7) is superseded; only the imported 20 remains.
    expect(rows.get('CALL_MANAGER')).toMatchObject({ capacity: 20, rule: 'sum', licenses: 1, counted: 1 });
    // 5, 3 and 4: the largest, not 12.
    expect(rows.get('CHAT')).toMatchObject({ capacity: 5, rule: 'largest', licenses: 3, counted: 3 });
    expect(rows.get('CHAT')!.warnings.join('\n')).toMatch(/c3000000000000000000000000000003 is marked competitive, but CHAT licenses are nominal only/);
    // 10 and 5 valid, the expired 50 not counted: 10.
    expect(rows.get('EMAIL')).toMatchObject({ capacity: 10, rule: 'largest', licenses: 3, counted: 2 });
    expect(rows.get('QUALITY_AUDITOR')).toMatchObject({ capacity: 0, counted: 0 });
    expect(rows.get('QUALITY_AUDITOR')!.warnings.join('\n')).toMatch(/access to QUALITY_AUDITOR is unavailable/);
    expect(rows.get('CUSTOMER_SERVICE')).toMatchObject({ capacity: 0, counted: 0 });
    expect(rows.get('VOIP_DEVICE')).toMatchObject({ capacity: 50 });
    expect(rows.get('MOBILE')).toMatchObject({ capacity: 8 });
    expect(rows.get('CUSTOMER_PORTAL')).toMatchObject({ capacity: 100 });
    // Every product, in the order of the guide (rules.test.ts pins that list).
    expect(r.json.capacity.map((row: { product: string }) => row.product)).toEqual([...WEBITEL_PRODUCTS]);
  });

  it('webitel commands refuse an instance of another kind', async () => {
    const add = await run(['instance', 'add', 'qm', '--kind', 'queuemetrics', '--url', 'http://127.0.0.1:1/queuemetrics']);
    expect(add.code).toBe(0);
    const r = await run(['webitel', 'capacity', 'qm']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/qm is queuemetrics, not Webitel/);
  });

  it('never writes the token into the home directory, the journal or any output', () => {
    const files = readTree(home);
    expect(files.some((f) => f.file.endsWith('events.jsonl'))).toBe(true);
    for (const f of files) {
      expect(f.text, f.file).not.toContain(TOKEN);
      expect(f.text, f.file).not.toContain(WRONG_TOKEN);
    }
    for (const o of outputs) {
      expect(o).not.toContain(TOKEN);
      expect(o).not.toContain(WRONG_TOKEN);
    }
  });
});
