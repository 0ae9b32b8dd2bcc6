import type { Instance, License } from '../../store/schema.ts';
import { VENDOR_LABELS } from '../../store/schema.ts';
import type { InstanceDriver } from '../instance-driver.ts';
import { compositeKey, addPosition, positionsOf, type LicenseIndex } from '../../services/license-index.ts';
import { QueueMetricsClient, maskKey } from './client.ts';
import { compareRunningKey } from './reconcile.ts';

export interface QueueMetricsReading {
  kind: 'queuemetrics';
  /** The key the instance runs (null: none installed). */
  key: string | null;
}

/**
 * The key a QueueMetrics instance should run, as Keyfleet records it: the one it installed
 * there last, else the most recently updated active QueueMetrics license attached to it.
 */
function recordedKey(licenses: readonly License[], index: LicenseIndex, instance: Instance): string | undefined {
  if (instance.installedKey) return instance.installedKey;
  let best: License | undefined;
  for (const i of positionsOf(index, instance.id)) {
    const l = licenses[i]!;
    if (l.vendor === 'queuemetrics' && l.instanceId === instance.id && l.status === 'active' && (!best || l.updatedAt > best.updatedAt)) best = l;
  }
  return best?.key;
}

/**
 * Compare the key a QueueMetrics instance runs with the one recorded for it, and return the
 * drift. A stored license with the running key that belongs to no instance yet is attached to
 * this one; a license attached to another instance is never moved (two instances reading one
 * key are usually one server added twice, and moving it on each check would hide that).
 */
function foldRunningKey(licenses: License[], index: LicenseIndex, instance: Instance, key: string | null, at: string): NonNullable<Instance['drift']> {
  const recorded = recordedKey(licenses, index, instance);
  if (recorded !== undefined) return key === recorded ? 'none' : 'differs';
  if (key === null) return 'none'; // nothing recorded, nothing running: nothing to compare
  const knownAt = index.qmByKey.get(key);
  const known = knownAt === undefined ? undefined : licenses[knownAt];
  if (!known || knownAt === undefined) return 'unknown';
  if (known.instanceId !== undefined && known.instanceId !== instance.id) return 'differs';
  if (known.instanceId === undefined) {
    licenses[knownAt] = { ...known, instanceId: instance.id, clientId: known.clientId ?? instance.clientId, updatedAt: at };
    index.byKey.set(compositeKey('queuemetrics', instance.id, known.key), knownAt);
    addPosition(index.byInstance, instance.id, knownAt);
  }
  return 'none';
}

/** A QueueMetrics instance runs one key, read and installed over its XML-RPC API. */
export const queueMetricsDriver: InstanceDriver<QueueMetricsReading, QueueMetricsClient> = {
  kind: 'queuemetrics',
  label: VENDOR_LABELS.queuemetrics,
  createClient: (endpoint) => new QueueMetricsClient(endpoint),
  // Its webapp `/queuemetrics` or its XML-RPC endpoint `…/xmlrpc.do`.
  recognizesUrl: (url) => /\/xmlrpc\.do$/.test(url.pathname.toLowerCase()) || /(^|\/)queuemetrics(\/|$)/.test(url.pathname.toLowerCase()),
  kindWords: ['qm'],
  async read(client, _instance, opts) {
    const { key } = await client.readKey(opts);
    return { kind: 'queuemetrics', key };
  },
  fold({ instance, licenses, index, at }, reading) {
    instance.snapshot = { at, key: reading.key };
    instance.drift = foldRunningKey(licenses, index, instance, reading.key, at);
  },
  async testConnection(client) {
    const { key } = await client.readKey();
    return { ok: true, summary: key ? `QueueMetrics answered; installed key ${maskKey(key)}` : 'QueueMetrics answered; no key installed', certSha256: null };
  },
  describe: (reading) => (reading.key ? `key ${reading.key.slice(0, 8)}…${reading.key.slice(-4)}` : 'no key installed'),
  readingOfLastCheck: (instance) => (instance.snapshot ? { kind: 'queuemetrics', key: instance.snapshot.key } : null),
  compare: compareRunningKey,
};
