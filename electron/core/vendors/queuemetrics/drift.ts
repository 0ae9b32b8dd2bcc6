import type { Instance, StoreData } from '../../store/schema.ts';

/**
 * Drift as scripts and people read it. An instance drifts when the key it ran at its last check
 * is not the one Keyfleet recorded for it:
 * - `differs`: Keyfleet recorded a key for it (it installed one, or holds its license) and it
 *   runs another, or it runs a key Keyfleet recorded for another instance;
 * - `unknown-key`: Keyfleet recorded no key for it and it runs one no stored license has.
 * Only QueueMetrics instances drift: iSymphony and Webitel report their licenses in full.
 */
export type DriftState = 'differs' | 'unknown-key';

export function driftState(instance: Pick<Instance, 'drift'>): DriftState | null {
  if (instance.drift === 'differs') return 'differs';
  if (instance.drift === 'unknown') return 'unknown-key';
  return null;
}

export interface DriftEntry {
  instance: string;
  instanceId: string;
  state: DriftState;
  /** When the running key was read. */
  checkedAt: string | null;
  /** The key the instance ran when read (null: none). */
  runningKey: string | null;
  /** The key Keyfleet recorded for it, if any. */
  recordedKey: string | null;
  /** The license Keyfleet recorded for it, if it holds one (to install it again). */
  recordedLicenseId: string | null;
  /** The other instance whose recorded key this one runs (the same server added twice?). */
  runningKeyOf: string | null;
}

/** The drifted instances among `instanceIds` (all when omitted), in store order. */
export function driftEntries(data: StoreData, instanceIds?: ReadonlySet<string>): DriftEntry[] {
  const drifted = data.instances.filter((i) => driftState(i) !== null && (!instanceIds || instanceIds.has(i.id)));
  if (drifted.length === 0) return [];
  const names = new Map(data.instances.map((i) => [i.id, i.name]));
  const driftedIds = new Set(drifted.map((i) => i.id));
  // The license recorded for each drifted instance: its most recently updated active one.
  const attached = new Map<string, { key: string; updatedAt: string }>();
  for (const l of data.licenses) {
    if (l.vendor !== 'queuemetrics' || !l.instanceId || !driftedIds.has(l.instanceId) || l.status !== 'active') continue;
    const best = attached.get(l.instanceId);
    if (!best || l.updatedAt > best.updatedAt) attached.set(l.instanceId, { key: l.key, updatedAt: l.updatedAt });
  }
  const recordedKeyOf = (i: Instance) => i.installedKey ?? attached.get(i.id)?.key ?? null;
  const keys = new Set(drifted.flatMap((i) => [i.snapshot?.key, recordedKeyOf(i)].filter((k): k is string => Boolean(k))));
  const byKey = new Map<string, Array<{ id: string; instanceId: string | undefined }>>();
  for (const l of data.licenses) {
    if (l.vendor === 'queuemetrics' && keys.has(l.key)) byKey.set(l.key, [...(byKey.get(l.key) ?? []), { id: l.id, instanceId: l.instanceId }]);
  }
  return drifted.map((i) => {
    const running = i.snapshot?.key ?? null;
    const recordedKey = recordedKeyOf(i);
    const holders = recordedKey ? (byKey.get(recordedKey) ?? []) : [];
    const recordedLicense = holders.find((l) => l.instanceId === i.id) ?? holders[0];
    const owner = running ? (byKey.get(running) ?? []).find((l) => l.instanceId && l.instanceId !== i.id) : undefined;
    return {
      instance: i.name,
      instanceId: i.id,
      state: driftState(i)!,
      checkedAt: i.snapshot?.at ?? null,
      runningKey: running,
      recordedKey,
      recordedLicenseId: recordedLicense?.id ?? null,
      runningKeyOf: owner?.instanceId ? (names.get(owner.instanceId) ?? null) : null,
    };
  });
}
