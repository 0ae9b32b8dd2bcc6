import type { Context } from '../context.ts';
import type { License, StoreData } from '../store/schema.ts';
import { parseIsoDate, todayIn } from '../domain/reminders.ts';
import { driftState } from '../vendors/queuemetrics/drift.ts';
import type { LicenseStatus, LicenseView } from '../api/licenses.contract.ts';

export type { LicenseStatus, LicenseView } from '../api/licenses.contract.ts';

export function licenseStatus(l: License, daysLeft: number | null, expiringWithin: number, runningKey?: string | null): LicenseStatus {
  if (l.status !== 'active') return l.status;
  // The instance was read running another key: this one is not what licenses it now.
  if (runningKey !== undefined && l.vendor === 'queuemetrics' && runningKey !== l.key) return 'not-running';
  if (daysLeft === null) return 'active';
  if (daysLeft < 0) return 'expired';
  if (daysLeft <= expiringWithin) return 'expiring';
  return 'active';
}

/** Lookup tables built once per call, so a 20,000-row list costs one pass. */
function nameIndex(data: StoreData) {
  return {
    clients: new Map(data.clients.map((c) => [c.id, c.name])),
    instances: new Map(data.instances.map((i) => [i.id, i])),
  };
}

/**
 * Calendar days from today (in the user's zone) to an expiry date, as daysUntil counts them.
 * Today is worked out once per list, not once per row (resolving the zone is the costly part),
 * and each distinct expiry date once: a 20,000-row list shares a few thousand dates.
 */
function daysLeftCounter(now: Date, timeZone: string): (expiresAt: string) => number {
  let todayUtc: number | undefined;
  const known = new Map<string, number>();
  return (expiresAt) => {
    let days = known.get(expiresAt);
    if (days === undefined) {
      if (todayUtc === undefined) {
        const today = parseIsoDate(todayIn(now, timeZone), 'today');
        todayUtc = Date.UTC(today.year, today.month - 1, today.day);
      }
      const { year, month, day } = parseIsoDate(expiresAt, 'expiry date');
      // Both ends are calendar dates, so their distance is the same in UTC as in any zone.
      days = Math.round((Date.UTC(year, month - 1, day) - todayUtc) / 86_400_000);
      known.set(expiresAt, days);
    }
    return days;
  };
}

/** The same order as String#localeCompare, without building a collator per comparison. */
const idOrder = new Intl.Collator();

export interface LicenseFilter {
  expiringWithin?: number | undefined;
  vendor?: License['vendor'] | undefined;
  clientId?: string | undefined;
  instanceId?: string | undefined;
  /** Only this license (superseded or not). */
  id?: string | undefined;
  includeSuperseded?: boolean | undefined;
}

export function listLicenses(ctx: Context, filter: LicenseFilter = {}): LicenseView[] {
  const data = ctx.store.data;
  const names = nameIndex(data);
  const daysUntil = daysLeftCounter(ctx.now(), ctx.timeZone);
  const expiringWithin = Math.max(0, ...data.settings.reminderStages);
  const out: LicenseView[] = [];
  for (const l of data.licenses) {
    if (filter.id && l.id !== filter.id) continue;
    if (filter.vendor && l.vendor !== filter.vendor) continue;
    if (filter.clientId && l.clientId !== filter.clientId) continue;
    if (filter.instanceId && l.instanceId !== filter.instanceId) continue;
    if (!filter.includeSuperseded && !filter.id && l.status === 'superseded') continue;
    const daysLeft = l.expiresAt ? daysUntil(l.expiresAt) : null;
    const instance = l.instanceId ? names.instances.get(l.instanceId) : undefined;
    if (filter.expiringWithin !== undefined && (daysLeft === null || daysLeft > filter.expiringWithin)) continue;
    out.push({
      id: l.id,
      vendor: l.vendor,
      client: l.clientId ? (names.clients.get(l.clientId) ?? null) : null,
      clientId: l.clientId ?? null,
      instance: instance?.name ?? null,
      instanceId: l.instanceId ?? null,
      product: l.product,
      key: l.key,
      limits: l.limits,
      validFrom: l.validFrom ?? null,
      expiresAt: l.expiresAt,
      maintenanceExpiresAt: l.maintenanceExpiresAt ?? null,
      daysLeft,
      status: licenseStatus(l, daysLeft, expiringWithin, instance?.kind === 'queuemetrics' ? instance.snapshot?.key : undefined),
      origin: l.origin,
      drift: instance ? driftState(instance) : null,
      muted: l.muted ?? false,
      snoozedUntil: l.snoozedUntil ?? null,
      reminderStages: l.reminderStages ?? null,
    });
  }
  // Soonest expiry first; perpetual licenses last.
  out.sort((a, b) => (a.daysLeft ?? Number.POSITIVE_INFINITY) - (b.daysLeft ?? Number.POSITIVE_INFINITY) || idOrder.compare(a.id, b.id));
  return out;
}

/** The soonest-expiring license of each instance, from one listing (not one listing per instance). */
export function soonestLicenseByInstance(ctx: Context): Map<string, LicenseView> {
  const out = new Map<string, LicenseView>();
  for (const l of listLicenses(ctx)) if (l.instanceId && !out.has(l.instanceId)) out.set(l.instanceId, l);
  return out;
}
