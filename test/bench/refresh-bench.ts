import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, type StoreData } from '../../electron/core/store/schema.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';
import { UNATTENDED_BATCHING } from '../../electron/core/services/refresh.ts';
import { BENCH_QM_LOGIN, BENCH_QM_PASSWORD, benchKeyFor, buildFleet, writeFleetStore } from './fleet-store.ts';
import { median, runKeyfleet, type ProcessRun } from './measure.ts';
import { startQmFleetSim, type QmFleetSim } from './qm-fleet-sim.ts';
import { mb, ms, ratio, textTable, type BenchOptions, type BenchSection, type SectionReport, type TargetCheck } from './report.ts';

/**
 * Bulk refresh through the real `keyfleet refresh` command against QueueMetrics XML-RPC
 * simulators with a fixed latency, spread over many host:port pairs so the per-host limit is
 * exercised. The sequential baseline is the same command with one request at a time: what a
 * shell loop of single reads would do, minus its process start per key.
 */

/**
 * Simulated vendor hosts: 16 × the per-host limit of 2 is the global limit of 32, so every
 * host is kept at its limit and the global limit is what bounds the refresh.
 */
const HOSTS = 16;
/** The crowded case: many instances on very few hosts, where the per-host limit must hold back the scheduler. */
const CROWDED = { instances: 200, hosts: 2 };
const LICENSES_PER_INSTANCE = 4;
const SEQUENTIAL_N = 100;

interface RefreshJson {
  checked: number;
  ok: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
  storeWrites?: number;
  failures: Array<{ instance: string; error: { code: string; message: string } }>;
}

export interface RefreshRun {
  json: RefreshJson;
  process: ProcessRun;
  maxPerHost: number;
  maxTotal: number;
  requests: number;
  /** keyfleet.json replaced, as inotify saw it. */
  renames: number;
}

/** One `keyfleet refresh --json` on a fresh copy of `fleet`, checked and measured (also used by the wire section). */
export async function refreshOnce(bin: string, sim: QmFleetSim, home: string, fleet: StoreData, args: string[]): Promise<RefreshRun> {
  // A fresh copy each time, so every run starts from the same never-checked fleet.
  fs.rmSync(home, { recursive: true, force: true });
  writeFleetStore(home, fleet);
  sim.resetStats();
  // Store writes counted from outside too: every atomic write renames a finished file onto keyfleet.json.
  let renames = 0;
  const watcher = fs.watch(home, (event, name) => {
    if (event === 'rename' && name === STORE_FILE) renames++;
  });
  const run = await runKeyfleet(bin, home, ['refresh', '--json', ...args]);
  await new Promise((r) => setTimeout(r, 100));
  watcher.close();
  let json: RefreshJson;
  try {
    json = JSON.parse(run.stdout) as RefreshJson;
  } catch {
    throw new Error(`keyfleet refresh printed no JSON (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
  }
  if (run.code !== 0 || json.failed > 0 || json.checked !== fleet.instances.length) {
    const sample = json.failures?.slice(0, 3).map((f) => `${f.instance}: ${f.error.code} ${f.error.message}`).join('; ');
    throw new Error(`keyfleet refresh did not check every instance (exit ${run.code}, checked ${json.checked}/${fleet.instances.length}, failed ${json.failed}): ${sample ?? run.stderr.slice(0, 300)}`);
  }
  verifyStore(home, fleet);
  const s = sim.stats();
  return { json, process: run, maxPerHost: s.maxPerHost, maxTotal: s.maxTotal, requests: s.requests, renames };
}

/** The readings really reached the store: every instance checked, its key recognised. */
function verifyStore(home: string, fleet: StoreData): void {
  const data = JSON.parse(fs.readFileSync(path.join(home, STORE_FILE), 'utf8')) as StoreData;
  const bad = data.instances.filter((i, n) => !i.lastCheck?.ok || i.snapshot?.key !== benchKeyFor(n) || i.drift !== 'none');
  if (data.instances.length !== fleet.instances.length || bad.length > 0) {
    throw new Error(`after the refresh ${bad.length} of ${data.instances.length} instances lack a good reading in ${STORE_FILE} (first: ${JSON.stringify(bad[0]?.lastCheck)})`);
  }
}

/**
 * The batching promise of `keyfleet refresh` (UNATTENDED_BATCHING): a write 5 s after the first
 * result that waits, and one at the end. So no more than one per 5 s, plus the last.
 */
function writeBound(_n: number, durationMs: number): number {
  return Math.ceil(durationMs / UNATTENDED_BATCHING.batchIntervalMs) + 1;
}

export const refreshSection: BenchSection = {
  name: 'refresh',
  title: 'Bulk refresh (keyfleet refresh) against QueueMetrics XML-RPC simulators',
  async run(opts: BenchOptions): Promise<SectionReport> {
    const concurrency = DEFAULT_SETTINGS.refreshConcurrency;
    const perHost = DEFAULT_SETTINGS.perHostConcurrency;
    const sim = await startQmFleetSim({ ports: HOSTS, latencyMs: opts.latencyMs, login: BENCH_QM_LOGIN, password: BENCH_QM_PASSWORD, keyFor: benchKeyFor });
    const fleetOf = (n: number) => buildFleet({ instances: n, licensesPerInstance: LICENSES_PER_INSTANCE, hostFor: sim.hostFor });
    const home = path.join(opts.tmp, 'refresh');
    try {
      opts.log(`sequential baseline: ${SEQUENTIAL_N} instances, one request at a time`);
      const seqFleet = fleetOf(SEQUENTIAL_N);
      const seqRuns: RefreshRun[] = [];
      for (let r = 0; r < Math.min(opts.runs, 3); r++) seqRuns.push(await refreshOnce(opts.bin, sim, home, seqFleet, ['--concurrency', '1', '--per-host', '1']));
      const seqPerInstance = median(seqRuns.map((r) => r.json.durationMs)) / SEQUENTIAL_N;

      const rows: Array<Array<string | number>> = [];
      const targets: TargetCheck[] = [];
      let maxPerHostSeen = 0;
      for (const n of opts.sizes) {
        const fleet = fleetOf(n);
        const runs: RefreshRun[] = [];
        for (let r = 0; r < opts.runs; r++) {
          opts.log(`refresh of ${n} instances, run ${r + 1}/${opts.runs}`);
          runs.push(await refreshOnce(opts.bin, sim, home, fleet, []));
        }
        const refreshMs = median(runs.map((r) => r.json.durationMs));
        const cliMs = median(runs.map((r) => r.process.wallMs));
        const cpu = runs.every((r) => r.process.cpuMs !== null) ? ms(median(runs.map((r) => r.process.cpuMs!))) : '—';
        const ideal = Math.ceil(n / concurrency) * opts.latencyMs;
        const sequential = seqPerInstance * n;
        const writes = Math.max(...runs.map((r) => r.renames));
        const reported = runs.every((r) => r.json.storeWrites === r.renames) ? '' : ` [CLI said ${runs.map((r) => r.json.storeWrites ?? '—').join('/')}]`;
        const bound = writeBound(n, Math.max(...runs.map((r) => r.json.durationMs)));
        const rss = runs.map((r) => r.process.peakRssMb).reduce<number | null>((a, b) => (b === null ? a : Math.max(a ?? 0, b)), null);
        const maxPerHost = Math.max(...runs.map((r) => r.maxPerHost));
        const maxTotal = Math.max(...runs.map((r) => r.maxTotal));
        maxPerHostSeen = Math.max(maxPerHostSeen, maxPerHost);
        rows.push([
          n.toLocaleString('en-US'),
          ms(refreshMs),
          ms(ideal),
          ratio(refreshMs / ideal),
          `${n === SEQUENTIAL_N ? '' : '~'}${ms(sequential)}`,
          ratio(sequential / refreshMs),
          ms(cliMs),
          ratio(cliMs / ideal),
          cpu,
          `${writes} (≤ ${bound})${reported}`,
          mb(rss),
          `${maxPerHost} / ${maxTotal}`,
        ]);
        if (n === 1000) {
          targets.push({ name: 'refresh 1,000 instances vs ideal', value: ratio(refreshMs / ideal), target: '≤ 1.30×', met: refreshMs / ideal <= 1.3 });
          targets.push({ name: 'refresh 1,000 instances vs sequential loop', value: `${(sequential / refreshMs).toFixed(1)}× faster`, target: '≥ 25× faster', met: sequential / refreshMs >= 25 });
        }
        if (n === 5000) targets.push({ name: 'CLI peak RSS, 5,000-instance refresh', value: mb(rss), target: '< 250 MB', met: rss !== null && rss < 250 });
        targets.push({ name: `store writes, ${n.toLocaleString('en-US')} instances`, value: String(writes), target: `≤ ${bound}, not ${n}`, met: writes <= bound });
      }

      opts.log(`crowded hosts: ${CROWDED.instances} instances on ${CROWDED.hosts} hosts`);
      const crowdedFleet = buildFleet({ instances: CROWDED.instances, licensesPerInstance: LICENSES_PER_INSTANCE, hostFor: (n) => sim.hostFor(n % CROWDED.hosts) });
      const crowdedRuns: RefreshRun[] = [];
      for (let r = 0; r < Math.min(opts.runs, 2); r++) crowdedRuns.push(await refreshOnce(opts.bin, sim, home, crowdedFleet, []));
      const crowdedMs = median(crowdedRuns.map((r) => r.json.durationMs));
      const crowdedIdeal = Math.ceil(CROWDED.instances / Math.min(concurrency, CROWDED.hosts * perHost)) * opts.latencyMs;
      const crowdedPerHost = Math.max(...crowdedRuns.map((r) => r.maxPerHost));
      maxPerHostSeen = Math.max(maxPerHostSeen, crowdedPerHost);
      const crowdedTable = textTable(
        ['INSTANCES', 'HOSTS', 'REFRESH', 'IDEAL', 'RATIO', 'MAX/HOST / TOTAL'],
        [[CROWDED.instances, CROWDED.hosts, ms(crowdedMs), ms(crowdedIdeal), ratio(crowdedMs / crowdedIdeal), `${crowdedPerHost} / ${Math.max(...crowdedRuns.map((r) => r.maxTotal))}`]],
      );
      targets.push({ name: 'per-host limit (max requests in flight on one host)', value: String(maxPerHostSeen), target: `≤ ${perHost}`, met: maxPerHostSeen <= perHost });

      const table = textTable(
        ['INSTANCES', 'REFRESH', 'IDEAL', 'RATIO', 'SEQUENTIAL', 'SPEEDUP', 'CLI WALL', 'CLI RATIO', 'CLI CPU', 'STORE WRITES', 'PEAK RSS', 'MAX/HOST / TOTAL'],
        rows,
      );
      const notes = [
        `latency ${opts.latencyMs} ms per request; ${HOSTS} simulated hosts (127.0.0.1 ports); concurrency ${concurrency}, per host ${perHost} (the defaults); ${LICENSES_PER_INSTANCE} licenses per instance in the store; median of ${opts.runs} run(s), RSS and writes the worst run.`,
        `REFRESH: the refresh's own wall time (durationMs, first request to last store write). CLI WALL: the whole \`keyfleet refresh --json\` process, start to exit (module loading, store load, keychain, refresh); CLI CPU: its user + system CPU time.`,
        `IDEAL: ceil(N / ${concurrency}) × ${opts.latencyMs} ms. SEQUENTIAL: \`keyfleet refresh --concurrency 1 --per-host 1\` measured for N = ${SEQUENTIAL_N} (${seqPerInstance.toFixed(1)} ms per instance), extrapolated linearly (~) beyond.`,
        `STORE WRITES: times keyfleet.json was replaced during the refresh (watched with inotify; the CLI's own count agrees unless shown), against the batching bound ceil(REFRESH/5 s) + 1.`,
        `MAX/HOST: most requests the simulators saw in flight on one host:port at once; TOTAL: over all hosts.`,
      ];
      const crowdedNotes = `Crowded hosts: the per-host limit, not the global one, bounds this refresh (IDEAL: ceil(${CROWDED.instances} / (${CROWDED.hosts} hosts × ${perHost})) × ${opts.latencyMs} ms).`;
      return { blocks: [table, notes.join('\n'), crowdedTable, crowdedNotes], targets };
    } finally {
      await sim.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};
