import type { Context } from '../context.ts';
import type { License, StoreData } from '../store/schema.ts';
import { daysUntil } from '../domain/reminders.ts';

export type LicenseStatus = 'active' | 'expiring' | 'expired' | 'revoked' | 'superseded';

/** A license as lists show it: names resolved, days left and status computed for today. */
export interface LicenseView {
  id: string;
  vendor: License['vendor'];
  client: string | null;
  clientId: string | null;
  instance: string | null;
  instanceId: string | null;
  product: string;
  key: string;
  limits: License['limits'];
  validFrom: string | null;
  expiresAt: string | null;
  maintenanceExpiresAt: string | null;
  daysLeft: number | null;
  status: LicenseStatus;
  origin: License['origin'];
  muted: boolean;
}

export function licenseStatus(l: License, daysLeft: number | null, expiringWithin: number): LicenseStatus {
  if (l.status !== 'active') return l.status;
  if (daysLeft === null) return 'active';
  if (daysLeft < 0) return 'expired';
  if (daysLeft <= expiringWithin) return 'expiring';
  return 'active';
}

/** Lookup tables built once per call, so a 20,000-row list costs one pass. */
function nameIndex(data: StoreData) {
  return {
    clients: new Map(data.clients.map((c) => [c.id, c.name])),
    instances: new Map(data.instances.map((i) => [i.id, i.name])),
  };
}

export interface LicenseFilter {
  expiringWithin?: number | undefined;
  vendor?: License['vendor'] | undefined;
  clientId?: string | undefined;
  instanceId?: string | undefined;
  includeSuperseded?: boolean | undefined;
}

export function listLicenses(ctx: Context, filter: LicenseFilter = {}): LicenseView[] {
  const data = ctx.store.data;
  const names = nameIndex(data);
  const now = ctx.now();
  const expiringWithin = Math.max(0, ...data.settings.reminderStages);
  const out: LicenseView[] = [];
  for (const l of data.licenses) {
    if (filter.vendor && l.vendor !== filter.vendor) continue;
    if (filter.clientId && l.clientId !== filter.clientId) continue;
    if (filter.instanceId && l.instanceId !== filter.instanceId) continue;
    if (!filter.includeSuperseded && l.status === 'superseded') continue;
    const daysLeft = l.expiresAt ? daysUntil(l.expiresAt, now, ctx.timeZone) : null;
    if (filter.expiringWithin !== undefined && (daysLeft === null || daysLeft > filter.expiringWithin)) continue;
    out.push({
      id: l.id,
      vendor: l.vendor,
      client: l.clientId ? (names.clients.get(l.clientId) ?? null) : null,
      clientId: l.clientId ?? null,
      instance: l.instanceId ? (names.instances.get(l.instanceId) ?? null) : null,
      instanceId: l.instanceId ?? null,
      product: l.product,
      key: l.key,
      limits: l.limits,
      validFrom: l.validFrom ?? null,
      expiresAt: l.expiresAt,
      maintenanceExpiresAt: l.maintenanceExpiresAt ?? null,
      daysLeft,
      status: licenseStatus(l, daysLeft, expiringWithin),
      origin: l.origin,
      muted: l.muted ?? false,
    });
  }
  // Soonest expiry first; perpetual licenses last.
  out.sort((a, b) => (a.daysLeft ?? Number.POSITIVE_INFINITY) - (b.daysLeft ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id));
  return out;
}
