import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { runAndKill } from '../../hardening/crash-harness.ts';
import { STORE_FILE } from '../../../electron/core/store/store.ts';
import { JOURNAL_FILE } from '../../../electron/core/store/journal.ts';
import { startQlmSimulator, type QlmSimulator } from './simulator.ts';

/**
 * `keyfleet qlm import` and `keyfleet qlm match` end to end, as users run them, against a
 * License Server simulator holding 2,000 licenses: the JSON contract, the human listing of
 * unmatched licenses with the command that matches them, exit codes, and a SIGKILL in the
 * middle of an import that must leave whole batches only, finished by a rerun.
 */
const VENDOR = 'ResellerCo';
const USER = 'kf-cli-import';
const PASSWORD = 'Cli+Imp0rt!';
const TOTAL = 2_000;
const BATCH = 500;

let qlm: QlmSimulator;
const homes: string[] = [];
let keys: string[] = [];

function newHome(): string {
  const home = tempDir();
  homes.push(home);
  return home;
}

async function addSource(home: string): Promise<void> {
  const r = await runCli(['source', 'add', 'qlm', '--kind', 'qlm', '--url', qlm.baseUrl, '--vendor', VENDOR, '--user', USER, '--secret-stdin', '--json'], { home, stdin: `${PASSWORD}\n` });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

function storedQlm(home: string): Array<{ key: string; origin: string; clientId?: string }> {
  const file = path.join(home, STORE_FILE);
  if (!fs.existsSync(file)) return [];
  return (JSON.parse(fs.readFileSync(file, 'utf8')).licenses as Array<{ vendor: string; key: string; origin: string; clientId?: string }>).filter((l) => l.vendor === 'qlm');
}

beforeAll(async () => {
  qlm = await startQlmSimulator({ flavor: 'asmx', vendor: VENDOR, user: USER, password: PASSWORD, products: { 1: 'CallCentre Pro' }, listDelayMs: 150 });
  keys = qlm.seedLicenses(TOTAL, (i) => ({ userCompany: i < 5 ? 'Acme Telecom' : `Customer ${i}`, userEmail: i === 5 ? 'noc@globex.test' : `it@customer${i}.test` }));
});
afterAll(async () => {
  await qlm.close();
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

describe('keyfleet qlm import', () => {
  it(`imports ${TOTAL} licenses in batches of ${BATCH}, one store write each (the measured figure)`, async () => {
    const home = newHome();
    await addSource(home);
    expect((await runCli(['client', 'add', 'Acme Telecom', '--json'], { home })).code).toBe(0);
    expect((await runCli(['client', 'add', 'Globex', '--email', 'NOC@globex.test', '--json'], { home })).code).toBe(0);
    // Each store write is a temp file renamed over the store: count the distinct temp files.
    const temps = new Set<string>();
    const watcher = fs.watch(home, (_e, name) => {
      if (name && name.startsWith(`.${STORE_FILE}.`) && name.endsWith('.tmp')) temps.add(name);
    });
    const started = performance.now();
    const r = await runCli(['qlm', 'import', '--source', 'qlm', '--json'], { home });
    const wallMs = performance.now() - started;
    watcher.close();
    const writes = temps.size;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ imported: TOTAL, updated: 0, matched: 6, batches: TOTAL / BATCH });
    expect(r.json.unmatched).toHaveLength(TOTAL - 6);
    expect(r.json.unmatched[0]).toMatchObject({ key: keys[6], company: 'Customer 6', email: 'it@customer6.test' });
    const stored = storedQlm(home);
    expect(stored).toHaveLength(TOTAL);
    expect(stored.every((l) => l.origin === 'qlm-server')).toBe(true);
    expect(writes).toBe(TOTAL / BATCH);
    console.log(`[figure] qlm import of ${TOTAL} licenses through the CLI: ${wallMs.toFixed(0)} ms wall, ${r.json.durationMs} ms in the import itself (server pages delayed 150 ms each), ${r.json.batches} store commits, ${writes} store temp files seen`);

    // Human output: the unmatched listed with the command that matches them; exit 0.
    const again = await runCli(['qlm', 'import', '--source', 'qlm'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 imported, 0 updated, 2000 unchanged; 6 matched to a client, 1994 unmatched/);
    expect(again.stdout).toContain(`${keys[6]}  Customer 6  it@customer6.test`);
    expect(again.stdout).toMatch(/keyfleet qlm match --client CLIENT --company "Customer 6"/);
    expect(storedQlm(home)).toHaveLength(TOTAL);

    // Matching through the CLI: remembered, and the license assigned.
    const m = await runCli(['qlm', 'match', '--client', 'Globex', '--company', 'customer 6', '--json'], { home });
    expect(m.code, m.stdout + m.stderr).toBe(0);
    expect(m.json).toMatchObject({ client: { name: 'Globex' }, alias: 'customer 6', assigned: 1 });
    const third = await runCli(['qlm', 'import', '--source', 'qlm', '--filter', "Company='Customer 6'", '--json'], { home });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.json).toMatchObject({ matched: 1, unmatched: [] });
  });

  it('a SIGKILL after the first batch is committed leaves whole batches only; a rerun completes without duplicates', async () => {
    for (const kill of [{ at: 'write-done', nth: 1, delayMs: 0 }, { at: 'write-start', nth: 2 }] as const) {
      const home = newHome();
      await addSource(home);
      const killed = await runAndKill(['qlm', 'import', '--source', 'qlm'], { home, kill });
      // The harness reached the phase: killed by us, after at least one batch, before the end.
      expect(killed.killed, killed.run.stdout + killed.run.stderr).toBe(true);
      const after = storedQlm(home);
      expect(after.length).toBeGreaterThanOrEqual(BATCH);
      expect(after.length).toBeLessThan(TOTAL);
      expect(after.length % BATCH).toBe(0);
      expect(after.map((l) => l.key)).toEqual(keys.slice(0, after.length));
      const batchEvents = fs
        .readFileSync(path.join(home, JOURNAL_FILE), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; outcome: string })
        .filter((e) => e.action === 'qlm.import');
      expect(batchEvents.some((e) => e.outcome === 'ok')).toBe(false);

      const rerun = await runCli(['qlm', 'import', '--source', 'qlm', '--json'], { home });
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(rerun.json).toMatchObject({ imported: TOTAL - after.length, unchanged: after.length, updated: 0 });
      const final = storedQlm(home);
      expect(final).toHaveLength(TOTAL);
      expect(new Set(final.map((l) => l.key)).size).toBe(TOTAL);
    }
  });

  it('listing off: exits 1 naming the property when nothing can be read instead, else reads the recorded keys and says so; 2 on bad usage', async () => {
    const home = newHome();
    await addSource(home);
    qlm.setDisabled(['GetLicensesHttp']);
    try {
      const r = await runCli(['qlm', 'import', '--source', 'qlm', '--json'], { home });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.json.error.code).toBe('DENIED');
      expect(r.json.error.message).toMatch(/enableGetLicensesHttp.*QLM Management Console/);
      expect(storedQlm(home)).toHaveLength(0);

      // With a key Keyfleet recorded for this server, that key is read instead: exit 0, and said.
      const created = await runCli(['qlm', 'create', '--source', 'qlm', '--product', '1', '--major', '5', '--minor', '0', '--expires', '2027-04-04', '--json'], { home });
      expect(created.code, created.stdout + created.stderr).toBe(0);
      const key = created.json.licenses[0].key as string;
      qlm.alter(key, { expiresAt: new Date(Date.UTC(2028, 3, 4, 23, 59)), userCompany: 'Late Co' });
      const human = await runCli(['qlm', 'import', '--source', 'qlm'], { home });
      expect(human.code, human.stdout + human.stderr).toBe(0);
      expect(human.stdout).toMatch(/0 imported, 1 updated/);
      expect(human.stdout).toMatch(/warning: GetLicensesHttp is disabled .*only the 1 key\(s\) Keyfleet already records were read.*enableGetLicensesHttp in the QLM Management Console/);
      expect(human.stdout).toMatch(/keyfleet qlm match --client CLIENT --company "Late Co"/);
      expect(storedQlm(home)).toEqual([expect.objectContaining({ key, origin: 'qlm' })]);
      const json = await runCli(['qlm', 'import', '--source', 'qlm', '--json'], { home });
      expect(json.json).toMatchObject({ fallback: 'validate', unchanged: 1, unmatched: [{ key, company: 'Late Co' }] });
    } finally {
      qlm.setDisabled([]);
    }
    for (const args of [['qlm', 'import'], ['qlm', 'import', '--source', 'qlm', '--batch-size', '0'], ['qlm', 'import', '--source', 'qlm', '--format', 'csv'], ['qlm', 'match', '--client', 'X']]) {
      const r = await runCli([...args, '--json'], { home });
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
    }
    const wrong = await runCli(['qlm', 'import', '--source', 'qlm', '--filter', 'NoSuchColumn=1', '--json'], { home });
    expect(wrong.code).toBe(1);
    expect(wrong.json.error.message).toMatch(/Invalid column name 'NoSuchColumn'/);
  });
});
