import type { InstanceKind, StoreData } from '../store/schema.ts';
import type { NewEvent } from '../store/journal.ts';
import { instanceDrivers } from '../vendors/registry.ts';
import { CHANGED_OUTSIDE_EVENT, fieldOf, same, showFieldValue } from '../vendors/reconciler.ts';

/**
 * What a check took from an instance that was changed outside Keyfleet. An instance that reports
 * each license in full (iSymphony, Webitel) is the authority on them, so a check or refresh takes
 * what it reports; each field of a recorded license it changed (expiry, limits, a serial replaced)
 * is journalled with before and after, as accepting a reconciliation finding is. New licenses are
 * not: the check's own event says what it read.
 * A fold replaces changed licenses in place and appends new ones, so positions compare.
 */
export function outsideChangeEvents(before: Pick<StoreData, 'licenses' | 'instances'>, after: Pick<StoreData, 'licenses'>): NewEvent[] {
  if (after.licenses === before.licenses) return [];
  const events: NewEvent[] = [];
  let names: Map<string, string> | null = null;
  const n = Math.min(before.licenses.length, after.licenses.length);
  for (let i = 0; i < n; i++) {
    const was = before.licenses[i]!;
    const now = after.licenses[i]!;
    if (was === now || was.id !== now.id) continue;
    const fields = (instanceDrivers as Partial<Record<string, (typeof instanceDrivers)[InstanceKind]>>)[was.vendor]?.reportedFields;
    if (!fields) continue;
    for (const field of fields) {
      const recorded = fieldOf(was, field);
      const reported = fieldOf(now, field);
      if (same(recorded, reported)) continue;
      names ??= new Map(before.instances.map((x) => [x.id, x.name]));
      events.push({
        action: CHANGED_OUTSIDE_EVENT,
        target: (now.instanceId && names.get(now.instanceId)) || now.id,
        licenseId: now.id,
        ...(now.instanceId ? { instanceId: now.instanceId } : {}),
        outcome: 'ok',
        summary: `changed outside Keyfleet (read from the instance): ${field} ${showFieldValue(field, recorded)} → ${showFieldValue(field, reported)}`,
        data: { field, before: recorded, after: reported },
      });
    }
  }
  return events;
}
