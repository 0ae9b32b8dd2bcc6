import type { Context } from '../context.ts';
import type { Instance, License, StoreData } from '../store/schema.ts';
import { KeyfleetError, toErrorInfo, withSubject } from '../errors.ts';
import type { CallOptions } from '../vendors/types.ts';
import type { InstanceDriver, InstanceReading } from '../vendors/instance-driver.ts';
import { instanceDrivers } from '../vendors/registry.ts';
import { instanceClient, type SecretCache } from '../vendors/instance-endpoint.ts';
import { keepLicenseIndex, takeLicenseIndex, type LicenseIndex } from './license-index.ts';
import { findInstance } from './instances.ts';
import { outsideChangeEvents } from './outside-changes.ts';
import type { NewEvent } from '../store/journal.ts';

export type { InstanceReading } from '../vendors/instance-driver.ts';

/**
 * Reading an instance is split in two: `readInstance` does the network call (through the
 * instance kind's driver) and returns a plain reading; `applyReadings` folds readings into a
 * store snapshot without I/O. A single check commits one reading; a bulk refresh folds hundreds
 * into one commit.
 */
export interface ReadingResult {
  instanceId: string;
  at: string;
  durationMs: number;
  reading?: InstanceReading;
  error?: { code: string; message: string };
}

/**
 * A copy of a reading whose strings own their characters. A string cut out of a vendor's answer
 * (a key, a name) is a view on the whole answer's text, and a reading is kept until its batch is
 * committed and its key in the store for good: without the copy every instance would keep its
 * whole answer alive (~1 KB for QueueMetrics: ~2 MB promoted to the old heap per scavenge during
 * a 5,000-instance refresh, all of it copied by the collector first). Plain data only.
 */
function detached<T>(value: T): T {
  // V8 makes a view only of strings of 13 characters or more. Joined to another string and cut
  // out again, a string is copied once into a new one (one character longer) that the view then
  // keeps instead of the answer.
  if (typeof value === 'string') return (value.length >= 13 ? (` ${value}`).slice(1) : value) as T;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k in value) if (Object.hasOwn(value, k)) out[k] = detached((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

export async function readInstance(ctx: Context, instance: Instance, opts: CallOptions & { secrets?: SecretCache } = {}): Promise<InstanceReading> {
  try {
    const driver: InstanceDriver = instanceDrivers[instance.kind];
    const client = await instanceClient(ctx, instance, driver, opts.secrets);
    return detached(await driver.read(client, instance, opts));
  } catch (e) {
    throw withSubject(e, `instance ${instance.name}`);
  }
}

// Keyed by the (never mutated) snapshot arrays, so a store snapshot nobody holds frees its table.
const instanceIndexes = new WeakMap<readonly Instance[], ReadonlyMap<string, number>>();

function instanceIndexOf(instances: readonly Instance[]): ReadonlyMap<string, number> {
  let index = instanceIndexes.get(instances);
  if (!index) {
    index = new Map(instances.map((i, n) => [i.id, n]));
    instanceIndexes.set(instances, index);
  }
  return index;
}

/**
 * The license lookup tables for a fold, built on first use: a reading that only confirms the key
 * recorded on the instance itself (the usual QueueMetrics refresh) looks nothing up, and building
 * the tables over 20,000 licenses costs ~50 ms.
 */
function lazyLicenseIndex(licenses: readonly License[]): { index: LicenseIndex; built: () => LicenseIndex | null } {
  let tables: LicenseIndex | null = null;
  const get = () => (tables ??= takeLicenseIndex(licenses));
  const index: LicenseIndex = {
    get byKey() {
      return get().byKey;
    },
    get qmByKey() {
      return get().qmByKey;
    },
    get byInstance() {
      return get().byInstance;
    },
  };
  return { index, built: () => tables };
}

/** `copy` if a fold changed it, else the array it was copied from (so a commit sees the collection unchanged). */
function changedOrOriginal<T>(copy: T[], original: readonly T[]): readonly T[] {
  if (copy.length !== original.length) return copy;
  for (let i = 0; i < copy.length; i++) if (copy[i] !== original[i]) return copy;
  return original;
}

/** Fold one reading (or failure) into a store snapshot. Pure: returns the next snapshot. */
export function applyReadings(data: StoreData, results: readonly ReadingResult[]): StoreData {
  const instances = data.instances.slice();
  // Positions do not move below (only entries are replaced), so the copy shares the table.
  const instanceIndex = instanceIndexOf(data.instances);
  let licenses: License[] | null = null;
  let lazy: ReturnType<typeof lazyLicenseIndex> | null = null;
  const ensureLicenses = () => {
    if (!licenses || !lazy) {
      licenses = data.licenses.slice();
      lazy = lazyLicenseIndex(data.licenses);
    }
    return { licenses, index: lazy.index };
  };

  for (const r of results) {
    const n = instanceIndex.get(r.instanceId);
    if (n === undefined) continue; // removed while the refresh ran
    const instance = { ...instances[n]! };
    instance.lastCheck = { at: r.at, ok: !r.error, durationMs: r.durationMs, ...(r.error ? { error: r.error } : {}) };
    if (r.reading) {
      const { licenses: ls, index: idx } = ensureLicenses();
      instanceDrivers[r.reading.kind].fold({ instance, licenses: ls, index: idx, at: r.at }, r.reading);
    }
    instances[n] = instance;
  }
  instanceIndexes.set(instances, instanceIndex);
  const nextLicenses = licenses ? changedOrOriginal<License>(licenses, data.licenses) : data.licenses;
  // Tables built for this fold describe the array it produced; unbuilt ones stay with the original.
  const tables = lazy ? (lazy as ReturnType<typeof lazyLicenseIndex>).built() : null;
  if (tables) keepLicenseIndex(nextLicenses, tables);
  return { ...data, instances, licenses: nextLicenses as License[] };
}

/**
 * Fold readings into the store in one commit; with the next snapshot come the events of what the
 * readings changed outside Keyfleet, for the caller to journal beside its own check events.
 */
export function commitReadings(ctx: Context, results: readonly ReadingResult[]): { next: StoreData; outside: NewEvent[] } {
  let outside: NewEvent[] = [];
  const next = ctx.store.update((d) => {
    const folded = applyReadings(d, results);
    outside = outsideChangeEvents(d, folded);
    return folded;
  });
  return { next, outside };
}

export async function checkInstance(ctx: Context, ref: string, opts: CallOptions = {}): Promise<{ instance: Instance; error?: KeyfleetError }> {
  const instance = findInstance(ctx, ref);
  const started = Date.now();
  const at = ctx.now().toISOString();
  let result: ReadingResult;
  let failure: KeyfleetError | undefined;
  try {
    const reading = await readInstance(ctx, instance, opts);
    result = { instanceId: instance.id, at, durationMs: Date.now() - started, reading };
  } catch (e) {
    failure = e instanceof KeyfleetError ? e : new KeyfleetError('INTERNAL', (e as Error).message);
    result = { instanceId: instance.id, at, durationMs: Date.now() - started, error: toErrorInfo(failure) };
  }
  const { next, outside } = commitReadings(ctx, [result]);
  ctx.journal.append(
    {
      action: 'instance.check',
      target: instance.name,
      instanceId: instance.id,
      outcome: failure ? 'failed' : 'ok',
      ...(failure ? { error: { code: failure.code, message: failure.message } } : { summary: describeReading(result.reading) }),
    },
    ...outside,
  );
  const updated = next.instances.find((i) => i.id === instance.id) ?? instance;
  return failure ? { instance: updated, error: failure } : { instance: updated };
}

export function describeReading(reading: InstanceReading | undefined): string {
  return reading ? instanceDrivers[reading.kind].describe(reading) : '';
}
