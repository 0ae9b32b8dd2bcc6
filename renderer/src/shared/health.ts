import type { Health } from './ui/Badges.tsx';
import type { InstanceView, LicenseView } from './types.ts';
import { formatRelative } from './format.ts';

/** One status dot per instance: unreachable beats drift beats expiring. */
export function instanceHealth(i: InstanceView, soonestDaysLeft: number | null | undefined): { health: Health; label: string } {
  if (i.lastCheck && !i.lastCheck.ok) return { health: 'error', label: `Unreachable at last check (${formatRelative(i.lastCheck.at)}): ${i.lastCheck.error?.message ?? 'failed'}` };
  if (i.drift === 'differs') return { health: 'warn', label: 'Drift: at its last check the instance ran a key other than the one Keyfleet recorded for it' };
  if (i.drift === 'unknown') return { health: 'warn', label: 'Unknown key: at its last check the instance ran a key Keyfleet has no record of' };
  if (soonestDaysLeft !== null && soonestDaysLeft !== undefined && soonestDaysLeft < 0) return { health: 'error', label: `License expired ${-soonestDaysLeft} days ago` };
  if (soonestDaysLeft !== null && soonestDaysLeft !== undefined && soonestDaysLeft <= 30) return { health: 'warn', label: `License expires in ${soonestDaysLeft} days` };
  if (!i.lastCheck) return { health: 'unknown', label: 'Never checked' };
  return { health: 'ok', label: `Reachable, checked ${formatRelative(i.lastCheck.at)}` };
}

/** Soonest days-left per instance id (active licenses only). */
export function soonestByInstance(licenses: readonly LicenseView[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const l of licenses) {
    if (!l.instanceId || l.status === 'revoked' || l.status === 'superseded') continue;
    const prev = out.get(l.instanceId);
    if (l.daysLeft === null) {
      if (!out.has(l.instanceId)) out.set(l.instanceId, null);
      continue;
    }
    if (prev === undefined || prev === null || l.daysLeft < prev) out.set(l.instanceId, l.daysLeft);
  }
  return out;
}

const RANK: Record<Health, number> = { error: 3, warn: 2, unknown: 1, ok: 0 };

export function worstHealth(items: Array<{ health: Health; label: string }>): { health: Health; label: string } {
  if (items.length === 0) return { health: 'unknown', label: 'No instances' };
  const worst = items.reduce((a, b) => (RANK[b.health] > RANK[a.health] ? b : a));
  const bad = items.filter((i) => i.health === 'error' || i.health === 'warn').length;
  return { health: worst.health, label: bad ? `${bad} of ${items.length} instances need attention: ${worst.label}` : `${items.length} instance${items.length === 1 ? '' : 's'}, all fine` };
}
