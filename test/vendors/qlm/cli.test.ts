// Long by design: one CLI session in order, run for both URL flavours, each command working on the fleet and the simulator state the previous ones left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cliSession, runCli, type CliRun } from '../../helpers/cli.ts';
import { readTree, tempDir } from '../../helpers/tmp.ts';
import { startQlmSimulator, type QlmSimFlavor, type QlmSimRequest, type QlmSimulator } from './simulator.ts';

/**
 * Soraco QLM through the real `keyfleet` command, against a License Server simulator in both
 * URL flavours (v19 ASMX and v20 ASP.NET Core): account setup, ping, key creation with every
 * argument checked on the wire, a lost creation answer that must not be re-sent, in-place
 * updates (relative product properties, revoke), renewal, status, server errors, and a crash
 * between receiving keys and storing them.
 */
const VENDOR = 'ResellerCo';
const USER = 'keyfleet-api';
const PASSWORD = 'qlm-S3cret-Pwd!';
const CREATE = 'GetActivationKeyWithExpiryDate';
/** The server's clock runs an hour ahead, so the ping must report that skew. */
const SERVER_AHEAD_MS = 3_600_000;

interface LicenseRow {
  id: string;
  vendor: string;
  key: string;
  client: string | null;
  expiresAt: string | null;
  status: string;
  product: string;
}

function isoDateUtc(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);
}

describe.each<[QlmSimFlavor]>([['asmx'], ['v20']])('QLM through the CLI (%s URL)', (flavor) => {
  let qlm: QlmSimulator;
  const home = tempDir();
  const outputs: CliRun[] = [];
  const run = async (args: string[], stdin?: string) => {
    const r = await runCli([...args, '--json'], { home, ...(stdin ? { stdin } : {}) });
    outputs.push(r);
    return r;
  };
  const requestsOf = (method: string): QlmSimRequest[] => qlm.state.requests.filter((r) => r.method === method);
  const licenses = async (): Promise<LicenseRow[]> => {
    const r = await run(['licenses']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.json.licenses as LicenseRow[];
  };
  let singleKey = '';

  beforeAll(async () => {
    qlm = await startQlmSimulator({
      flavor,
      vendor: VENDOR,
      user: USER,
      password: PASSWORD,
      products: { 7: 'CallCentre Pro' },
      now: () => new Date(Date.now() + SERVER_AHEAD_MS),
    });
    expect((await run(['client', 'add', 'Acme', '--email', 'ops@acme.test'])).code).toBe(0);
  });
  afterAll(async () => {
    await qlm.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('adds the License Server account with the password in the keychain and a default product', async () => {
    // The v20 base is pasted the way its documentation shows it, with the trailing slash.
    const url = flavor === 'v20' ? `${qlm.baseUrl}/` : qlm.baseUrl;
    const r = await run(['source', 'add', 'qlm', '--kind', 'qlm', '--url', url, '--vendor', VENDOR, '--user', USER, '--secret-stdin', '--product', '7', '--major', '3', '--minor', '1'], `${PASSWORD}\n`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.source).toMatchObject({ id: expect.any(String), name: 'qlm', kind: 'qlm' });
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.sources[0]).toMatchObject({ vendor: VENDOR, user: USER, hasSecret: true, productDefaults: { productId: 7, major: 3, minor: 1 } });
  });

  it('pings the server: version and clock skew', async () => {
    const r = await run(['qlm', 'ping', '--source', 'qlm']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.serverVersion).toBe(flavor === 'v20' ? '20.0.24010.1' : '17.0.23100.1');
    expect(r.json.message).toMatch(/Successfully connected/);
    expect(Math.abs(r.json.skewMs - SERVER_AHEAD_MS)).toBeLessThan(5_000);
    const ping = requestsOf('PingHttp').at(-1)!;
    expect(ping.path.startsWith(new URL(qlm.baseUrl).pathname)).toBe(true);
  });

  it('creates one key with every argument reaching the server under its is_* name, attached to the client', async () => {
    const r = await run([
      'qlm', 'create', '--source', 'qlm', '--product', '7', '--major', '3', '--minor', '1', '--expires', '2027-03-31',
      '--features', '0:1;1:6', '--model', 'subscription', '--maintenance', '--maintenance-days', '400', '--additional-activations', '2',
      '--affiliate', 'AFF-9', '--computer-type', 'vm', '--quantity', '5', '--client', 'Acme',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.licenses).toHaveLength(1);
    singleKey = r.json.licenses[0].key;
    expect(singleKey).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]{6}$/);
    expect(r.json.licenses[0]).toMatchObject({ key: singleKey, expiresAt: '2027-03-31', client: 'Acme', vendor: 'qlm' });

    const sent = requestsOf(CREATE).at(-1)!.query;
    expect(sent).toMatchObject({
      is_vendor: VENDOR,
      is_user: USER,
      is_pwd: PASSWORD,
      is_productid: '7',
      is_majorversion: '3',
      is_minorversion: '1',
      is_expdate: '2027-03-31',
      is_features: '0:1;1:6',
      is_licensemodel: 'subscription',
      is_maintenance_plan: '1',
      is_maintduration: '400',
      is_additionalactivations: '2',
      is_affiliateid: 'AFF-9',
      is_computertype: '2',
      is_quantity: '5',
      is_usemultipleactivationskey: 'true',
    });
    expect(sent['is_expduration']).toBeUndefined();
    const onServer = qlm.state.licenses.get(singleKey)!;
    expect(onServer).toMatchObject({ productId: 7, features: '0:1;1:6', affiliateId: 'AFF-9', computerType: 2, maintenancePlan: true, activationsAllowed: 7 });

    const stored = (await licenses()).find((l) => l.key === singleKey);
    expect(stored).toMatchObject({ vendor: 'qlm', client: 'Acme', expiresAt: '2027-03-31', status: 'active' });
  });

  it('creates one key per seat with --quantity 3 --per-seat, by days, from the default product', async () => {
    const before = requestsOf(CREATE).length;
    const r = await run(['qlm', 'create', '--source', 'qlm', '--days', '90', '--quantity', '3', '--per-seat', '--activations-per-key', '2', '--model', 'permanent', '--floating', '--client', 'Acme']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.licenses).toHaveLength(3);
    expect(requestsOf(CREATE).length).toBe(before + 1);
    const sent = requestsOf(CREATE).at(-1)!.query;
    expect(sent).toMatchObject({
      is_productid: '7',
      is_majorversion: '3',
      is_minorversion: '1',
      is_expduration: '90',
      is_quantity: '3',
      is_usemultipleactivationskey: 'false',
      is_numberofactivationsperkey: '2',
      is_licensemodel: 'permanent',
      is_floating: 'true',
    });
    expect(sent['is_expdate']).toBeUndefined();
    const keys = r.json.licenses.map((l: LicenseRow) => l.key);
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(qlm.state.licenses.get(k)).toMatchObject({ activationsAllowed: 2, oneKeyForAllSeats: false });

    const stored = (await licenses()).filter((l) => keys.includes(l.key));
    expect(stored).toHaveLength(3);
    for (const l of stored) {
      expect(l.client).toBe('Acme');
      expect(l.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The CLI counts the days in the local calendar; allow the day boundary either side.
      expect(Math.abs(daysBetween(l.expiresAt!, isoDateUtc(90)))).toBeLessThanOrEqual(1);
    }
  });

  it('reports a lost creation answer as exactly that, sends it once, and keeps the pending operation', async () => {
    const before = requestsOf(CREATE).length;
    const serverKeysBefore = qlm.state.licenses.size;
    const storeBefore = await licenses();
    qlm.setMode('lose-create-answer');
    let r: CliRun;
    try {
      r = await run(['qlm', 'create', '--source', 'qlm', '--days', '30', '--quantity', '2', '--client', 'Acme']);
    } finally {
      qlm.setMode('normal');
    }
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.error.code).toBe('LOST_ANSWER');
    expect(r.json.error.message).toMatch(/Nothing was re-sent/i);
    const pendingId = /pending operation (op\S+)/.exec(r.json.error.message)?.[1];
    expect(pendingId, r.json.error.message).toBeTruthy();
    expect(r.json.error.message).toMatch(/quantity 2/);
    // Exactly one request reached the server, and it did create a key there.
    expect(requestsOf(CREATE).length).toBe(before + 1);
    expect(qlm.state.licenses.size).toBe(serverKeysBefore + 1);

    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.pending).toContainEqual(expect.objectContaining({ id: pendingId, kind: 'qlm.create', state: 'answer-lost' }));
    expect((await licenses()).length).toBe(storeBefore.length);

    const history = await run(['history', '--action', 'qlm.create']);
    expect(history.code).toBe(0);
    const outcomes = history.json.events.map((e: { outcome: string }) => e.outcome);
    expect(outcomes.slice(0, 2)).toEqual(['failed', 'started']);
    expect(history.json.events[0].error.code).toBe('LOST_ANSWER');
    // Nothing re-sent on the next start either.
    await run(['licenses']);
    expect(requestsOf(CREATE).length).toBe(before + 1);
  });

  it('applies relative integer product properties (+2, then -1) with the + encoded', async () => {
    const first = await run(['qlm', 'update', '--source', 'qlm', '--key', singleKey, '--pp', 'cat.count::+2']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(qlm.state.licenses.get(singleKey)!.properties.get('cat.count')?.value).toBe('2');
    const raw = requestsOf('UpdateLicenseHttp').at(-1)!.rawQuery;
    expect(raw).toContain('is_pp=cat.count%3A%3A%2B2');
    expect(raw).not.toMatch(/is_pp=[^&]*\+/);

    const second = await run(['qlm', 'update', '--key', singleKey, '--pp', 'cat.count::-1']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(qlm.state.licenses.get(singleKey)!.properties.get('cat.count')?.value).toBe('1');
    expect(second.json.license).toMatchObject({ key: singleKey });
  });

  it('updates expiry, features, quantity, model, affiliate and user data in place', async () => {
    const r = await run(['qlm', 'update', '--key', singleKey, '--expires', '2028-01-15', '--features', '0:3', '--quantity', '9', '--model', 'permanent', '--affiliate', 'AFF-10', '--userdata', 'ticket 4711']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sent = requestsOf('UpdateLicenseHttp').at(-1)!.query;
    expect(sent).toMatchObject({ is_avkey: singleKey, is_expdate: '2028-01-15', is_features: '0:3', is_quantity: '9', is_licensemodel: 'permanent', is_affiliateid: 'AFF-10', is_userdata1: 'ticket 4711', is_vendor: VENDOR, is_user: USER, is_pwd: PASSWORD });
    expect(r.json.license).toMatchObject({ key: singleKey, expiresAt: '2028-01-15', status: 'active' });
    expect(qlm.state.licenses.get(singleKey)).toMatchObject({ features: '0:3', quantity: 9, licenseModel: 'permanent', userData1: 'ticket 4711' });
  });

  it('refuses what the app refuses, with the contract\'s words, before anything is sent (exit 2)', async () => {
    const sent = requestsOf('UpdateLicenseHttp').length;
    const model = await run(['qlm', 'update', '--key', singleKey, '--model', 'forever']);
    expect(model.code).toBe(2);
    expect(model.json.error).toEqual({ code: 'BAD_INPUT', message: 'licenseModel: must be permanent, trial or subscription (optionally _cloud or _floating)' });
    const userData = await run(['qlm', 'update', '--key', singleKey, '--userdata', 'x'.repeat(1001)]);
    expect(userData.code).toBe(2);
    expect(userData.json.error.message).toMatch(/^userData1: .*1000/);
    expect(requestsOf('UpdateLicenseHttp').length).toBe(sent);
  });

  it('revokes and un-revokes; the stored status follows', async () => {
    const revoke = await run(['qlm', 'update', '--key', singleKey, '--revoke']);
    expect(revoke.code, revoke.stdout + revoke.stderr).toBe(0);
    expect(qlm.state.licenses.get(singleKey)!.revoked).toBe(true);
    expect(requestsOf('RevokeLicenseHttp').at(-1)!.query).toMatchObject({ is_avkey: singleKey, is_revoke: 'true' });
    expect((await licenses()).find((l) => l.key === singleKey)!.status).toBe('revoked');

    const status = await run(['qlm', 'status', '--key', singleKey]);
    expect(status.code).toBe(0);
    expect(status.json.statusWords).toEqual(['Permanent', 'Revoked']);

    const unrevoke = await run(['qlm', 'update', '--key', singleKey, '--unrevoke']);
    expect(unrevoke.code, unrevoke.stdout + unrevoke.stderr).toBe(0);
    expect(qlm.state.licenses.get(singleKey)!.revoked).toBe(false);
    expect(requestsOf('RevokeLicenseHttp').at(-1)!.query.is_revoke).toBe('false');
    expect((await licenses()).find((l) => l.key === singleKey)!.status).toBe('active');
  });

  it('falls back to UpdateLicenseHttp is_revoke when RevokeLicenseHttp is disabled', async () => {
    qlm.setDisabled(['RevokeLicenseHttp']);
    try {
      const r = await run(['qlm', 'update', '--key', singleKey, '--revoke']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(requestsOf('UpdateLicenseHttp').at(-1)!.query).toMatchObject({ is_avkey: singleKey, is_revoke: 'true' });
      expect(r.json.license.status).toBe('revoked');
      const back = await run(['qlm', 'update', '--key', singleKey, '--unrevoke']);
      expect(back.json.license.status).toBe('active');
    } finally {
      qlm.setDisabled([]);
    }
  });

  it('renews a subscription and reads the new expiry back', async () => {
    const created = await run(['qlm', 'create', '--expires', '2026-12-31', '--model', 'subscription', '--client', 'Acme']);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    const key = created.json.licenses[0].key as string;
    const r = await run(['qlm', 'renew', '--key', key, '--expires', '2027-12-31']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(requestsOf('RenewSubscriptionHttp').at(-1)!.query).toMatchObject({ is_avkey: key, is_expdate: '2027-12-31', is_vendor: VENDOR });
    expect(r.json.license).toMatchObject({ key, expiresAt: '2027-12-31', client: 'Acme' });
    expect((await licenses()).find((l) => l.key === key)!.expiresAt).toBe('2027-12-31');
  });

  it('reads status, expiry and seats with ValidateLicenseHttp (is_activate=false) and shows the status words', async () => {
    const created = await run(['qlm', 'create', '--expires', '2020-01-31', '--model', 'trial', '--quantity', '4']);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    const key = created.json.licenses[0].key as string;
    const r = await run(['qlm', 'status', '--key', key]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.statusWords).toEqual(['Demo', 'Expired']);
    expect(r.json.license).toMatchObject({ key, expiresAt: '2020-01-31', product: 'CallCentre Pro 3.1', limits: { seats: 4 }, status: 'expired' });
    expect(requestsOf('ValidateLicenseHttp').at(-1)!.query).toMatchObject({ is_avkey: key, is_activate: 'false' });

    const text = await runCli(['qlm', 'status', '--key', key], { home });
    outputs.push(text);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Demo, Expired/);
  });

  it('turns an authentication failure into AUTH', async () => {
    const add = await run(['source', 'add', 'qlm-wrong', '--kind', 'qlm', '--url', qlm.baseUrl, '--vendor', VENDOR, '--user', USER, '--secret-stdin'], 'not-the-password\n');
    expect(add.code).toBe(0);
    const before = (await licenses()).length;
    const r = await run(['qlm', 'create', '--source', 'qlm-wrong', '--product', '7', '--major', '3', '--minor', '1', '--days', '30']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('AUTH');
    expect(r.json.error.message).toMatch(/authentication failed \(error 8\)/);
    expect(r.json.error.message).toMatch(/Invalid vendor, user or password/);
    expect((await licenses()).length).toBe(before);
    // A refused creation leaves nothing pending.
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.pending.filter((p: { state: string }) => p.state === 'sent')).toEqual([]);
  });

  it('names the server property to turn on when a method is disabled', async () => {
    qlm.setDisabled([CREATE, 'RenewSubscriptionHttp']);
    try {
      const create = await run(['qlm', 'create', '--source', 'qlm', '--days', '30']);
      expect(create.code).toBe(1);
      expect(create.json.error.code).toBe('DENIED');
      expect(create.json.error.message).toMatch(/enableGetActivationKey/);
      const renew = await run(['qlm', 'renew', '--source', 'qlm', '--key', singleKey, '--days', '30']);
      expect(renew.code).toBe(1);
      expect(renew.json.error.code).toBe('DENIED');
      expect(renew.json.error.message).toMatch(/enableRenewSubscriptionHttp/);
    } finally {
      qlm.setDisabled([]);
    }
  });

  it('reads a body that starts with a UTF-8 BOM', async () => {
    qlm.setFraming({ bom: true });
    try {
      const ping = await run(['qlm', 'ping', '--source', 'qlm']);
      expect(ping.code, ping.stdout + ping.stderr).toBe(0);
      expect(ping.json.serverVersion).toBeTruthy();
      const created = await run(['qlm', 'create', '--source', 'qlm', '--days', '10']);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      expect(qlm.state.licenses.has(created.json.licenses[0].key)).toBe(true);
      const status = await run(['qlm', 'status', '--key', singleKey]);
      expect(status.code, status.stdout + status.stderr).toBe(0);
      expect(status.json.statusWords).toEqual(['Permanent']);
    } finally {
      qlm.setFraming({ bom: false });
    }
  });

  it('never writes the QLM password to the data directory, the journal or any output', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const o of outputs) {
      expect(o.stdout).not.toContain(PASSWORD);
      expect(o.stderr).not.toContain(PASSWORD);
      expect(o.stdout).not.toContain(encodeURIComponent(PASSWORD));
    }
    const files = readTree(home);
    expect(files.map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(['keyfleet.json', 'events.jsonl', 'keys.jsonl']));
    for (const f of files) {
      expect(f.text, f.file).not.toContain(PASSWORD);
      expect(f.text, f.file).not.toContain(encodeURIComponent(PASSWORD));
    }
  });
});

describe('QLM: keys received but not yet stored', () => {
  it('recovers the keys from keys.jsonl on the next start', async () => {
    const home = tempDir();
    const qlm = await startQlmSimulator({ flavor: 'v20', vendor: VENDOR, user: USER, password: PASSWORD });
    try {
      const { run } = cliSession(home);
      expect((await run(['client', 'add', 'Beta'])).code).toBe(0);
      expect((await run(['source', 'add', 'qlm', '--kind', 'qlm', '--url', qlm.baseUrl, '--vendor', VENDOR, '--user', USER, '--secret-stdin'], `${PASSWORD}\n`)).code).toBe(0);
      const storeFile = path.join(home, 'keyfleet.json');
      const before = fs.readFileSync(storeFile);

      const created = await run(['qlm', 'create', '--product', '7', '--major', '2', '--minor', '0', '--expires', '2027-06-30', '--quantity', '2', '--per-seat', '--client', 'Beta']);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      const keys = created.json.licenses.map((l: LicenseRow) => l.key).sort();
      expect(keys).toHaveLength(2);
      expect(fs.readFileSync(path.join(home, 'keys.jsonl'), 'utf8')).toContain(keys[0]);

      // The process died after the receipt was fsync'd but before the store was written.
      fs.writeFileSync(storeFile, before);
      const requests = qlm.state.requests.length;

      const list = await run(['licenses']);
      expect(list.code, list.stdout + list.stderr).toBe(0);
      const recovered = list.json.licenses.filter((l: LicenseRow) => keys.includes(l.key));
      expect(recovered.map((l: LicenseRow) => l.key).sort()).toEqual(keys);
      for (const l of recovered) expect(l).toMatchObject({ vendor: 'qlm', client: 'Beta', expiresAt: '2027-06-30', status: 'active' });
      // Recovery came from the receipt, not from the server.
      expect(qlm.state.requests.length).toBe(requests);

      const history = await run(['history']);
      expect(history.json.events.map((e: { action: string }) => e.action)).toContain('key.recovered');
      // Recovery is idempotent: a further start neither duplicates keys nor logs another recovery.
      const again = await run(['licenses']);
      expect(again.json.licenses.filter((l: LicenseRow) => keys.includes(l.key))).toHaveLength(2);
      const history2 = await run(['history', '--action', 'key.recovered']);
      expect(history2.json.events).toHaveLength(1);
    } finally {
      await qlm.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
