import type { Instance, StoreData } from '../../store/schema.ts';

/**
 * Record `key` as the key a QueueMetrics instance runs (pure): the licenses it no longer runs are
 * marked superseded, a license with that key on no instance (or on this one) is attached and
 * active, and the instance no longer drifts. The caller checked that no other instance holds it.
 */
export function recordRunningKey(
  d: Pick<StoreData, 'licenses' | 'instances'>,
  instanceId: string,
  key: string | null,
  at: string,
): { licenses: StoreData['licenses']; instances: StoreData['instances']; superseded: number } {
  const current = d.instances.find((i) => i.id === instanceId);
  if (!current) return { licenses: d.licenses, instances: d.instances, superseded: 0 };
  const retired = new Set(d.licenses.filter((l) => l.vendor === 'queuemetrics' && l.instanceId === instanceId && l.status === 'active' && l.key !== key).map((l) => l.id));
  const licenses = d.licenses.map((l) => {
    if (retired.has(l.id)) return { ...l, status: 'superseded' as const, updatedAt: at };
    if (key !== null && l.vendor === 'queuemetrics' && l.key === key && (l.instanceId === undefined || l.instanceId === instanceId)) {
      return { ...l, instanceId, clientId: l.clientId ?? current.clientId, status: l.status === 'superseded' ? ('active' as const) : l.status, replaces: [...new Set([...l.replaces, ...retired])], updatedAt: at };
    }
    return l;
  });
  const { installedKey: _previous, ...rest } = current;
  const next: Instance = { ...rest, ...(key !== null ? { installedKey: key } : {}), snapshot: { at, key }, drift: 'none' };
  return { licenses, instances: d.instances.map((i) => (i.id === instanceId ? next : i)), superseded: retired.size };
}
