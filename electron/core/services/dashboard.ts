import type { Context } from '../context.ts';
import type { DashboardSummary } from '../api/app.contract.ts';
import { listLicenses } from './licenses.ts';

/** The dashboard's counts: the fleet at a glance, expiries by horizon, what needs attention. */
export function dashboardSummary(ctx: Context): DashboardSummary {
  const data = ctx.store.data;
  const licenses = listLicenses(ctx);
  const within = (n: number) => licenses.filter((l) => l.daysLeft !== null && l.daysLeft >= 0 && l.daysLeft <= n && l.status !== 'revoked').length;
  return {
    instances: data.instances.length,
    clients: data.clients.length,
    licenses: licenses.length,
    expiringWithin7: within(7),
    expiringWithin30: within(30),
    expiringWithin90: within(90),
    expired: licenses.filter((l) => l.status === 'expired').length,
    drifted: data.instances.filter((i) => i.drift === 'differs' || i.drift === 'unknown').length,
    unknownKeys: data.instances.filter((i) => i.drift === 'unknown').length,
    unreachable: data.instances.filter((i) => i.lastCheck && !i.lastCheck.ok).length,
    ppksInStock: data.ppks.filter((p) => p.state === 'in-stock').length,
  };
}
