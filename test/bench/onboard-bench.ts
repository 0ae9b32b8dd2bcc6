import path from 'node:path';
import { ms, textTable, type BenchOptions, type BenchSection, type SectionReport } from './report.ts';
import { onboardRun, parseOutcome, prepareHome, startOnboardFleet } from './onboard-fleet.ts';

/**
 * The "done when": from an empty data directory, 1,000 QueueMetrics instances running keys
 * converted earlier from PPKs the reseller holds (marked --converted) and a QLM License Server
 * with 2,000 licenses become a complete fleet in one `keyfleet onboard` run. Reports the wall
 * time, CPU, store writes, each step's outcome, and the licenses left unknown with why.
 */
const INSTANCES = 1_000;
const QLM_LICENSES = 2_000;
const HOSTS = 100;
const COMPANIES = 100;

export const onboardSection: BenchSection = {
  name: 'onboard',
  title: `keyfleet onboard: ${INSTANCES.toLocaleString('en')} QueueMetrics instances (keys from PPKs converted earlier) and a QLM server with ${QLM_LICENSES.toLocaleString('en')} licenses, from an empty data directory`,
  async run(opts: BenchOptions): Promise<SectionReport> {
    opts.log(`converting ${INSTANCES} PPKs on the key server "months ago", seeding ${QLM_LICENSES} QLM licenses`);
    const fleet = await startOnboardFleet({ instances: INSTANCES, qlmLicenses: QLM_LICENSES, hosts: HOSTS, companies: COMPANIES, latencyMs: opts.latencyMs });
    try {
      const home = path.join(opts.tmp, 'onboard');
      const urls = await prepareHome(opts.bin, home, fleet);
      opts.log('keyfleet onboard --urls … --secret-stdin --yes');
      const run = await onboardRun(opts.bin, home, urls);
      const outcome = parseOutcome(run);
      if (!outcome.finished) throw new Error(`onboarding did not finish (exit ${run.code}): ${run.stderr.slice(-500)}`);
      const byKind = new Map<string, number>();
      for (const u of outcome.unknowns) byKind.set(u.kind, (byKind.get(u.kind) ?? 0) + 1);
      const figures = textTable(
        ['instances', 'QLM licenses', 'wall', 'CPU', 'peak RSS', 'store writes', 'still unknown'],
        [[INSTANCES, QLM_LICENSES, ms(run.wallMs), run.cpuMs === null ? 'n/a' : ms(run.cpuMs), run.peakRssMb === null ? 'n/a' : `${run.peakRssMb.toFixed(0)} MB`, outcome.storeWrites, outcome.unknowns.length]],
      );
      const steps = textTable(['step', 'outcome'], outcome.steps.map((s) => [s.step, s.summary ?? 'not done']));
      const why = outcome.unknowns.length
        ? textTable(['unknown', 'count', 'first, and how to resolve it'], [...byKind].map(([kind, n]) => { const first = outcome.unknowns.find((u) => u.kind === kind)!; return [kind, n, `${first.reason} → ${first.command}`]; }))
        : 'no license stayed unknown: every one has its expiry and its client';
      return {
        blocks: [figures, steps, why],
        targets: [{ name: 'onboard: licenses left unknown', value: String(outcome.unknowns.length), target: '0', met: outcome.unknowns.length === 0 }],
      };
    } finally {
      await fleet.close();
    }
  },
};
