import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { KeyringVault, keychainService } from '../../electron/core/vault/vault.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';
import { Journal } from '../../electron/core/store/journal.ts';
import type { StoreData } from '../../electron/core/store/schema.ts';
import { BENCH_CREDENTIAL_ID, BENCH_QM_LOGIN, BENCH_QM_PASSWORD, benchKeyFor, buildFleet, writeFleetStore } from '../bench/fleet-store.ts';
import { startQmFleetSim, type QmFleetSim } from '../bench/qm-fleet-sim.ts';

/**
 * `keyfleet refresh` runs unattended, so it commits its readings every few seconds and once at
 * the end rather than in the window's 250 ms batches: each commit replaces the whole store file.
 * Every reading still reaches the store, and every check its event in the journal.
 */
const vault = new KeyringVault(keychainService());
const credential = { type: 'credential' as const, id: BENCH_CREDENTIAL_ID };
let sim: QmFleetSim;

beforeAll(async () => {
  await vault.set(credential, BENCH_QM_PASSWORD);
  sim = await startQmFleetSim({ ports: 20, latencyMs: 50, login: BENCH_QM_LOGIN, password: BENCH_QM_PASSWORD, keyFor: benchKeyFor });
});

afterAll(async () => {
  await sim.close();
  await vault.delete(credential);
});

/** Refresh a fresh fleet of `n` instances, counting the renames onto keyfleet.json as they happen. */
async function refreshFleet(n: number): Promise<{ json: Record<string, unknown>; renames: number; home: string }> {
  const home = tempDir('kf-refresh-commits-');
  writeFleetStore(home, buildFleet({ instances: n, licensesPerInstance: 2, hostFor: sim.hostFor }));
  let renames = 0;
  const watcher = fs.watch(home, (event, name) => {
    if (event === 'rename' && name === STORE_FILE) renames++;
  });
  try {
    const run = await runCli(['refresh', '--json'], { home });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    return { json: run.json as Record<string, unknown>, renames, home };
  } finally {
    watcher.close();
  }
}

function expectEveryReading(home: string, n: number): void {
  const data = JSON.parse(fs.readFileSync(path.join(home, STORE_FILE), 'utf8')) as StoreData;
  expect(data.instances).toHaveLength(n);
  const unread = data.instances.filter((i, k) => !i.lastCheck?.ok || i.snapshot?.key !== benchKeyFor(k) || i.drift !== 'none');
  expect(unread.map((i) => i.name)).toEqual([]);
  const checks = new Journal(home).read().events.filter((e) => e.action === 'instance.check');
  expect(checks).toHaveLength(n);
  expect(new Set(checks.map((e) => e.instanceId)).size).toBe(n);
}

describe('keyfleet refresh commits', () => {
  it('a refresh shorter than the commit interval writes the store once, at the end, with every reading', { timeout: 60_000 }, async () => {
    // 400 instances, 32 at a time at 50 ms: ~0.7 s, which 250 ms / 200-result batches made 3–5 writes.
    const { json, renames, home } = await refreshFleet(400);
    expect(json).toMatchObject({ checked: 400, ok: 400, failed: 0, storeWrites: 1 });
    expect(renames).toBe(1);
    expectEveryReading(home, 400);
  });

  it('a longer refresh also commits before it ends, so a crash loses only the last few seconds of readings', { timeout: 60_000 }, async () => {
    sim.setLatency(250);
    try {
      // 32 at a time at 250 ms: ~128 a second, so 900 instances take ~7 s.
      const { json, renames, home } = await refreshFleet(900);
      expect(json).toMatchObject({ checked: 900, ok: 900, failed: 0 });
      const writes = json.storeWrites as number;
      expect(writes).toBeGreaterThanOrEqual(2);
      // At most one commit per 5 s of refreshing, plus the last.
      expect(writes).toBeLessThanOrEqual(Math.ceil((json.durationMs as number) / 5000) + 1);
      expect(renames).toBe(writes);
      expectEveryReading(home, 900);
    } finally {
      sim.setLatency(50);
    }
  });
});
