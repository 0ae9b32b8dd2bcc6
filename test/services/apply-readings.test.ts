import { describe, expect, it } from 'vitest';
import { applyReadings, type ReadingResult } from '../../electron/core/services/instance-check.ts';
import { benchKeyFor, buildFleet } from '../bench/fleet-store.ts';
import type { StoreData } from '../../electron/core/store/schema.ts';

/**
 * Folding readings into a snapshot: a refresh folds thousands, so a fold that changes no license
 * leaves the licenses collection as it was (the next commit then has nothing there to check or
 * render), while one that does change licenses still finds them through the lookup tables.
 */
const at = '2026-12-01T10:00:00.000Z';
const fleet = (): StoreData => buildFleet({ instances: 50, licensesPerInstance: 4, hostFor: (n) => `http://127.0.0.1:${40000 + (n % 5)}` }, new Date(at));
const reading = (data: StoreData, n: number, key: string | null): ReadingResult => ({ instanceId: data.instances[n]!.id, at, durationMs: 5, reading: { kind: 'queuemetrics', key } });

describe('applyReadings', () => {
  it('keeps the licenses collection itself when no reading changes a license', () => {
    const data = fleet();
    const next = applyReadings(data, data.instances.map((_, n) => reading(data, n, benchKeyFor(n))));
    expect(next.licenses).toBe(data.licenses);
    expect(next.instances.every((i) => i.drift === 'none' && i.lastCheck?.ok)).toBe(true);
    // A later fold into the result (the next batch of a refresh) still works from it.
    const again = applyReadings(next, [reading(next, 3, 'ANOTHER-KEY')]);
    expect(again.instances[3]!.drift).toBe('differs');
    expect(again.licenses).toBe(data.licenses);
  });

  it('attaches a stored license that runs on an instance without a recorded key, batch after batch', () => {
    const base = fleet();
    // Instances 0 and 1 have no installed key and no license of their own; their running keys are stored unattached.
    const licenses = base.licenses.map((l) => (l.instanceId === base.instances[0]!.id || l.instanceId === base.instances[1]!.id ? { ...l, instanceId: undefined } : l));
    const instances = base.instances.map((i, n) => (n < 2 ? { ...i, installedKey: undefined } : i));
    const data: StoreData = { ...base, instances, licenses };
    const first = applyReadings(data, [reading(data, 2, benchKeyFor(2)), reading(data, 0, benchKeyFor(0))]);
    expect(first.licenses).not.toBe(data.licenses);
    expect(first.licenses.find((l) => l.key === benchKeyFor(0))!.instanceId).toBe(data.instances[0]!.id);
    expect(first.instances[0]!.drift).toBe('none');
    const second = applyReadings(first, [reading(first, 1, benchKeyFor(1)), reading(first, 5, 'UNKNOWN-KEY')]);
    expect(second.licenses.find((l) => l.key === benchKeyFor(1))!.instanceId).toBe(data.instances[1]!.id);
    expect(second.instances[1]!.drift).toBe('none');
    expect(second.instances[5]!.drift).toBe('differs');
    // An instance with nothing recorded whose running key no license has.
    const third = applyReadings({ ...second, instances: second.instances.map((i, n) => (n === 7 ? { ...i, installedKey: undefined } : i)), licenses: second.licenses.filter((l) => l.instanceId !== second.instances[7]!.id) }, [reading(second, 7, 'NOBODY-HAS-IT')]);
    expect(third.instances[7]!.drift).toBe('unknown');
  });
});
