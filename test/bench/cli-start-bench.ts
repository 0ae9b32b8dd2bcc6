import fs from 'node:fs';
import path from 'node:path';
import { buildFleet, writeFleetStore } from './fleet-store.ts';
import { median, runKeyfleet, type ProcessRun } from './measure.ts';
import { mb, ms, textTable, type BenchOptions, type BenchSection, type SectionReport } from './report.ts';

/**
 * CLI cold start: a new `keyfleet` process per run, as a script calls it. The 20,000-license
 * store is the figure with a target; `--version` and an empty store show what module loading
 * alone costs, so the difference is what the store and the listing cost.
 */

const INSTANCES = 5000;
const LICENSES_PER_INSTANCE = 4;
const LICENSES_TARGET_MS = 400;

interface Case {
  label: string;
  home: string;
  args: string[];
  check(run: ProcessRun): void;
}

function expectLicenses(count: number) {
  return (run: ProcessRun) => {
    if (run.code !== 0) throw new Error(`keyfleet licenses failed (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
    const got = (JSON.parse(run.stdout) as { licenses: unknown[] }).licenses.length;
    if (got !== count) throw new Error(`keyfleet licenses listed ${got} licenses, expected ${count}`);
  };
}

export const cliStartSection: BenchSection = {
  name: 'cli',
  title: 'CLI cold start (a new process per run)',
  async run(opts: BenchOptions): Promise<SectionReport> {
    const big = path.join(opts.tmp, 'cli-20k');
    const empty = path.join(opts.tmp, 'cli-empty');
    // Hosts are never contacted here; listing only reads the store.
    const fleet = buildFleet({ instances: INSTANCES, licensesPerInstance: LICENSES_PER_INSTANCE, hostFor: (n) => `http://127.0.0.1:${20000 + (n % 64)}` });
    const storeMb = fs.statSync(writeFleetStore(big, fleet)).size / 1e6;
    fs.mkdirSync(empty, { recursive: true });
    const cases: Case[] = [
      { label: 'keyfleet --version', home: empty, args: ['--version'], check: (r) => void (r.code === 0 || fail(r)) },
      { label: 'keyfleet licenses --json (empty store)', home: empty, args: ['licenses', '--json'], check: expectLicenses(0) },
      { label: `keyfleet licenses --json (${fleet.licenses.length.toLocaleString('en-US')} licenses)`, home: big, args: ['licenses', '--json'], check: expectLicenses(fleet.licenses.length) },
    ];
    const runs = Math.max(5, opts.runs * 2 + 1);
    const rows: Array<Array<string | number>> = [];
    let bigMedian = Number.NaN;
    try {
      for (const c of cases) {
        opts.log(`${c.label}: ${runs} runs`);
        const times: number[] = [];
        const cpu: number[] = [];
        let rss: number | null = null;
        let first = Number.NaN;
        for (let r = 0; r <= runs; r++) {
          const run = await runKeyfleet(opts.bin, c.home, c.args);
          c.check(run);
          // The first run warms the OS file cache; it is shown apart, not in the median.
          if (r === 0) first = run.wallMs;
          else {
            times.push(run.wallMs);
            if (run.cpuMs !== null) cpu.push(run.cpuMs);
          }
          if (run.peakRssMb !== null) rss = Math.max(rss ?? 0, run.peakRssMb);
        }
        const med = median(times);
        if (c.home === big) bigMedian = med;
        rows.push([c.label, ms(med), ms(Math.min(...times)), ms(Math.max(...times)), ms(first), cpu.length ? ms(median(cpu)) : '—', mb(rss)]);
      }
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const table = textTable(['COMMAND', 'MEDIAN', 'MIN', 'MAX', 'FIRST RUN', 'CPU (MEDIAN)', 'PEAK RSS'], rows);
    const notes = [
      `Per command: one first run (FIRST RUN, it also warms the OS file cache), then ${runs} timed runs (MEDIAN, MIN, MAX). Wall time from spawn to exit, stdout read by the benchmark. CPU: user + system time of the process (it can exceed wall time: V8 compiles and collects garbage on helper threads).`,
      `The store: ${INSTANCES.toLocaleString('en-US')} instances, ${fleet.licenses.length.toLocaleString('en-US')} licenses, ${storeMb.toFixed(1)} MB of JSON.`,
    ];
    return {
      blocks: [table, notes.join('\n')],
      targets: [{ name: `keyfleet licenses --json on ${fleet.licenses.length.toLocaleString('en-US')} licenses`, value: ms(bigMedian), target: `< ${LICENSES_TARGET_MS} ms`, met: bigMedian < LICENSES_TARGET_MS }],
    };
  },
};

function fail(run: ProcessRun): never {
  throw new Error(`keyfleet failed (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
}
