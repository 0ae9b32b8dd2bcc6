import type { Context } from '../context.ts';
import type { Instance, KeySource, License, StoreData, Vendor } from '../store/schema.ts';
import type { CallOptions } from './types.ts';
import type { ReadLicense } from '../services/license-index.ts';
import { newId } from '../ids.ts';

/**
 * What reconciliation finds when it compares what a server holds now with what Keyfleet records,
 * and how accepting a finding changes the record. Each instance kind compares on its driver
 * (`InstanceDriver.compare`), each key source in its vendor's folder (reconcilers.ts); both return
 * these, and the cross-vendor service only collects them.
 */

/**
 * The record being changed by an accept: copies of the store's arrays, about to be committed.
 * Changes replace licenses in place or append them, so `positions` (license id -> index) and
 * `held` (the vendor/source/instance/key of every license) stay true as they are made.
 */
export interface Draft {
  licenses: License[];
  instances: Instance[];
  at: string;
  positions: Map<string, number>;
  held: Set<string>;
}

function heldKey(l: Pick<License, 'vendor' | 'key' | 'instanceId' | 'sourceId'>): string {
  return `${l.vendor}\u0000${l.instanceId ?? ''}\u0000${l.sourceId ?? ''}\u0000${l.key}`;
}

export function draftOf(data: Pick<StoreData, 'licenses' | 'instances'>, at: string): Draft {
  return {
    licenses: data.licenses.slice(),
    instances: data.instances.slice(),
    at,
    positions: new Map(data.licenses.map((l, i) => [l.id, i])),
    held: new Set(data.licenses.map(heldKey)),
  };
}

/** What an accepted finding changed, for the "changed outside Keyfleet" event (never a whole key). */
export interface AcceptedChange {
  licenseId: string;
  instanceId?: string | undefined;
  field: string;
  before: unknown;
  after: unknown;
}

export interface ChangeFinding {
  licenseId: string;
  key: string;
  vendor: Vendor;
  instanceId?: string | undefined;
  sourceId?: string | undefined;
  field: string;
  recorded: unknown;
  server: unknown;
  /** Takes the server's value into the draft (null: the record changed meanwhile, nothing done). */
  accept?: (draft: Draft) => AcceptedChange | null;
  /** Why it cannot be accepted here, when `accept` is absent. */
  blocked?: string;
}

export interface ServerOnlyFinding {
  vendor: Vendor;
  key: string;
  instanceId?: string | undefined;
  sourceId?: string | undefined;
  product?: string | undefined;
  expiresAt?: string | null | undefined;
  /** The license accepting adds; absent when its facts are not known (a QueueMetrics key: adopt it). */
  add?: ReadLicense & { status?: License['status'] };
  /** The license the instance ran before, when a QueueMetrics instance now runs an unknown key. */
  replacedLicenseId?: string | undefined;
}

export interface LocalOnlyFinding {
  vendor: Vendor;
  key: string;
  licenseId: string;
  instanceId?: string | undefined;
  sourceId?: string | undefined;
}

export interface Findings {
  same: number;
  changed: ChangeFinding[];
  serverOnly: ServerOnlyFinding[];
  localOnly: LocalOnlyFinding[];
}

export function noFindings(): Findings {
  return { same: 0, changed: [], serverOnly: [], localOnly: [] };
}

/** The store as comparisons look it up: one pass to build, then per-instance lookups. */
export class RecordView {
  readonly data: StoreData;
  readonly #byInstance = new Map<string, License[]>();
  readonly #qmByKey = new Map<string, License[]>();
  readonly #instances: ReadonlyMap<string, Instance>;

  constructor(data: StoreData) {
    this.data = data;
    this.#instances = new Map(data.instances.map((i) => [i.id, i]));
    for (const l of data.licenses) {
      if (l.instanceId !== undefined) push(this.#byInstance, l.instanceId, l);
      if (l.vendor === 'queuemetrics') push(this.#qmByKey, l.key, l);
    }
  }

  /** The instance as recorded now (undefined: removed since it was read). */
  instance(id: string): Instance | undefined {
    return this.#instances.get(id);
  }

  /** The licenses recorded on one instance, in store order. */
  licensesOf(instanceId: string): readonly License[] {
    return this.#byInstance.get(instanceId) ?? [];
  }

  /** Every QueueMetrics license with this key, in store order. */
  queueMetricsHolders(key: string): readonly License[] {
    return this.#qmByKey.get(key) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * How one kind of key source (a vendor's license server) is read and compared: `read` fetches
 * what the server holds now (network, no store access), `compare` sets it against the record.
 */
export interface SourceReconciler<Holdings = unknown> {
  readonly vendor: Vendor;
  read(ctx: Context, source: KeySource, opts: CallOptions): Promise<Holdings>;
  compare(records: RecordView, source: KeySource, holdings: Holdings): Findings;
}

/** A license field as reconciliation names it: top-level (`expiresAt`) or a limit (`limits.seats`). */
export function fieldOf(license: Pick<License, 'limits'> & Record<string, unknown>, field: string): unknown {
  if (field.startsWith('limits.')) return (license.limits as Record<string, unknown>)[field.slice('limits.'.length)] ?? null;
  return license[field] ?? null;
}

function withField(license: License, field: string, value: unknown): License {
  if (field.startsWith('limits.')) return { ...license, limits: { ...license.limits, [field.slice('limits.'.length)]: value } };
  return { ...license, [field]: value } as License;
}

/** The event action for a change made outside Keyfleet, taken into the record. */
export const CHANGED_OUTSIDE_EVENT = 'license.changed-outside';

/** A field's value as an event summary shows it. */
export function showFieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === 'expiresAt' ? 'never' : 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Accepting a field change: the server's value, unless the record changed since it was compared. */
export function acceptField(licenseId: string, field: string, recorded: unknown, server: unknown): (draft: Draft) => AcceptedChange | null {
  return (draft) => {
    const at = draft.positions.get(licenseId);
    const current = at === undefined ? undefined : draft.licenses[at];
    if (at === undefined || !current || !same(fieldOf(current, field), recorded)) return null;
    draft.licenses[at] = { ...withField(current, field, server), updatedAt: draft.at };
    return { licenseId, instanceId: current.instanceId, field, before: recorded, after: server };
  };
}

/** The fields of `stored` that differ from what the server implies, each an acceptable change. */
export function fieldChanges(stored: License, server: ReadLicense & { status?: License['status'] }, fields: readonly string[]): ChangeFinding[] {
  const implied = { status: 'active', ...server } as unknown as License;
  const changes: ChangeFinding[] = [];
  for (const field of fields) {
    const recorded = fieldOf(stored, field);
    const now = fieldOf(implied, field);
    if (same(recorded, now)) continue;
    changes.push({
      licenseId: stored.id,
      key: stored.key,
      vendor: stored.vendor,
      instanceId: stored.instanceId,
      sourceId: stored.sourceId,
      field,
      recorded,
      server: now,
      accept: acceptField(stored.id, field, recorded, now),
    });
  }
  return changes;
}

/**
 * Compare an instance that reports each of its licenses in full (iSymphony, Webitel) with the
 * licenses recorded on it, matched by key: same, changed fields, on the server only (added on
 * accept, as a check would), recorded only (active licenses the server no longer lists).
 */
export function compareReported(records: RecordView, instance: Instance, vendor: Vendor, reported: readonly ReadLicense[], fields: readonly string[]): Findings {
  const out = noFindings();
  const stored = records.licensesOf(instance.id).filter((l) => l.vendor === vendor);
  const byKey = new Map<string, License>();
  // Prefer an active record when a key was recorded more than once.
  for (const l of stored) if (!byKey.has(l.key) || l.status === 'active') byKey.set(l.key, l);
  const seen = new Set<string>();
  for (const server of reported) {
    seen.add(server.key);
    const recorded = byKey.get(server.key);
    if (!recorded) {
      out.serverOnly.push({ vendor, key: server.key, instanceId: instance.id, product: server.product, expiresAt: server.expiresAt, add: server });
      continue;
    }
    const changes = fieldChanges(recorded, server, fields);
    if (changes.length === 0) out.same++;
    else out.changed.push(...changes);
  }
  for (const l of stored) {
    if (l.status === 'active' && !seen.has(l.key)) out.localOnly.push({ vendor, key: l.key, licenseId: l.id, instanceId: instance.id });
  }
  return out;
}

/** A license a server holds, added to the draft on accept (unless an equal one is there already). */
export function addServerLicense(draft: Draft, add: NonNullable<ServerOnlyFinding['add']>): AcceptedChange | null {
  if (draft.held.has(heldKey(add))) return null;
  const { status, ...fields } = add;
  const license: License = { ...fields, id: newId('lic'), status: status ?? 'active', replaces: [], createdAt: draft.at, updatedAt: draft.at };
  draft.positions.set(license.id, draft.licenses.length);
  draft.held.add(heldKey(license));
  draft.licenses.push(license);
  return { licenseId: license.id, instanceId: license.instanceId, field: 'license', before: null, after: { product: license.product, expiresAt: license.expiresAt, status: license.status } };
}
