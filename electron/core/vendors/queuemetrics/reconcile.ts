import type { Instance, License } from '../../store/schema.ts';
import type { ChangeFinding, Findings, RecordView } from '../reconciler.ts';
import { noFindings } from '../reconciler.ts';
import { recordRunningKey } from './running-key.ts';
import { maskKey } from './client.ts';
import type { QueueMetricsReading } from './driver.ts';

/**
 * A QueueMetrics instance runs one key. Compared with the key Keyfleet records for it (the one it
 * installed last, else its most recently updated active license):
 * - the same key: same;
 * - no key running: the recorded license is in Keyfleet only;
 * - a key no license has: on the server only, an "unknown key" that needs its expiry and limits
 *   before it can become a license (adoption), so accepting never adds it;
 * - another key a license has: changed, field `key`; accepting records the running key as the
 *   instance's (as `instance accept-key` does), unless that license belongs to another instance.
 */
export function compareRunningKey(records: RecordView, instance: Instance, reading: QueueMetricsReading): Findings {
  const out: Findings = noFindings();
  const own = records.licensesOf(instance.id).filter((l) => l.vendor === 'queuemetrics');
  const best = own.filter((l) => l.status === 'active').reduce<License | undefined>((a, l) => (!a || l.updatedAt > a.updatedAt ? l : a), undefined);
  const recordedKey = instance.installedKey ?? best?.key;
  const recordedLicense = recordedKey === undefined ? undefined : (own.find((l) => l.key === recordedKey && l.status === 'active') ?? own.find((l) => l.key === recordedKey));
  const running = reading.key;

  if (running === null) {
    if (recordedLicense) out.localOnly.push({ vendor: 'queuemetrics', key: recordedLicense.key, licenseId: recordedLicense.id, instanceId: instance.id });
    return out;
  }
  const holders = records.queueMetricsHolders(running);
  if (holders.length === 0) {
    out.serverOnly.push({ vendor: 'queuemetrics', key: running, instanceId: instance.id, product: 'QueueMetrics', replacedLicenseId: recordedLicense?.id });
    return out;
  }
  if (running === recordedKey) {
    out.same++;
    return out;
  }
  const holder = holders.find((l) => l.instanceId === instance.id) ?? holders.find((l) => l.instanceId === undefined) ?? holders[0]!;
  const change: ChangeFinding = {
    licenseId: recordedLicense?.id ?? holder.id,
    key: recordedKey ?? running,
    vendor: 'queuemetrics',
    instanceId: instance.id,
    field: 'key',
    recorded: recordedKey ?? null,
    server: running,
  };
  if (holder.instanceId !== undefined && holder.instanceId !== instance.id) {
    change.blocked = `it runs the key of license ${holder.id}, recorded for another instance (the same server added twice?)`;
  } else {
    change.accept = (draft) => {
      const current = draft.instances.find((i) => i.id === instance.id);
      if (!current || (current.installedKey ?? null) !== (instance.installedKey ?? null)) return null;
      const next = recordRunningKey(draft, instance.id, running, draft.at);
      draft.licenses = next.licenses;
      draft.instances = next.instances;
      return { licenseId: holder.id, instanceId: instance.id, field: 'key', before: recordedKey ? maskKey(recordedKey) : null, after: maskKey(running) };
    };
  }
  out.changed.push(change);
  return out;
}
