import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../../electron/core/store/schema.ts';
import { BENCH_QM_LOGIN, BENCH_QM_PASSWORD, benchKeyFor, buildFleet } from './fleet-store.ts';
import { median, runMeasured, type ProcessRun } from './measure.ts';
import { startQmFleetSim } from './qm-fleet-sim.ts';
import { refreshOnce, type RefreshRun } from './refresh-bench.ts';
import { ms, ratio, textTable, type BenchOptions, type BenchSection, type SectionReport, type TargetCheck } from './report.ts';

/**
 * How close `keyfleet refresh` comes to the wire: the whole CLI process against a minimal client
 * (test/bench/qm-minimal-client.js) that sends the same QueueMetrics reads to the same simulated
 * fleet with the same limits, and keeps nothing. Both are child processes timed from spawn to
 * exit, CPU from the kernel (start-up included), in alternating runs of the same benchmark so
 * that load on the machine falls on both alike.
 */

const MINIMAL_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'qm-minimal-client.js');
/** Independent vendor hosts (127.0.0.1 ports): with a per-host limit of 2, the global limit of 32 is what binds. */
const HOSTS = 100;
const LICENSES_PER_INSTANCE = 4;
/** The targets: the whole refresh within these multiples of the minimal client's wall and CPU time. */
const WALL_TARGET = 1.15;
const CPU_TARGET = 1.5;
const TARGET_SIZES = new Set([1000, 5000]);

interface MinimalOutput {
  checked: number;
  failed: number;
  durationMs: number;
  keys: Array<string | null>;
}

async function minimalOnce(urls: string[], concurrency: number, perHost: number): Promise<ProcessRun> {
  // The password travels on stdin, as keyfleet's secrets never go on a command line.
  const job = { urls, login: BENCH_QM_LOGIN, password: BENCH_QM_PASSWORD, concurrency, perHost };
  const run = await runMeasured(process.execPath, [MINIMAL_CLIENT], { stdin: JSON.stringify(job) });
  let out: MinimalOutput;
  try {
    out = JSON.parse(run.stdout) as MinimalOutput;
  } catch {
    throw new Error(`the minimal client printed no JSON (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
  }
  const wrong = out.keys.findIndex((k, n) => k !== benchKeyFor(n));
  if (run.code !== 0 || out.failed > 0 || out.keys.length !== urls.length || wrong !== -1) {
    throw new Error(`the minimal client did not read every key (exit ${run.code}, ${out.failed} failed, first wrong key at ${wrong}): ${run.stderr.slice(0, 300)}`);
  }
  return run;
}

export const wireSection: BenchSection = {
  name: 'wire',
  title: `keyfleet refresh against a minimal client on the same wire (${HOSTS} hosts)`,
  async run(opts: BenchOptions): Promise<SectionReport> {
    const concurrency = DEFAULT_SETTINGS.refreshConcurrency;
    const perHost = DEFAULT_SETTINGS.perHostConcurrency;
    const sim = await startQmFleetSim({ ports: HOSTS, latencyMs: opts.latencyMs, login: BENCH_QM_LOGIN, password: BENCH_QM_PASSWORD, keyFor: benchKeyFor });
    const home = path.join(opts.tmp, 'wire');
    const rows: Array<Array<string | number>> = [];
    const targets: TargetCheck[] = [];
    try {
      for (const n of opts.sizes) {
        const fleet = buildFleet({ instances: n, licensesPerInstance: LICENSES_PER_INSTANCE, hostFor: sim.hostFor });
        const urls = fleet.instances.map((i) => `${i.url}/xmlrpc.do`);
        const cli: RefreshRun[] = [];
        const minimal: ProcessRun[] = [];
        for (let r = 0; r < opts.runs; r++) {
          opts.log(`${n} instances on ${HOSTS} hosts, run ${r + 1}/${opts.runs}: minimal client, then keyfleet refresh`);
          minimal.push(await minimalOnce(urls, concurrency, perHost));
          cli.push(await refreshOnce(opts.bin, sim, home, fleet, []));
        }
        const cliWall = median(cli.map((r) => r.process.wallMs));
        const minWall = median(minimal.map((r) => r.wallMs));
        const hasCpu = [...cli.map((r) => r.process), ...minimal].every((r) => r.cpuMs !== null);
        const cliCpu = hasCpu ? median(cli.map((r) => r.process.cpuMs!)) : null;
        const minCpu = hasCpu ? median(minimal.map((r) => r.cpuMs!)) : null;
        const wallRatio = cliWall / minWall;
        // Each CLI run against the minimal client's run just before it: how far single runs spread.
        const spread = (of: (r: ProcessRun) => number | null) => {
          const each = cli.map((c, r) => {
            const a = of(c.process);
            const b = of(minimal[r]!);
            return a === null || b === null ? null : a / b;
          });
          if (each.some((v) => v === null) || each.length < 2) return '';
          const values = each as number[];
          return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
        };
        const cpuRatio = cliCpu !== null && minCpu !== null ? cliCpu / minCpu : null;
        const wallMet = wallRatio <= WALL_TARGET;
        const cpuMet = cpuRatio !== null && cpuRatio <= CPU_TARGET;
        const verdict = (met: boolean) => (TARGET_SIZES.has(n) ? (met ? 'PASS' : 'MISSED') : '');
        rows.push([
          n.toLocaleString('en-US'),
          ms(cliWall),
          ms(minWall),
          ratio(wallRatio),
          spread((r) => r.wallMs),
          verdict(wallMet),
          cliCpu === null ? '—' : ms(cliCpu),
          minCpu === null ? '—' : ms(minCpu),
          cpuRatio === null ? '—' : ratio(cpuRatio),
          spread((r) => r.cpuMs),
          cpuRatio === null ? '' : verdict(cpuMet),
        ]);
        if (TARGET_SIZES.has(n)) {
          const size = n.toLocaleString('en-US');
          targets.push({ name: `refresh ${size} instances, wall vs minimal client`, value: ratio(wallRatio), target: `≤ ${ratio(WALL_TARGET)}`, met: wallMet });
          targets.push({ name: `refresh ${size} instances, CPU vs minimal client`, value: cpuRatio === null ? 'not measured' : ratio(cpuRatio), target: `≤ ${ratio(CPU_TARGET)}`, met: cpuMet });
        }
      }
      const table = textTable(['INSTANCES', 'CLI WALL', 'MINIMAL WALL', 'WALL RATIO', 'RUN BY RUN', `≤ ${ratio(WALL_TARGET)}`, 'CLI CPU', 'MINIMAL CPU', 'CPU RATIO', 'RUN BY RUN', `≤ ${ratio(CPU_TARGET)}`], rows);
      const notes = [
        'RATIO: of the medians; RUN BY RUN: the lowest and highest ratio of a CLI run to the minimal client\'s run just before it (the spread a single run can show).',
        `latency ${opts.latencyMs} ms per request; ${HOSTS} simulated hosts (127.0.0.1 ports), instances dealt round-robin; concurrency ${concurrency}, per host ${perHost} (the defaults) for both; median of ${opts.runs} alternating run(s).`,
        'CLI: the whole `keyfleet refresh --json` process (start-up, store load, keychain, refresh, store writes, exit), every key checked in the store afterwards.',
        'MINIMAL: test/bench/qm-minimal-client.js, a plain Node script sending the same QM.setActivationKey query over keep-alive http with the same limits, parsing only the key, no store.',
        'WALL: spawn to exit; CPU: user + system time of the process, start-up included.',
      ];
      return { blocks: [table, notes.join('\n')], targets };
    } finally {
      await sim.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};
