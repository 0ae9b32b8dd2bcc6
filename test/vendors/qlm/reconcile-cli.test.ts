import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, type CliRun } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startQlmSimulator, type QlmSimulator } from './simulator.ts';

/**
 * A QLM License Server in `keyfleet reconcile`, through the real command: licenses changed,
 * added and deleted in the QLM console after the import are listed with every other vendor's
 * findings, --accept takes the server's values (a license the server alone holds comes in as
 * imported from QLM, matched to its client), and the exit code says what remains.
 */
const VENDOR = 'ResellerCo';
const USER = 'kf-reconcile';
const PASSWORD = 'Rec0ncile&Pwd';
const DAY = 86_400_000;

type Row = { id: string; key: string; expiresAt: string | null; status: string; origin: string; client: string | null; limits: Record<string, unknown> };

describe('keyfleet reconcile with a QLM License Server', { timeout: 60_000 }, () => {
  let qlm: QlmSimulator;
  let keys: string[];
  const home = tempDir();
  const run = (args: string[], stdin?: string): Promise<CliRun> => runCli([...args, '--json'], { home, ...(stdin !== undefined ? { stdin } : {}) });
  const licenses = async (): Promise<Row[]> => (await run(['licenses', '--vendor', 'qlm'])).json.licenses as Row[];

  beforeAll(async () => {
    qlm = await startQlmSimulator({ flavor: 'asmx', vendor: VENDOR, user: USER, password: PASSWORD, products: { 1: 'CallCentre Pro' } });
    keys = qlm.seedLicenses(12);
    for (const [args, stdin] of [
      [['client', 'add', 'Globex', '--email', 'it@globex.test']],
      [['source', 'add', 'qlm', '--kind', 'qlm', '--url', qlm.baseUrl, '--vendor', VENDOR, '--user', USER, '--secret-stdin'], `${PASSWORD}\n`],
      [['qlm', 'import', '--source', 'qlm']],
    ] as Array<[string[], string?]>) {
      const r = await run(args, stdin);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });
  afterAll(async () => {
    await qlm.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('right after the import everything is the same: exit 0', async () => {
    const r = await run(['reconcile', '--vendor', 'qlm']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ same: 12, changed: [], serverOnly: [], localOnly: [], failures: [], checked: 1 });
  });

  it('lists expiry, seats and revocation changed in the QLM console, a license added there and one deleted, then --accept takes them', async () => {
    const before = new Map((await licenses()).map((l) => [l.key, l]));
    const later = new Date(Date.now() + 900 * DAY);
    const laterDate = later.toISOString().slice(0, 10);
    qlm.alter(keys[0]!, { expiresAt: new Date(`${laterDate}T23:59:00Z`) });
    qlm.alter(keys[1]!, { revoked: true });
    qlm.alter(keys[2]!, { quantity: 99 });
    qlm.state.licenses.delete(keys[3]!);
    const [added] = qlm.seedLicenses(1, () => ({ userCompany: 'Globex', userEmail: 'it@globex.test', quantity: 7 }));

    const r = await run(['reconcile']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.same).toBe(8);
    const lic = (i: number) => before.get(keys[i]!)!;
    expect(r.json.changed).toEqual(
      expect.arrayContaining([
        { license: lic(0).id, key: keys[0], vendor: 'qlm', source: 'qlm', field: 'expiresAt', recorded: lic(0).expiresAt, server: laterDate },
        { license: lic(1).id, key: keys[1], vendor: 'qlm', source: 'qlm', field: 'status', recorded: 'active', server: 'revoked' },
        { license: lic(2).id, key: keys[2], vendor: 'qlm', source: 'qlm', field: 'limits.seats', recorded: 3, server: 99 },
      ]),
    );
    expect(r.json.changed).toHaveLength(3);
    expect(r.json.serverOnly).toEqual([{ vendor: 'qlm', key: added, source: 'qlm', product: 'CallCentre Pro 5.0', expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    expect(r.json.localOnly).toEqual([{ vendor: 'qlm', key: keys[3], license: lic(3).id, source: 'qlm' }]);

    const accepted = await run(['reconcile', '--accept', '--vendor', 'qlm']);
    expect(accepted.code, accepted.stdout).toBe(1); // the deleted license remains, in Keyfleet only
    expect(accepted.json).toMatchObject({ accepted: 4, same: 12, changed: [], serverOnly: [], localOnly: [{ key: keys[3] }] });
    const after = new Map((await licenses()).map((l) => [l.key, l]));
    expect(after.get(keys[0]!)!.expiresAt).toBe(laterDate);
    expect(after.get(keys[1]!)!.status).toBe('revoked');
    expect(after.get(keys[2]!)!.limits).toMatchObject({ seats: 99 });
    expect(after.get(added!)).toMatchObject({ origin: 'qlm-server', client: 'Globex', limits: { seats: 7 } });
    const events = fs.readFileSync(path.join(home, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('license.changed-outside')).map((l) => JSON.parse(l));
    expect(events.map((e) => [e.target, e.data.field, e.data.before, e.data.after])).toEqual(
      expect.arrayContaining([
        ['qlm', 'expiresAt', lic(0).expiresAt, laterDate],
        ['qlm', 'status', 'active', 'revoked'],
        ['qlm', 'limits.seats', 3, 99],
        ['qlm', 'license', null, expect.objectContaining({ product: 'CallCentre Pro 5.0', status: 'active' })],
      ]),
    );
    expect(events).toHaveLength(4);
    for (const key of [...keys, added!]) expect(JSON.stringify(events)).not.toContain(key);
  });

  it('a License Server that refuses is listed under failures, naming the source: exit 1', async () => {
    qlm.setDisabled(['GetLicensesHttp', 'ValidateLicenseHttp']);
    const r = await run(['reconcile', '--vendor', 'qlm']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.failures).toEqual([{ target: 'source qlm', error: { code: expect.any(String), message: expect.stringContaining('qlm') } }]);
  });
});
