/**
 * `npm run bench`: Keyfleet's benchmark suite. Prints each section's figures as plain-text
 * tables and, at the end, every target with PASS or MISSED. Exits 0 whether or not targets
 * are met: they are measurements, not tests. A section that cannot run (a crash, a refresh
 * that did not check every instance) is reported and makes the exit code 1.
 *
 *   npm run bench                          everything (a few minutes)
 *   npm run bench -- --only refresh        one section (refresh, wire, cli, render, onboard)
 *   npm run bench -- --sizes 100,1000 --runs 1 --latency 50
 *   npm run bench -- --bin ../other-checkout/electron/cli/keyfleet.js   (compare a change)
 *
 * Adding a section: write test/bench/<name>-bench.ts exporting a BenchSection (see report.ts)
 * and append it to SECTIONS below. It receives a scratch directory and the shared options and
 * returns its tables and targets; the summary picks them up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setup as startKeychain, teardown as stopKeychain } from '../setup/keychain.ts';
import { KeyringVault, keychainService } from '../../electron/core/vault/vault.ts';
import { BENCH_CREDENTIAL_ID, BENCH_QM_PASSWORD } from './fleet-store.ts';
import { KEYFLEET_BIN, rssMethod } from './measure.ts';
import { refreshSection } from './refresh-bench.ts';
import { wireSection } from './wire-bench.ts';
import { cliStartSection } from './cli-start-bench.ts';
import { renderSection } from './render-section.ts';
import { onboardSection } from './onboard-bench.ts';
import type { BenchSection, TargetCheck } from './report.ts';

export const SECTIONS: BenchSection[] = [
  refreshSection,
  wireSection,
  cliStartSection,
  renderSection,
  onboardSection,
  // Further sections go here.
];

function cpuModel(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      sizes: { type: 'string', default: '100,1000,5000' },
      latency: { type: 'string', default: '50' },
      runs: { type: 'string', default: '3' },
      bin: { type: 'string', default: KEYFLEET_BIN },
    },
  });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const latencyMs = Number(values.latency);
  const runs = Number(values.runs);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(latencyMs >= 0) || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: npm run bench -- [--only SECTION]… [--sizes 100,1000,5000] [--latency MS] [--runs N] [--bin PATH/keyfleet.js]');
    return 2;
  }
  const wanted = values.only ?? SECTIONS.map((s) => s.name);
  const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
  if (unknown.length) {
    console.error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    return 2;
  }

  const started = Date.now();
  console.log('Keyfleet benchmarks');
  console.log(`${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${os.platform()} ${os.arch()}, ${cpuModel()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`peak RSS measured with ${rssMethod()}`);
  if (values.bin !== KEYFLEET_BIN) console.log(`CLI under test: ${values.bin}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-'));
  // The CLI reads instance secrets from the OS keychain: a private gnome-keyring on Linux
  // (the one the tests use), a test-only service name elsewhere.
  await startKeychain();
  const vault = new KeyringVault(keychainService());
  const credential = { type: 'credential' as const, id: BENCH_CREDENTIAL_ID };
  const targets: Array<TargetCheck & { section: string }> = [];
  const failed: string[] = [];
  try {
    await vault.set(credential, BENCH_QM_PASSWORD);
    for (const section of SECTIONS.filter((s) => wanted.includes(s.name))) {
      console.log(`\n== ${section.title}`);
      try {
        const report = await section.run({ tmp, bin: values.bin, sizes, latencyMs, runs, log: (m) => process.stderr.write(`  … ${m}\n`) });
        for (const block of report.blocks) console.log(`\n${block}`);
        targets.push(...report.targets.map((t) => ({ ...t, section: section.name })));
      } catch (e) {
        // One broken section must not hide the others' figures; it still fails the run.
        failed.push(section.name);
        console.log(`\nSECTION FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  } finally {
    await vault.delete(credential).catch(() => false);
    await stopKeychain();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log('\n== Targets');
  const width = Math.max(0, ...targets.map((t) => t.name.length));
  for (const t of targets) console.log(`${t.met ? 'PASS  ' : 'MISSED'}  ${t.name.padEnd(width)}  ${t.value}  (target ${t.target})`);
  const missed = targets.filter((t) => !t.met);
  console.log(missed.length ? `\n*** ${missed.length} TARGET(S) MISSED ***` : '\nall targets met');
  if (failed.length) console.log(`*** SECTION(S) FAILED TO RUN: ${failed.join(', ')} ***`);
  console.log(`(benchmark took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
