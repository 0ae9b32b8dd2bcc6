// Long by design: the three crash scenarios share one seeded kill schedule, the phase statistics and the checks made after every kill.
import { afterAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cliSession, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startWebitelSimulator, type WebitelSim } from '../vendors/webitel/simulator.ts';
import { addPpks } from '../../electron/core/vendors/queuemetrics/ppk-stock.ts';
import { Journal } from '../../electron/core/store/journal.ts';
import { chooseKillPoint, describeKillPoint, formatSummary, killPhase, measureRun, missingPhases, newStats, runAndKill, seededRandom, type KilledRun, type ScenarioStats } from './crash-harness.ts';
import { startLatencyProxy, type LatencyProxy } from './crash-latency-proxy.ts';
import {
  classifyServerKeys,
  expectIdempotentReplay,
  expectPpksAgreeWithServer,
  expectReferencesHold,
  loadStore,
  openInProcess,
  ppkRequestsInLog,
  recoveredCounts,
  startInProcess,
  storeBytes,
  tempFiles,
} from './crash-invariants.ts';

/**
 * Crash safety: the real `keyfleet` command is SIGKILLed at random points of a bulk activation,
 * a fleet refresh and a CSV import: half at uniformly random times of a measured full run, the
 * rest as a store write begins or just after one is done (seen with inotify), so kills land
 * before, during and after commits; each scenario fails if a phase got none. After every kill the
 * files it left are checked: the store loads, every key the key server gave is in the store or
 * the receipts journal and is in the store after one start, no PPK is spent on the server yet
 * unrecorded here (a key whose answer the kill left unread must have a durable conversion
 * request naming its end-user, and is recovered by converting again for them), replay is
 * idempotent, an import is all or nothing, references between instances, licenses and clients
 * hold, and the next start removes the temp files a kill left.
 *
 * CRASH_SEED=n replays a kill schedule; CRASH_KILLS=n sets every scenario's number of kills.
 */
const SEED = Number(process.env.CRASH_SEED ?? crypto.randomInt(1, 2 ** 31));
const random = seededRandom(SEED);
const KILLS = process.env.CRASH_KILLS ? { activation: Number(process.env.CRASH_KILLS), refresh: Number(process.env.CRASH_KILLS), csv: Number(process.env.CRASH_KILLS) } : { activation: 70, refresh: 65, csv: 65 };
const stats: Record<string, ScenarioStats> = { 'bulk activation': newStats(), refresh: newStats(), 'csv import': newStats() };
const DAY = 86_400_000;
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const TOKEN = 'wt-crash-token-0123456789';

afterAll(() => {
  // The summary the issue asks for, once for the whole file.
  console.log(formatSummary(SEED, stats));
});

/** Count the kill, the phase of the store writes it cut, and whether it left temp files. */
function noteKill(s: ScenarioStats, r: KilledRun, home: string, before: { bytes: string; temps: number }): void {
  if (!r.killed) return;
  s.kills++;
  s.phases[killPhase(home, r, before.bytes, storeBytes(home))]++;
  if (tempFiles(home).length > before.temps) s.leftoverTempFiles++;
}

/** The next start removed every temp file an interrupted write left beside the store. */
function expectNoTempFiles(home: string, label: string): void {
  expect(tempFiles(home), `${label}: temp files still there after the next start`).toEqual([]);
}

/** Each phase of the store writes got at least one kill. */
function expectEveryPhase(s: ScenarioStats, name: string): void {
  expect(missingPhases(s), `${name}: no kill landed in these phases of the store writes (${JSON.stringify(s.phases)})`).toEqual([]);
}

/**
 * After a run (killed or not): the files are checked before any start, then one start replays
 * the receipts (through the CLI whenever there is something to replay, and on every fourth
 * kill anyway; otherwise the same openContext in-process, which is what a CLI start runs),
 * then the replay is checked and shown idempotent. Returns how many receipts were replayed.
 */
async function checkKeysAfterRun(home: string, loway: LowaySimulator, r: KilledRun, n: number, label: string, s: ScenarioStats, seenInFlight: Set<string>): Promise<number> {
  const { pendingKeys, inFlight } = classifyServerKeys(home, loway.conversions, label);
  for (const ppk of inFlight) {
    if (seenInFlight.has(ppk)) continue;
    seenInFlight.add(ppk);
    s.inFlight++;
    if (r.killedAt) s.maxInFlightAgeMs = Math.max(s.maxInFlightAgeMs, r.killedAt - loway.conversions.get(ppk)!.issued.getTime());
  }
  const before = recoveredCounts(home).length;
  if (pendingKeys.length > 0 || n % 4 === 0) {
    const start = await runCli(['licenses', '--json'], { home });
    expect(start.code, `${label}: keyfleet licenses after the kill: ${start.stdout}${start.stderr}`).toBe(0);
    const listed = new Set((start.json.licenses as Array<{ key: string }>).map((l) => l.key));
    // What the first start printed already comes from the replayed store.
    const replayed = loadStore(home);
    for (const key of pendingKeys) {
      if (replayed.licenses.find((l) => l.key === key)?.status !== 'superseded') expect(listed.has(key), `${label}: recovered key listed by the first start`).toBe(true);
    }
  } else {
    startInProcess(home);
  }
  const recovered = recoveredCounts(home).slice(before);
  expect(recovered, `${label}: key.recovered events of the first start (${pendingKeys.length} receipt(s) were pending)`).toEqual(pendingKeys.length ? [pendingKeys.length] : []);
  const data = loadStore(home);
  expectPpksAgreeWithServer(data, loway.conversions, new Set(inFlight), label);
  expectReferencesHold(data, label);
  expectIdempotentReplay(home, label);
  return recovered[0] ?? 0;
}

describe('crash safety under SIGKILL', () => {
  it(`bulk activation: ${KILLS.activation} kills`, { timeout: 300_000 }, async () => {
    const s = stats['bulk activation']!;
    const home = tempDir('kf-crash-act-');
    const loway = await startLowaySimulator();
    const sims = await Promise.all([0, 1, 2, 3, 4].map(() => startQmSimulator({ key: OLD_KEY, restartMs: 150 })));
    const names = sims.map((_, i) => `qm-${i}`);
    // Two clients, so a PPK spent for one could wrongly be handed to the other after a crash.
    const clientOf = (i: number) => (i < 3 ? 'Crashco' : 'Othercorp');
    try {
      const setup = async (args: string[], stdin?: string) => {
        const r = await runCli([...args, '--json'], { home, ...(stdin ? { stdin } : {}) });
        expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      };
      await setup(['client', 'add', 'Crashco', '--email', 'ops@crashco.test']);
      await setup(['client', 'add', 'Othercorp', '--email', 'ops@othercorp.test']);
      await setup(['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url, '--email', 'keys@reseller.test']);
      await setup(['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n');
      for (const [i, sim] of sims.entries()) await setup(['instance', 'add', names[i]!, '--kind', 'queuemetrics', '--url', sim.baseUrl, '--client', clientOf(i), '--credential', 'ku']);

      let serial = 0;
      const args = ['ppk', 'activate-many', ...names.flatMap((n) => ['--instance', n]), '--yes'];
      // Re-arm: top the stock up so every instance has a fresh PPK to spend. A PPK whose
      // conversion request was cut off is held for its end-user and is not counted as stock.
      const restock = () => {
        const ctx = openInProcess(home);
        const held = ppkRequestsInLog(home);
        const usable = ctx.store.data.ppks.filter((p) => p.state === 'in-stock' && !held.has(p.ppk)).length;
        const fresh = Array.from({ length: Math.max(0, names.length - usable) }, () => `XQI-LOWAY-CRASH${String(++serial).padStart(6, '0')}:QM-10/1/30`);
        if (fresh.length) expect(addPpks(ctx, fresh.join('\n')).added).toBe(fresh.length);
        return { args };
      };
      const shape = await measureRun(restock, {
        home,
        expectOk: (run) => expect(run.json, run.stdout + run.stderr).toMatchObject({ ok: names.length, failed: 0 }),
      });
      s.shape = shape;

      const seenInFlight = new Set<string>();
      for (let round = 0; s.kills < KILLS.activation; round++) {
        expect(round, 'too few kill points landed inside a run').toBeLessThan(KILLS.activation * 3);
        restock();
        const before = { bytes: storeBytes(home), temps: tempFiles(home).length };
        const kill = chooseKillPoint(round, shape, random);
        const label = `bulk activation round ${round}, ${describeKillPoint(kill, shape)} (CRASH_SEED=${SEED})`;
        const r = await runAndKill(args, { home, kill });
        s.runs++;
        noteKill(s, r, home, before);
        // Finished first: an instance still restarting from the previous round may fail (exit 1), nothing else.
        if (!r.killed) expect([0, 1], `${label}: ${r.run.stdout}${r.run.stderr}`).toContain(r.run.code);
        const recovered = await checkKeysAfterRun(home, loway, r, s.kills, label, s, seenInFlight);
        expectNoTempFiles(home, label);
        if (recovered > 0) s.recoveries++;
        s.maxRecovered = Math.max(s.maxRecovered, recovered);
      }

      // Keys cut off in flight and not yet picked up again by a later activation for the same
      // client: converting the PPK again for the end-user it was sent for gives the same key.
      const data = loadStore(home);
      for (const [ppk, c] of loway.conversions) {
        if (data.ppks.find((p) => p.ppk === ppk)?.state !== 'in-stock') continue;
        const again = await runCli(['ppk', 'convert', ppk, '--enduser', c.enduser, '--email', 'keys@reseller.test', '--json'], { home });
        expect(again.code, `re-converting in-flight ${ppk}: ${again.stdout}`).toBe(0);
        expect(again.json.license.key, `re-converting in-flight ${ppk}`).toBe(c.key);
      }
      // Every PPK the server converted is known here, with its key and its end-user, after all the kills.
      const after = loadStore(home);
      for (const [ppk, c] of loway.conversions) expect(after.ppks.find((p) => p.ppk === ppk)?.conversion, ppk).toMatchObject({ key: c.key, enduser: c.enduser });
      expectEveryPhase(s, 'bulk activation');
    } finally {
      await loway.close();
      await Promise.all(sims.map((sim) => sim.close()));
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('a PPK whose conversion was cut off is held for the end-user it was sent for', { timeout: 60_000 }, async () => {
    const home = tempDir('kf-crash-held-');
    const loway = await startLowaySimulator({ mode: 'hang' });
    const qm = await startQmSimulator({ key: OLD_KEY, restartMs: 100 });
    try {
      const { run, setUp } = cliSession(home);
      await setUp([
        [['client', 'add', 'Crashco', '--email', 'ops@crashco.test']],
        [['client', 'add', 'Othercorp', '--email', 'ops@othercorp.test']],
        [['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url, '--email', 'keys@reseller.test']],
        [['instance', 'add', 'qm-other', '--kind', 'queuemetrics', '--url', qm.baseUrl, '--client', 'Othercorp', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n'],
        [['ppk', 'add', 'XQI-LOWAY-HELD00000001:QM-10/1/30', 'XQI-LOWAY-SPARE0000002:QM-10/1/30']],
      ]);
      const HELD = 'XQI-LOWAY-HELD00000001:QM-10/1/30';
      // Killed while the key server holds the request: nobody can know whether it converted.
      let pid = 0;
      const pending = runCli(['ppk', 'convert', HELD, '--enduser', 'Crashco', '--email', 'ops@crashco.test', '--json'], { home, onSpawn: (p) => (pid = p) });
      for (let i = 0; loway.requests.length === 0; i++) {
        expect(i, 'the conversion request never reached the key server').toBeLessThan(400);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      process.kill(pid, 'SIGKILL');
      expect((await pending).signal).toBe('SIGKILL');
      expect(ppkRequestsInLog(home).get(HELD)).toBe('Crashco');
      loway.setMode('ok');

      // Another client's activation does not take the held PPK; it takes the spare one.
      const other = await run(['ppk', 'activate', '--instance', 'qm-other', '--yes']);
      expect(other.code, other.stdout + other.stderr).toBe(0);
      expect(other.json.ppk).toBe('XQI-LOWAY-SPARE0000002:QM-10/1/30');
      // Named explicitly for someone else: refused before anything is sent.
      const requests = loway.requests.length;
      const wrong = await run(['ppk', 'convert', HELD, '--enduser', 'Othercorp', '--email', 'ops@othercorp.test']);
      expect(wrong.code).toBe(2);
      expect(wrong.json.error.code).toBe('CONFLICT');
      expect(wrong.json.error.message).toContain('"Crashco"');
      expect(loway.requests.length).toBe(requests);
      // For the end-user it was sent for, it converts (on a real server: the same key again).
      const right = await run(['ppk', 'convert', HELD, '--enduser', 'Crashco', '--email', 'ops@crashco.test']);
      expect(right.code, right.stdout).toBe(0);
      expect(right.json.license.key).toBe(loway.conversions.get(HELD)!.key);
      const stored = loadStore(home).ppks.find((p) => p.ppk === HELD)!;
      expect(stored).toMatchObject({ state: 'converted', conversion: { enduser: 'Crashco', key: right.json.license.key } });
    } finally {
      await loway.close();
      await qm.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it(`refresh: ${KILLS.refresh} kills`, { timeout: 240_000 }, async () => {
    const s = stats.refresh!;
    const home = tempDir('kf-crash-refresh-');
    const sims: WebitelSim[] = await Promise.all([0, 1, 2, 3].map(() => startWebitelSimulator({ token: TOKEN })));
    // Internet-like latency, so a refresh spans several store batches.
    // One proxy (one endpoint) per instance: one server is one instance, so each has its own.
    const proxies: LatencyProxy[] = await Promise.all(Array.from({ length: 120 }, (_, i) => startLatencyProxy(sims[i % sims.length]!.url, 50)));
    try {
      // 120 Webitel instances over four servers, and 8 that are down (connection refused).
      const rows = ['name,kind,url,client'];
      for (let i = 0; i < 120; i++) rows.push(`wt-${i},webitel,${proxies[i]!.url},Fleet ${i % 7}`);
      // Ports 1-8: nothing listens there.
      for (let i = 0; i < 8; i++) rows.push(`wt-down-${i},webitel,http://127.0.0.1:${i + 1},Fleet down`);
      const csv = path.join(home, 'fleet.csv');
      fs.writeFileSync(csv, rows.join('\n'));
      const imported = await runCli(['instance', 'import', csv, '--secret-stdin', '--json'], { home, stdin: `${TOKEN}\n` });
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(imported.json.imported).toBe(128);
      const instanceIds = new Set(loadStore(home).instances.map((i) => i.id));

      const args = ['refresh'];
      let round = 0;
      // Re-arm: the servers now report something new, so each refresh has something to write.
      const rearm = () => {
        for (const sim of sims) sim.state.licenses[1]!.notAfter += DAY;
        if (round % 5 === 0) sims[0]!.state.licenses[9]!.id = crypto.randomBytes(16).toString('hex');
        return { args };
      };
      const shape = await measureRun(rearm, {
        home,
        expectOk: (run) => {
          expect(run.code, run.stdout + run.stderr).toBe(1);
          expect(run.json).toMatchObject({ checked: 128, ok: 120, failed: 8 });
        },
      });
      s.shape = shape;

      for (; s.kills < KILLS.refresh; round++) {
        expect(round, 'too few kill points landed inside a run').toBeLessThan(KILLS.refresh * 3);
        rearm();
        const before = { bytes: storeBytes(home), temps: tempFiles(home).length };
        const kill = chooseKillPoint(round, shape, random);
        const label = `refresh round ${round}, ${describeKillPoint(kill, shape)} (CRASH_SEED=${SEED})`;
        const r = await runAndKill(args, { home, kill });
        s.runs++;
        noteKill(s, r, home, before);
        if (!r.killed) {
          expect(r.run.code, `${label}: ${r.run.stdout}${r.run.stderr}`).toBe(1);
          expect(r.run.json).toMatchObject({ checked: 128, ok: 120, failed: 8 });
        }
        const data = loadStore(home);
        expect(new Set(data.instances.map((i) => i.id)), `${label}: the instances`).toEqual(instanceIds);
        expectReferencesHold(data, label);
        for (const l of data.licenses) expect(l.instanceId, `${label}: a license read from an instance names it`).toBeDefined();
        // The next start loads it, and the event log reads (a torn last line is skipped, not fatal).
        expect(startInProcess(home).instances.length, label).toBe(instanceIds.size);
        expectNoTempFiles(home, label);
        if (s.kills % 4 === 0) {
          const log = new Journal(home).read();
          for (const w of log.warnings) expect(w, label).toMatch(/torn last line|unreadable line skipped/);
        }
      }
      // After all that, a refresh completes and the CLI reads everything back.
      const last = await runCli(['refresh', '--json'], { home });
      expect(last.json).toMatchObject({ checked: 128, ok: 120, failed: 8 });
      const history = await runCli(['history', '--json'], { home });
      expect(history.code, history.stdout).toBe(0);
      expectEveryPhase(s, 'refresh');
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
      await Promise.all(sims.map((sim) => sim.close()));
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it(`CSV import: ${KILLS.csv} kills`, { timeout: 240_000 }, async () => {
    const s = stats['csv import']!;
    const home = tempDir('kf-crash-csv-');
    const ROWS = 400;
    try {
      expect((await runCli(['client', 'add', 'Acme', '--json'], { home })).code).toBe(0);
      const csvFor = (batch: number): string => {
        const file = path.join(home, `batch-${batch}.csv`);
        if (!fs.existsSync(file)) {
          const rows = ['name,kind,url,client,user'];
          for (let i = 0; i < ROWS; i++) {
            const kind = i % 2 ? 'webitel' : 'queuemetrics';
            const client = i % 3 === 0 ? 'Acme' : `Batch ${batch} client ${i % 4}`;
            rows.push(`csv-${batch}-${i},${kind},https://h${i}.b${batch}.example/${kind === 'queuemetrics' ? 'queuemetrics' : ''},${client},keyupdater`);
          }
          fs.writeFileSync(file, rows.join('\n'));
        }
        return file;
      };
      // Every other batch with a shared credential, so the keychain step is inside the window too.
      const argsFor = (batch: number) => ({ args: ['instance', 'import', csvFor(batch), ...(batch % 2 ? ['--secret-stdin'] : [])], stdin: batch % 2 ? 'csv-shared-secret\n' : '' });

      let batch = 0;
      const shape = await measureRun(() => argsFor(batch++), {
        home,
        expectOk: (run) => expect(run.json, run.stdout + run.stderr).toMatchObject({ imported: ROWS, errors: [] }),
      });
      s.shape = shape;

      for (let round = 0; s.kills < KILLS.csv; round++) {
        expect(round, 'too few kill points landed inside a run').toBeLessThan(KILLS.csv * 3);
        // A batch that was not imported is run again as it is, as a person would after a crash.
        const { args, stdin } = argsFor(batch);
        const before = loadStore(home);
        const files = { bytes: storeBytes(home), temps: tempFiles(home).length };
        const kill = chooseKillPoint(round, shape, random);
        const label = `CSV import of batch ${batch}, round ${round}, ${describeKillPoint(kill, shape)} (CRASH_SEED=${SEED})`;
        const r = await runAndKill(args, { home, stdin, kill });
        s.runs++;
        noteKill(s, r, home, files);
        if (!r.killed) expect(r.run.json, `${label}: ${r.run.stdout}${r.run.stderr}`).toMatchObject({ imported: ROWS, errors: [] });
        const data = loadStore(home);
        const mine = data.instances.filter((i) => i.name.startsWith(`csv-${batch}-`));
        const newClients = data.clients.filter((c) => c.name.startsWith(`Batch ${batch} client`));
        const newCredentials = data.credentials.filter((c) => !before.credentials.some((b) => b.id === c.id));
        // All or nothing: every row with its clients (and shared credential), or no trace at all.
        if (mine.length === 0) {
          expect(newClients, `${label}: clients of a batch that was not imported`).toEqual([]);
          expect(newCredentials, `${label}: credential of a batch that was not imported`).toEqual([]);
          expect(data.instances.length, label).toBe(before.instances.length);
        } else {
          expect(mine.length, `${label}: a half import`).toBe(ROWS);
          expect(newClients.length, `${label}: clients of the batch`).toBe(4);
          expect(data.instances.length, label).toBe(before.instances.length + ROWS);
          if (batch % 2) {
            expect(newCredentials.length, `${label}: the shared credential`).toBe(1);
            for (const inst of mine) expect(inst.secret, `${label}: ${inst.name}`).toEqual({ type: 'shared', credentialId: newCredentials[0]!.id });
          } else {
            expect(newCredentials, label).toEqual([]);
          }
          batch++;
        }
        expectReferencesHold(data, label);
        expect(startInProcess(home).instances.length, `${label}: the next start`).toBe(data.instances.length);
        expectNoTempFiles(home, label);
      }
      expectEveryPhase(s, 'CSV import');
      // The batch in hand imports cleanly: a killed import left nothing behind to trip over.
      const { args, stdin } = argsFor(batch);
      const retry = await runCli([...args, '--json'], { home, stdin });
      expect(retry.json, retry.stdout + retry.stderr).toMatchObject({ imported: ROWS, errors: [] });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
