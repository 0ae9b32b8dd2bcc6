import type { Instance, License } from '../../store/schema.ts';
import { VENDOR_LABELS } from '../../store/schema.ts';
import type { InstanceDriver } from '../instance-driver.ts';
import { compareReported } from '../reconciler.ts';
import { positionsOf, upsertLicense, type LicenseIndex, type ReadLicense } from '../../services/license-index.ts';
import { ISYMPHONY_DEFAULT_PORT, ISymphonyClient, type ISymphonyLicense } from './client.ts';

export interface ISymphonyReading {
  kind: 'isymphony';
  licenses: Array<{ slug: string; license: ISymphonyLicense }>;
  /** The reading covers every core server the instance tracks (a check), not just one (an activation). */
  complete?: boolean;
}

/**
 * A core server runs one license: once it reports another serial, the one stored for it was
 * replaced. A complete reading also retires licenses of core servers the instance no longer
 * covers (removed from the host, or the user chose one core server).
 */
function retireReplaced(licenses: License[], index: LicenseIndex, instanceId: string, reading: ISymphonyReading, at: string): void {
  const serialBySlug = new Map(reading.licenses.map((l) => [l.slug, l.license.serial]));
  const serials = new Set(reading.licenses.map((l) => l.license.serial));
  for (const i of positionsOf(index, instanceId)) {
    const l = licenses[i]!;
    if (l.vendor !== 'isymphony' || l.instanceId !== instanceId || l.status !== 'active' || serials.has(l.key)) continue;
    const slug = l.details?.coreServer;
    const replaced = typeof slug === 'string' && serialBySlug.has(slug);
    if (replaced || reading.complete) licenses[i] = { ...l, status: 'superseded', updatedAt: at };
  }
}

/** A core server's license as Keyfleet records it (what a check stores, what reconciliation compares). */
export function iSymphonyLicenseRecord(instance: Instance, slug: string, license: ISymphonyLicense): ReadLicense {
  return {
    vendor: 'isymphony',
    key: license.serial,
    instanceId: instance.id,
    clientId: instance.clientId,
    product: `iSymphony ${license.type}`.trim(),
    limits: { connections: license.clientConnections, users: license.configuredUsers },
    expiresAt: license.expiresAt,
    maintenanceExpiresAt: license.maintenanceExpiresAt,
    origin: 'instance',
    details: { coreServer: slug, type: license.type, licensedTo: license.licensedTo },
  };
}

// What a core server's license can change behind Keyfleet's back.
const REPORTED_FIELDS = ['expiresAt', 'maintenanceExpiresAt', 'limits.connections', 'limits.users', 'product', 'status'];

/** An iSymphony instance is one host's core servers (or the one chosen), each with one license. */
export const iSymphonyDriver: InstanceDriver<ISymphonyReading, ISymphonyClient> = {
  kind: 'isymphony',
  label: VENDOR_LABELS.isymphony,
  createClient: (endpoint) => new ISymphonyClient(endpoint),
  // The `/communication_manager` REST root, or iSymphony's own port.
  recognizesUrl: (url) => url.pathname.toLowerCase().includes('/communication_manager') || url.port === String(ISYMPHONY_DEFAULT_PORT),
  kindWords: ['isym'],
  async read(client, instance, opts) {
    const slugs = instance.coreServer ? [instance.coreServer] : (await client.listCoreServers(opts)).map((s) => s.slug);
    const licenses = [];
    for (const slug of slugs) licenses.push({ slug, license: await client.readLicense(slug, opts) });
    return { kind: 'isymphony', licenses, complete: true };
  },
  fold({ instance, licenses, index, at }, reading) {
    instance.snapshot = { at, key: reading.licenses.map((l) => l.license.serial).join(',') || null, summary: `${reading.licenses.length} core server(s)` };
    instance.drift = 'none';
    for (const { slug, license } of reading.licenses) {
      upsertLicense(licenses, index, iSymphonyLicenseRecord(instance, slug, license), at);
    }
    retireReplaced(licenses, index, instance.id, reading, at);
  },
  async testConnection(client, hints) {
    const r = await client.testConnection();
    const slugs = r.coreServers.map((s) => s.slug);
    // The list is still returned so the user can pick the right core server.
    const chosen = hints.coreServer?.trim();
    const missing = chosen && !slugs.includes(chosen) ? `; the chosen core server "${chosen}" is not among them` : '';
    return { ok: true, summary: `iSymphony answered; ${r.coreServers.length} core server(s): ${slugs.join(', ')}${missing}`, certSha256: r.certSha256 ?? null, coreServers: r.coreServers };
  },
  describe: (reading) => reading.licenses.map((l) => `${l.slug}: ${l.license.serial.slice(0, 6)}… ${l.license.expiresAt ?? 'perpetual'}`).join('; '),
  reportedFields: REPORTED_FIELDS,
  // Each core server reports its one license in full: compared by serial with the recorded ones.
  compare: (records, instance, reading) => compareReported(records, instance, 'isymphony', reading.licenses.map(({ slug, license }) => iSymphonyLicenseRecord(instance, slug, license)), REPORTED_FIELDS),
};
