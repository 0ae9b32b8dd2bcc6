import type { License } from '../store/schema.ts';
import { newId } from '../ids.ts';

/**
 * Lookup tables over a licenses array, so folding a reading costs what the reading touches
 * instead of a pass over every license (a 5,000-instance refresh against 20,000 licenses would
 * otherwise scan 100 million rows). A bulk refresh folds batch after batch, each into the array
 * the previous batch produced, so the tables are kept with that array and move on to the next.
 */
export interface LicenseIndex {
  /** vendor + instance + key -> position (the last such license, as a Map built from the array has it). */
  byKey: Map<string, number>;
  /** QueueMetrics key -> position of the first QueueMetrics license with that key. */
  qmByKey: Map<string, number>;
  /** Instance id -> positions of its licenses, ascending. */
  byInstance: Map<string, number[]>;
}

/** A license as a reading describes it, before Keyfleet gives it an id, a status and a history. */
export type ReadLicense = Omit<License, 'id' | 'createdAt' | 'updatedAt' | 'replaces' | 'status'>;

// Keyed by the (never mutated) snapshot arrays, so a store snapshot nobody holds frees its tables.
const licenseIndexes = new WeakMap<readonly License[], LicenseIndex>();

export function compositeKey(vendor: string, instanceId: string | undefined, key: string): string {
  return `${vendor}\u0000${instanceId ?? ''}\u0000${key}`;
}

export function addPosition(byInstance: Map<string, number[]>, instanceId: string, at: number): void {
  const list = byInstance.get(instanceId);
  if (!list) {
    byInstance.set(instanceId, [at]);
    return;
  }
  let i = list.length;
  while (i > 0 && list[i - 1]! > at) i--;
  list.splice(i, 0, at);
}

function buildLicenseIndex(licenses: readonly License[]): LicenseIndex {
  const index: LicenseIndex = { byKey: new Map(), qmByKey: new Map(), byInstance: new Map() };
  licenses.forEach((l, n) => {
    index.byKey.set(compositeKey(l.vendor, l.instanceId, l.key), n);
    if (l.vendor === 'queuemetrics' && !index.qmByKey.has(l.key)) index.qmByKey.set(l.key, n);
    if (l.instanceId !== undefined) addPosition(index.byInstance, l.instanceId, n);
  });
  return index;
}

/**
 * The tables for `licenses`, handed to a caller about to change them along with its copy of
 * the array: `licenses` loses them (and would get fresh ones if it were folded into again).
 */
export function takeLicenseIndex(licenses: readonly License[]): LicenseIndex {
  const index = licenseIndexes.get(licenses);
  if (!index) return buildLicenseIndex(licenses);
  licenseIndexes.delete(licenses);
  return index;
}

/** Keep the tables with the array they now describe, for the next fold into it. */
export function keepLicenseIndex(licenses: readonly License[], index: LicenseIndex): void {
  licenseIndexes.set(licenses, index);
}

/** Insert or refresh a license matched by vendor + key within the instance. */
export function upsertLicense(licenses: License[], index: LicenseIndex, incoming: ReadLicense, now: string): void {
  const key = compositeKey(incoming.vendor, incoming.instanceId, incoming.key);
  const at = index.byKey.get(key);
  if (at !== undefined) {
    const current = licenses[at]!;
    licenses[at] = { ...current, ...incoming, status: current.status === 'superseded' ? 'active' : current.status, updatedAt: now };
  } else {
    const n = licenses.length;
    index.byKey.set(key, n);
    if (incoming.vendor === 'queuemetrics' && !index.qmByKey.has(incoming.key)) index.qmByKey.set(incoming.key, n);
    if (incoming.instanceId !== undefined) addPosition(index.byInstance, incoming.instanceId, n);
    licenses.push({ ...incoming, id: newId('lic'), status: 'active', replaces: [], createdAt: now, updatedAt: now });
  }
}

/** The licenses recorded for one instance, as positions into `licenses`. */
export function positionsOf(index: LicenseIndex, instanceId: string): readonly number[] {
  return index.byInstance.get(instanceId) ?? [];
}
