import type { Context } from '../context.ts';
import type { Instance, License, StoreData } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError, toErrorInfo, withSubject } from '../errors.ts';
import type { CallOptions } from '../vendors/types.ts';
import type { ISymphonyLicense } from '../vendors/isymphony/client.ts';
import type { WebitelLicense } from '../vendors/webitel/client.ts';
import { iSymphonyClient, queueMetricsClient, webitelClient, type SecretCache } from '../vendors/instance-endpoint.ts';
import { findInstance } from './instances.ts';

/**
 * Reading an instance is split in two: `readInstance` does the network call and returns a
 * plain reading; `applyReading` folds a reading into a store snapshot without I/O. A single
 * check commits one reading; a bulk refresh folds hundreds into one commit.
 */
export type InstanceReading =
  | { kind: 'queuemetrics'; key: string | null }
  /** complete: the reading covers every core server the instance tracks (a check), not just one (an activation). */
  | { kind: 'isymphony'; licenses: Array<{ slug: string; license: ISymphonyLicense }>; complete?: boolean }
  | { kind: 'webitel'; licenses: WebitelLicense[] };

export interface ReadingResult {
  instanceId: string;
  at: string;
  durationMs: number;
  reading?: InstanceReading;
  error?: { code: string; message: string };
}

export async function readInstance(ctx: Context, instance: Instance, opts: CallOptions & { secrets?: SecretCache } = {}): Promise<InstanceReading> {
  try {
    switch (instance.kind) {
      case 'queuemetrics': {
        const client = await queueMetricsClient(ctx, instance, opts.secrets);
        const { key } = await client.readKey(opts);
        return { kind: 'queuemetrics', key };
      }
      case 'isymphony': {
        const client = await iSymphonyClient(ctx, instance, opts.secrets);
        const slugs = instance.coreServer ? [instance.coreServer] : (await client.listCoreServers(opts)).map((s) => s.slug);
        const licenses = [];
        for (const slug of slugs) licenses.push({ slug, license: await client.readLicense(slug, opts) });
        return { kind: 'isymphony', licenses, complete: true };
      }
      case 'webitel': {
        const client = await webitelClient(ctx, instance, opts.secrets);
        return { kind: 'webitel', licenses: await client.listLicenses(opts) };
      }
    }
  } catch (e) {
    throw withSubject(e, `instance ${instance.name}`);
  }
}

/**
 * Lookup tables over a licenses array, so folding a reading costs what the reading touches
 * instead of a pass over every license (a 5,000-instance refresh against 20,000 licenses would
 * otherwise scan 100 million rows). A bulk refresh folds batch after batch, each into the array
 * the previous batch produced, so the tables are kept with that array and move on to the next.
 */
interface LicenseIndex {
  /** vendor + instance + key -> position (the last such license, as a Map built from the array has it). */
  byKey: Map<string, number>;
  /** QueueMetrics key -> position of the first QueueMetrics license with that key. */
  qmByKey: Map<string, number>;
  /** Instance id -> positions of its licenses, ascending. */
  byInstance: Map<string, number[]>;
}

// Keyed by the (never mutated) snapshot arrays, so a store snapshot nobody holds frees its tables.
const licenseIndexes = new WeakMap<readonly License[], LicenseIndex>();
const instanceIndexes = new WeakMap<readonly Instance[], ReadonlyMap<string, number>>();

function compositeKey(vendor: string, instanceId: string | undefined, key: string): string {
  return `${vendor}\u0000${instanceId ?? ''}\u0000${key}`;
}

function addPosition(byInstance: Map<string, number[]>, instanceId: string, at: number): void {
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
function takeLicenseIndex(licenses: readonly License[]): LicenseIndex {
  const index = licenseIndexes.get(licenses);
  if (!index) return buildLicenseIndex(licenses);
  licenseIndexes.delete(licenses);
  return index;
}

function instanceIndexOf(instances: readonly Instance[]): ReadonlyMap<string, number> {
  let index = instanceIndexes.get(instances);
  if (!index) {
    index = new Map(instances.map((i, n) => [i.id, n]));
    instanceIndexes.set(instances, index);
  }
  return index;
}

/** Insert or refresh a license matched by vendor + key within the instance. */
function upsertLicense(licenses: License[], index: LicenseIndex, incoming: Omit<License, 'id' | 'createdAt' | 'updatedAt' | 'replaces' | 'status'>, now: string): void {
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

function dateOnly(instant: string | null): string | null {
  return instant ? instant.slice(0, 10) : null;
}

/**
 * A core server runs one license: once it reports another serial, the one stored for it was
 * replaced. A complete reading also retires licenses of core servers the instance no longer
 * covers (removed from the host, or the user chose one core server).
 */
function retireReplacedISymphonyLicenses(licenses: License[], index: LicenseIndex, instanceId: string, reading: Extract<InstanceReading, { kind: 'isymphony' }>, at: string): void {
  const serialBySlug = new Map(reading.licenses.map((l) => [l.slug, l.license.serial]));
  const serials = new Set(reading.licenses.map((l) => l.license.serial));
  for (const i of index.byInstance.get(instanceId) ?? []) {
    const l = licenses[i]!;
    if (l.vendor !== 'isymphony' || l.instanceId !== instanceId || l.status !== 'active' || serials.has(l.key)) continue;
    const slug = l.details?.coreServer;
    const replaced = typeof slug === 'string' && serialBySlug.has(slug);
    if (replaced || reading.complete) licenses[i] = { ...l, status: 'superseded', updatedAt: at };
  }
}

/**
 * The key a QueueMetrics instance should run, as Keyfleet records it: the one it installed
 * there last, else the most recently updated active QueueMetrics license attached to it.
 */
function recordedQueueMetricsKey(licenses: readonly License[], index: LicenseIndex, instance: Instance): string | undefined {
  if (instance.installedKey) return instance.installedKey;
  let best: License | undefined;
  for (const i of index.byInstance.get(instance.id) ?? []) {
    const l = licenses[i]!;
    if (l.vendor === 'queuemetrics' && l.instanceId === instance.id && l.status === 'active' && (!best || l.updatedAt > best.updatedAt)) best = l;
  }
  return best?.key;
}

/**
 * Compare the key a QueueMetrics instance runs with the one recorded for it, and return the
 * drift. A stored license with the running key that belongs to no instance yet is attached to
 * this one; a license attached to another instance is never moved (two instances reading one
 * key are usually one server added twice, and moving it on each check would hide that).
 */
function foldQueueMetricsKey(licenses: License[], index: LicenseIndex, instance: Instance, key: string | null, at: string): NonNullable<Instance['drift']> {
  const recorded = recordedQueueMetricsKey(licenses, index, instance);
  if (recorded !== undefined) return key === recorded ? 'none' : 'differs';
  if (key === null) return 'none'; // nothing recorded, nothing running: nothing to compare
  const knownAt = index.qmByKey.get(key);
  const known = knownAt === undefined ? undefined : licenses[knownAt];
  if (!known || knownAt === undefined) return 'unknown';
  if (known.instanceId !== undefined && known.instanceId !== instance.id) return 'differs';
  if (known.instanceId === undefined) {
    licenses[knownAt] = { ...known, instanceId: instance.id, clientId: known.clientId ?? instance.clientId, updatedAt: at };
    index.byKey.set(compositeKey('queuemetrics', instance.id, known.key), knownAt);
    addPosition(index.byInstance, instance.id, knownAt);
  }
  return 'none';
}

/** Fold one reading (or failure) into a store snapshot. Pure: returns the next snapshot. */
export function applyReadings(data: StoreData, results: readonly ReadingResult[]): StoreData {
  const instances = data.instances.slice();
  // Positions do not move below (only entries are replaced), so the copy shares the table.
  const instanceIndex = instanceIndexOf(data.instances);
  let licenses: License[] | null = null;
  let index: LicenseIndex | null = null;
  const ensureLicenses = () => {
    if (!licenses) {
      licenses = data.licenses.slice();
      index = takeLicenseIndex(data.licenses);
    }
    return { licenses, index: index! };
  };

  for (const r of results) {
    const n = instanceIndex.get(r.instanceId);
    if (n === undefined) continue; // removed while the refresh ran
    const instance = { ...instances[n]! };
    instance.lastCheck = { at: r.at, ok: !r.error, durationMs: r.durationMs, ...(r.error ? { error: r.error } : {}) };
    const reading = r.reading;
    if (reading?.kind === 'queuemetrics') {
      const { licenses: ls, index: idx } = ensureLicenses();
      instance.snapshot = { at: r.at, key: reading.key };
      instance.drift = foldQueueMetricsKey(ls, idx, instance, reading.key, r.at);
    } else if (reading?.kind === 'isymphony') {
      const { licenses: ls, index: idx } = ensureLicenses();
      instance.snapshot = { at: r.at, key: reading.licenses.map((l) => l.license.serial).join(',') || null, summary: `${reading.licenses.length} core server(s)` };
      instance.drift = 'none';
      for (const { slug, license } of reading.licenses) {
        upsertLicense(
          ls,
          idx,
          {
            vendor: 'isymphony',
            key: license.serial,
            instanceId: instance.id,
            clientId: instance.clientId,
            product: `iSymphony ${license.type}`.trim(),
            limits: { connections: license.clientConnections, users: license.configuredUsers },
            expiresAt: license.expiresAt,
            maintenanceExpiresAt: license.maintenanceExpiresAt,
            origin: 'instance',
            details: { coreServer: slug, type: license.type, licensedTo: license.licensedTo },
          },
          r.at,
        );
      }
      retireReplacedISymphonyLicenses(ls, idx, instance.id, reading, r.at);
    } else if (reading?.kind === 'webitel') {
      const { licenses: ls, index: idx } = ensureLicenses();
      instance.snapshot = { at: r.at, key: null, summary: `${reading.licenses.length} license(s)` };
      instance.drift = 'none';
      const seen = new Set<string>();
      for (const w of reading.licenses) {
        seen.add(w.id);
        upsertLicense(
          ls,
          idx,
          {
            vendor: 'webitel',
            key: w.id,
            instanceId: instance.id,
            clientId: instance.clientId,
            product: w.product,
            limits: { seats: w.limit, used: w.used, competitive: w.competitive },
            ...(w.validFrom ? { validFrom: w.validFrom.slice(0, 10) } : {}),
            expiresAt: dateOnly(w.validTill),
            origin: 'instance',
            details: { name: w.name, scope: w.scope, remain: w.remain, status: w.status },
          },
          r.at,
        );
      }
      // A license the registry no longer lists was replaced or removed.
      for (const i of idx.byInstance.get(instance.id) ?? []) {
        const l = ls[i]!;
        if (l.vendor === 'webitel' && l.instanceId === instance.id && !seen.has(l.key) && l.status === 'active') ls[i] = { ...l, status: 'superseded', updatedAt: r.at };
      }
    }
    instances[n] = instance;
  }
  instanceIndexes.set(instances, instanceIndex);
  if (licenses && index) licenseIndexes.set(licenses, index);
  return { ...data, instances, licenses: licenses ?? data.licenses };
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
  const next = ctx.store.update((d) => applyReadings(d, [result]));
  ctx.journal.append({
    action: 'instance.check',
    target: instance.name,
    instanceId: instance.id,
    outcome: failure ? 'failed' : 'ok',
    ...(failure ? { error: { code: failure.code, message: failure.message } } : { summary: describeReading(result.reading) }),
  });
  const updated = next.instances.find((i) => i.id === instance.id) ?? instance;
  return failure ? { instance: updated, error: failure } : { instance: updated };
}

export function describeReading(reading: InstanceReading | undefined): string {
  if (!reading) return '';
  if (reading.kind === 'queuemetrics') return reading.key ? `key ${reading.key.slice(0, 8)}…${reading.key.slice(-4)}` : 'no key installed';
  if (reading.kind === 'isymphony') return reading.licenses.map((l) => `${l.slug}: ${l.license.serial.slice(0, 6)}… ${l.license.expiresAt ?? 'perpetual'}`).join('; ');
  return `${reading.licenses.length} license(s)`;
}

/**
 * Accept the key a drifted QueueMetrics instance runs as the one recorded for it: read it now,
 * record it, and mark the licenses it no longer runs superseded. A stored license with that key
 * and no instance is attached to it; one recorded for another instance is not moved (refused).
 */
export async function acceptRunningKey(ctx: Context, ref: string, opts: CallOptions = {}): Promise<{ instance: Instance; key: string | null; superseded: number }> {
  const instance = findInstance(ctx, ref);
  if (instance.kind !== 'queuemetrics') {
    throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}: only QueueMetrics instances are compared with a recorded key`);
  }
  const started = Date.now();
  const reading = await readInstance(ctx, instance, opts);
  if (reading.kind !== 'queuemetrics') throw new KeyfleetError('INTERNAL', `instance ${instance.name} answered as ${reading.kind}`);
  const key = reading.key;
  const owner = key ? ctx.store.data.licenses.find((l) => l.vendor === 'queuemetrics' && l.key === key && l.instanceId !== undefined && l.instanceId !== instance.id) : undefined;
  if (owner) {
    const other = ctx.store.data.instances.find((i) => i.id === owner.instanceId);
    throw new KeyfleetError(
      'CONFLICT',
      `instance ${instance.name} runs the key recorded for instance ${other?.name ?? owner.instanceId} (license ${owner.id}); a license belongs to one instance. If the two are one server added twice, remove one of them`,
      { license: owner.id, instance: other?.name ?? null },
    );
  }
  const at = ctx.now().toISOString();
  let superseded = 0;
  ctx.store.update((d) => {
    const retired = new Set(
      d.licenses.filter((l) => l.vendor === 'queuemetrics' && l.instanceId === instance.id && l.status === 'active' && l.key !== key).map((l) => l.id),
    );
    superseded = retired.size;
    const licenses = d.licenses.map((l) => {
      if (retired.has(l.id)) return { ...l, status: 'superseded' as const, updatedAt: at };
      if (key !== null && l.vendor === 'queuemetrics' && l.key === key && (l.instanceId === undefined || l.instanceId === instance.id)) {
        return { ...l, instanceId: instance.id, clientId: l.clientId ?? instance.clientId, status: l.status === 'superseded' ? ('active' as const) : l.status, replaces: [...new Set([...l.replaces, ...retired])], updatedAt: at };
      }
      return l;
    });
    const current = d.instances.find((i) => i.id === instance.id) ?? instance;
    const { installedKey: _previous, ...rest } = current;
    const next: Instance = { ...rest, ...(key !== null ? { installedKey: key } : {}), snapshot: { at, key }, drift: 'none', lastCheck: { at, ok: true, durationMs: Date.now() - started } };
    return { ...d, licenses, instances: d.instances.map((i) => (i.id === instance.id ? next : i)) };
  });
  ctx.journal.append({
    action: 'instance.accept-key',
    target: instance.name,
    instanceId: instance.id,
    outcome: 'ok',
    summary: `${describeReading(reading)} is now the key recorded for it${superseded ? `; ${superseded} license(s) it no longer runs marked superseded` : ''}`,
  });
  return { instance: ctx.store.data.instances.find((i) => i.id === instance.id)!, key, superseded };
}
