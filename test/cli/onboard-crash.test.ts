import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runAndKill } from '../hardening/crash-harness.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';
import { startQmFleetSim, type QmFleetSim } from '../bench/qm-fleet-sim.ts';
import { instancePath } from '../bench/fleet-store.ts';

/**
 * `keyfleet onboard` killed (SIGKILL, as a crash or a power cut) at a store write: what it left is
 * either nothing or whole steps, and the same command run again resumes at the first unfinished
 * step and finishes without importing anything twice.
 */
const INSTANCES = 40;
const LOGIN = 'keyupdater';
const PASSWORD = 'crash-ku-secret';
const keyFor = (n: number) => `CRSH${String(n).padStart(4, '0')}-AAAA0002-AAAA0003-AAAA0004-AAAA0005-AAAA0006`;

interface StoreFile {
  instances: Array<{ id: string; lastCheck?: { ok: boolean } }>;
  onboarding?: { instanceIds: string[]; steps: Record<string, unknown>; finishedAt?: string };
}

describe('keyfleet onboard killed midway', () => {
  let sim: QmFleetSim;
  const homes: string[] = [];
  let urls = '';
  const stdin = () => `${PASSWORD}\n${urls}`;
  const args = ['onboard', '--urls', '-', '--user', LOGIN, '--secret-stdin'];
  const newHome = () => {
    const h = tempDir();
    fs.mkdirSync(h, { recursive: true });
    homes.push(h);
    return h;
  };
  const stored = (home: string): StoreFile | null => (fs.existsSync(path.join(home, STORE_FILE)) ? (JSON.parse(fs.readFileSync(path.join(home, STORE_FILE), 'utf8')) as StoreFile) : null);

  beforeAll(async () => {
    // Slow answers, so the kill lands while the connections are tested and read.
    sim = await startQmFleetSim({ ports: 4, latencyMs: 150, login: LOGIN, password: PASSWORD, keyFor });
    urls = Array.from({ length: INSTANCES }, (_, n) => `${sim.hostFor(n)}${instancePath(n)}`).join('\n');
  });
  afterAll(async () => {
    await sim.close();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('killed as the instances are written: either nothing was imported or all of them with the record of the run, and the run completes', async () => {
    const home = newHome();
    const killed = await runAndKill(args, { home, stdin: stdin(), kill: { at: 'write-start', nth: 1 } });
    expect(killed.killed).toBe(true);
    const left = stored(home);
    // The kill lands before the rename (nothing) or, on a loaded machine, just after it (everything).
    const kept = left?.instances.length ?? 0;
    if (kept === 0) expect(left?.onboarding).toBeUndefined();
    else {
      expect(kept).toBe(INSTANCES);
      expect(left!.onboarding!.instanceIds).toHaveLength(INSTANCES);
      expect(Object.keys(left!.onboarding!.steps)).toEqual(['instances']);
    }

    const again = await runCli([...args, '--json'], { home, stdin: stdin() });
    expect(again.json.ran).toEqual(kept === 0 ? ['instances', 'test', 'read', 'core-servers', 'qlm', 'adopt'] : ['test', 'read', 'core-servers', 'qlm', 'adopt']);
    expect(stored(home)!.instances).toHaveLength(INSTANCES);
  });

  it('killed while the licenses are read: the instances and the finished test are kept; run again, it resumes at the read', async () => {
    const home = newHome();
    // Write 1: the instances with the run's record; 2: the connection test; 3: the first batch of readings.
    const killed = await runAndKill(args, { home, stdin: stdin(), kill: { at: 'write-start', nth: 3 } });
    expect(killed.killed).toBe(true);
    const left = stored(home)!;
    expect(left.instances).toHaveLength(INSTANCES);
    expect(left.onboarding!.instanceIds).toHaveLength(INSTANCES);
    expect(Object.keys(left.onboarding!.steps)).toEqual(['instances', 'test']);

    // Resumed with no input (the CLI's "run it again"), and with the same input: neither imports twice.
    const resumed = await runCli(['onboard', '--json'], { home });
    expect(resumed.json.ran, resumed.stderr).toEqual(['read', 'core-servers', 'qlm', 'adopt']);
    expect(resumed.json.finished).toBe(true);
    // Every instance runs a key no license records: listed, so exit 1.
    expect(resumed.code).toBe(1);
    expect(resumed.json.unknowns.filter((u: { kind: string }) => u.kind === 'unknown-key')).toHaveLength(INSTANCES);
    const same = await runCli([...args, '--json'], { home, stdin: stdin() });
    expect(same.json.ran).toEqual([]);
    const done = stored(home)!;
    expect(done.instances).toHaveLength(INSTANCES);
    expect(done.instances.every((i) => i.lastCheck?.ok)).toBe(true);
  });
});
