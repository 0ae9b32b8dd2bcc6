import type { Context } from '../context.ts';
import type { Instance, KeySource, StoreData, Vendor } from '../store/schema.ts';
import { VENDORS } from '../store/schema.ts';
import { KeyfleetError, toErrorInfo, withSubject, type ErrorCode } from '../errors.ts';
import type { NewEvent } from '../store/journal.ts';
import { readInstance, type InstanceReading } from './instance-check.ts';
import { hostOf, runScheduled } from './scheduler.ts';
import { SecretCache } from '../vendors/instance-endpoint.ts';
import { CHANGED_OUTSIDE_EVENT, RecordView, addServerLicense, showFieldValue, draftOf, noFindings, type AcceptedChange, type Findings } from '../vendors/reconciler.ts';
import { sourceReconcilers } from '../vendors/reconcilers.ts';
import { instanceDrivers } from '../vendors/registry.ts';
import { maskKey } from '../vendors/queuemetrics/client.ts';

export interface ReconcileOptions {
  vendor?: Vendor | undefined;
  /** Take the server's values for every change and add the licenses only servers hold. */
  accept?: boolean | undefined;
  /**
   * Right after a refresh: compare each instance from what that check read instead of asking it
   * again. A failed check is listed as a failure; a kind whose check took what it reports
   * (iSymphony, Webitel: journalled as changed outside Keyfleet) has nothing left to compare.
   */
  fromLastCheck?: boolean | undefined;
  concurrency?: number | undefined;
  perHost?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: { done: number; total: number; failed: number; current?: string }) => void;
}

export interface ReconcileReport {
  same: number;
  changed: Array<{ license: string; key: string; vendor: Vendor; instance?: string; source?: string; field: string; recorded: unknown; server: unknown; blocked?: string }>;
  serverOnly: Array<{ vendor: Vendor; key: string; instance?: string; source?: string; product?: string; expiresAt?: string | null; needsAdoption?: true; replacedLicense?: string }>;
  localOnly: Array<{ vendor: Vendor; key: string; license: string; instance?: string; source?: string }>;
  failures: Array<{ target: string; error: { code: string; message: string } }>;
  /** How many findings `accept` took into the record. */
  accepted?: number;
  /** Instances and sources read. */
  checked: number;
  durationMs: number;
}

/** One server read now; its comparison runs against whichever record it is handed. */
interface Reading {
  target: string;
  compare(records: RecordView): Findings;
}

interface Target {
  name: string;
  host: string;
  read(signal: AbortSignal): Promise<Reading>;
}

function instanceTarget(ctx: Context, instance: Instance, secrets: SecretCache, fromLastCheck: boolean): Target | null {
  const name = `instance ${instance.name}`;
  const driver = instanceDrivers[instance.kind];
  const checked = instance.lastCheck;
  if (fromLastCheck && checked?.ok !== false && !driver.readingOfLastCheck?.(instance)) return null;
  const compared = (reading: InstanceReading): Reading => ({
    target: name,
    compare(records) {
      // The instance as recorded now: after an accept, the comparison runs again on the new record.
      const current = records.instance(instance.id);
      return current ? instanceDrivers[current.kind].compare(records, current, reading) : noFindings();
    },
  });
  return {
    name,
    host: hostOf(instance.url),
    async read(signal) {
      if (!fromLastCheck) return compared(await readInstance(ctx, instance, { signal, secrets }));
      if (checked?.ok === false) throw new KeyfleetError((checked.error?.code as ErrorCode | undefined) ?? 'NETWORK', `${name}: ${checked.error?.message ?? 'its last check failed'}`);
      return compared(driver.readingOfLastCheck!(instance)!);
    },
  };
}

function sourceTarget(ctx: Context, source: KeySource): Target | null {
  const reconciler = sourceReconcilers[source.kind];
  if (!reconciler) return null;
  const name = `source ${source.name}`;
  return {
    name,
    host: hostOf(source.url),
    async read(signal) {
      try {
        const holdings = await reconciler.read(ctx, source, { signal });
        return { target: name, compare: (records) => reconciler.compare(records, source, holdings) };
      } catch (e) {
        throw withSubject(e, name);
      }
    },
  };
}

function targetsOf(ctx: Context, vendor: Vendor | undefined, fromLastCheck: boolean): Target[] {
  const secrets = new SecretCache(ctx);
  const data = ctx.store.data;
  const instances = data.instances.filter((i) => !vendor || i.kind === vendor).map((i) => instanceTarget(ctx, i, secrets, fromLastCheck))
    .filter((t): t is Target => t !== null);
  const sources = data.sources.map((s) => (!vendor || sourceReconcilers[s.kind]?.vendor === vendor ? sourceTarget(ctx, s) : null)).filter((t): t is Target => t !== null);
  return [...instances, ...sources];
}

function compareAll(readings: readonly Reading[], data: StoreData): Findings {
  const records = new RecordView(data);
  const all = noFindings();
  for (const r of readings) {
    const f = r.compare(records);
    all.same += f.same;
    all.changed.push(...f.changed);
    all.serverOnly.push(...f.serverOnly);
    all.localOnly.push(...f.localOnly);
  }
  return all;
}

/**
 * Take every acceptable finding into the record in one store commit, and write one "changed
 * outside Keyfleet" event per change with its before and after (keys masked).
 */
function acceptFindings(ctx: Context, findings: Findings): number {
  const accepted: AcceptedChange[] = [];
  ctx.store.update((d) => {
    accepted.length = 0;
    const draft = draftOf(d, ctx.now().toISOString());
    for (const c of findings.changed) {
      const done = c.accept?.(draft);
      if (done) accepted.push(done);
    }
    for (const s of findings.serverOnly) {
      const done = s.add ? addServerLicense(draft, s.add) : null;
      if (done) accepted.push(done);
    }
    return accepted.length === 0 ? d : { ...d, licenses: draft.licenses, instances: draft.instances };
  });
  if (accepted.length === 0) return 0;
  const data = ctx.store.data;
  const instanceNames = new Map(data.instances.map((i) => [i.id, i.name]));
  const licenses = new Map(data.licenses.map((l) => [l.id, l]));
  const sourceNames = new Map(data.sources.map((s) => [s.id, s.name]));
  ctx.journal.append(
    ...accepted.map((a): NewEvent => {
      const license = licenses.get(a.licenseId);
      const where = a.instanceId ? instanceNames.get(a.instanceId) : license?.sourceId ? sourceNames.get(license.sourceId) : undefined;
      const what = a.field === 'license' ? `license ${license ? maskKey(license.key) : a.licenseId} added as the server holds it` : `${a.field} ${showFieldValue(a.field, a.before)} → ${showFieldValue(a.field, a.after)}`;
      return {
        action: CHANGED_OUTSIDE_EVENT,
        target: where ?? a.licenseId,
        licenseId: a.licenseId,
        ...(a.instanceId ? { instanceId: a.instanceId } : {}),
        ...(license?.sourceId ? { sourceId: license.sourceId } : {}),
        outcome: 'ok',
        summary: `changed outside Keyfleet: ${what}`,
        data: { field: a.field, before: a.before ?? null, after: a.after ?? null },
      };
    }),
  );
  return accepted.length;
}

function report(ctx: Context, findings: Findings, failures: ReconcileReport['failures'], checked: number, started: number): ReconcileReport {
  const data = ctx.store.data;
  const instanceNames = new Map(data.instances.map((i) => [i.id, i.name]));
  const sourceNames = new Map(data.sources.map((s) => [s.id, s.name]));
  const where = (f: { instanceId?: string | undefined; sourceId?: string | undefined }) => ({
    ...(f.instanceId ? { instance: instanceNames.get(f.instanceId) ?? f.instanceId } : {}),
    ...(f.sourceId ? { source: sourceNames.get(f.sourceId) ?? f.sourceId } : {}),
  });
  return {
    same: findings.same,
    changed: findings.changed.map((c) => ({ license: c.licenseId, key: c.key, vendor: c.vendor, ...where(c), field: c.field, recorded: c.recorded, server: c.server, ...(c.blocked ? { blocked: c.blocked } : {}) })),
    serverOnly: findings.serverOnly.map((s) => ({
      vendor: s.vendor,
      key: s.key,
      ...where(s),
      ...(s.product !== undefined ? { product: s.product } : {}),
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
      ...(s.add ? {} : { needsAdoption: true as const }),
      ...(s.replacedLicenseId ? { replacedLicense: s.replacedLicenseId } : {}),
    })),
    localOnly: findings.localOnly.map((l) => ({ vendor: l.vendor, key: l.key, license: l.licenseId, ...where(l) })),
    failures,
    checked,
    durationMs: Date.now() - started,
  };
}

/** True when the report lists nothing different and every server was read. */
export function reconciled(r: Pick<ReconcileReport, 'changed' | 'serverOnly' | 'localOnly' | 'failures'>): boolean {
  return r.changed.length + r.serverOnly.length + r.localOnly.length + r.failures.length === 0;
}

/**
 * Compare what every server (or one vendor's) holds now with what Keyfleet records, without
 * folding the readings into the store: same, changed elsewhere, on the server only, in Keyfleet
 * only. Servers are read through the scheduler (global and per-host limits). With `accept`, the
 * acceptable findings are taken into the record in one commit, and the report lists what remains.
 */
export async function reconcile(ctx: Context, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  if (opts.vendor !== undefined && !(VENDORS as readonly string[]).includes(opts.vendor)) {
    throw new KeyfleetError('BAD_INPUT', `vendor "${String(opts.vendor)}" is not one of ${VENDORS.join(', ')}`);
  }
  const started = Date.now();
  const targets = targetsOf(ctx, opts.vendor, opts.fromLastCheck === true);
  const settings = ctx.store.data.settings;
  const readings: Reading[] = [];
  const failures: ReconcileReport['failures'] = [];
  let done = 0;
  const { cancelled } = await runScheduled(
    targets.map((t) => ({ host: t.host, run: (signal: AbortSignal) => t.read(signal) })),
    { concurrency: opts.concurrency ?? settings.refreshConcurrency, perHost: opts.perHost ?? settings.perHostConcurrency, signal: opts.signal },
    (index, outcome) => {
      const target = targets[index]!;
      if (!outcome.ok && outcome.cancelled) return;
      done++;
      if (outcome.ok) readings.push(outcome.value);
      else {
        const info = toErrorInfo(outcome.error);
        failures.push({ target: target.name, error: { code: info.code, message: info.message } });
      }
      opts.onProgress?.({ done, total: targets.length, failed: failures.length, current: target.name });
    },
  );
  if (cancelled) throw new KeyfleetError('CANCELLED', 'reconciliation cancelled; nothing was changed');
  let findings = compareAll(readings, ctx.store.data);
  if (!opts.accept) return report(ctx, findings, failures, done, started);
  const accepted = acceptFindings(ctx, findings);
  findings = compareAll(readings, ctx.store.data);
  return { ...report(ctx, findings, failures, done, started), accepted };
}

/** A notification that the record and the servers differ (for the desktop app's scheduled check). */
export interface ReconcileNotice {
  kind: 'reconcile';
  title: string;
  body: string;
  /** Identifies this set of differences, so the same set is announced once. */
  signature: string;
}

/** The notice a report calls for; null when everything matches. */
export function reconcileNotice(r: ReconcileReport): ReconcileNotice | null {
  if (reconciled(r)) return null;
  const differences = r.changed.length + r.serverOnly.length + r.localOnly.length;
  const parts = [
    r.changed.length ? `${r.changed.length} changed elsewhere` : '',
    r.serverOnly.length ? `${r.serverOnly.length} on a server only` : '',
    r.localOnly.length ? `${r.localOnly.length} in Keyfleet only` : '',
    r.failures.length ? `${r.failures.length} server(s) could not be read` : '',
  ].filter(Boolean);
  const title = differences > 0 ? `${differences} license difference(s) with the vendor servers` : `${r.failures.length} server(s) could not be read`;
  const signature = JSON.stringify([
    r.changed.map((c) => [c.license, c.field, c.server]),
    r.serverOnly.map((s) => [s.vendor, s.key, s.instance ?? s.source ?? null]),
    r.localOnly.map((l) => l.license),
    r.failures.map((f) => f.target),
  ]);
  return { kind: 'reconcile', title, body: `${parts.join(', ')}. Open Keyfleet and choose Reconcile to review them.`, signature };
}
