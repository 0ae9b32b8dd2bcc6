import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/tmp.ts';
import { KEYFLEET_BIN } from '../bench/measure.ts';
import { onboardRun, parseOutcome, prepareHome, startOnboardFleet, type OnboardFleet } from '../bench/onboard-fleet.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';

/**
 * The "done when", at a tenth of its size (npm run bench -- --only onboard runs it
 * whole): from an empty data directory, QueueMetrics instances running keys converted earlier
 * from PPKs the reseller holds, and a QLM License Server's licenses, become a complete fleet in
 * one `keyfleet onboard` run: every license with its expiry and its client, nothing unknown.
 */
const INSTANCES = 100;
const QLM_LICENSES = 200;

describe(`keyfleet onboard: ${INSTANCES} QueueMetrics instances and ${QLM_LICENSES} QLM licenses`, () => {
  let fleet: OnboardFleet;
  const home = tempDir();

  beforeAll(async () => {
    fleet = await startOnboardFleet({ instances: INSTANCES, qlmLicenses: QLM_LICENSES, hosts: 20, companies: 20, latencyMs: 5 });
  });
  afterAll(async () => {
    await fleet?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('becomes a complete fleet in one run with nothing unknown', async () => {
    const urls = await prepareHome(KEYFLEET_BIN, home, fleet);
    const run = await onboardRun(KEYFLEET_BIN, home, urls);
    const outcome = parseOutcome(run);
    expect(outcome.unknowns, run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(outcome.finished).toBe(true);
    expect(outcome.steps.every((s) => s.done)).toBe(true);

    const data = JSON.parse(fs.readFileSync(path.join(home, STORE_FILE), 'utf8')) as {
      instances: Array<{ drift?: string }>;
      licenses: Array<{ vendor: string; origin: string; expiresAt: string | null; clientId?: string; status: string }>;
    };
    expect(data.instances).toHaveLength(INSTANCES);
    expect(data.instances.every((i) => i.drift !== 'unknown')).toBe(true);
    const qm = data.licenses.filter((l) => l.vendor === 'queuemetrics' && l.status === 'active');
    const qlm = data.licenses.filter((l) => l.vendor === 'qlm');
    expect(qm).toHaveLength(INSTANCES);
    expect(qm.every((l) => l.origin === 'adopted' && /^\d{4}-\d{2}-\d{2}$/.test(l.expiresAt ?? ''))).toBe(true);
    expect(qlm).toHaveLength(QLM_LICENSES);
    expect(qlm.every((l) => l.origin === 'qlm-server' && l.clientId)).toBe(true);
    // The PPKs marked converted were asked again (idempotent), never converted anew.
    expect(new Set(fleet.loway.requests.map((r) => r.id)).size).toBe(INSTANCES);
    expect(fleet.loway.requests).toHaveLength(2 * INSTANCES);
  });
});
