import { VENDOR_LABELS } from '../../store/schema.ts';
import type { InstanceDriver } from '../instance-driver.ts';
import { compareReported } from '../reconciler.ts';
import type { Instance } from '../../store/schema.ts';
import { positionsOf, upsertLicense, type ReadLicense } from '../../services/license-index.ts';
import { WebitelClient } from './client.ts';
import type { WebitelLicense } from './wire.ts';

export interface WebitelReading {
  kind: 'webitel';
  /** The whole license registry of the instance's domain. */
  licenses: WebitelLicense[];
}

function dateOnly(instant: string | null): string | null {
  return instant ? instant.slice(0, 10) : null;
}

/** A registry license as Keyfleet records it (what a check stores, what reconciliation compares). */
export function webitelLicenseRecord(instance: Instance, w: WebitelLicense): ReadLicense {
  return {
    vendor: 'webitel',
    key: w.id,
    instanceId: instance.id,
    clientId: instance.clientId,
    product: w.product,
    limits: { seats: w.limit, used: w.used, competitive: w.competitive },
    ...(w.validFrom ? { validFrom: w.validFrom.slice(0, 10) } : {}),
    expiresAt: dateOnly(w.validTill),
    origin: 'instance',
    details: { name: w.name, scope: w.scope, remain: w.remain, status: w.status },
  };
}

// What a registry license can change behind Keyfleet's back; `limits.used` moves with every
// login and is not a fact of the license.
const REPORTED_FIELDS = ['expiresAt', 'validFrom', 'limits.seats', 'limits.competitive', 'product', 'status'];

/** A Webitel instance is one server's license registry, read and extended over its REST API. */
export const webitelDriver: InstanceDriver<WebitelReading, WebitelClient> = {
  kind: 'webitel',
  label: VENDOR_LABELS.webitel,
  createClient: (endpoint) => new WebitelClient(endpoint),
  // The `/api` REST base, or a host named webitel.
  recognizesUrl: (url) => /(^|\/)api\/?$/.test(url.pathname.toLowerCase()) || /(^|[.-])webitel([.-]|$)/.test(url.hostname.toLowerCase()),
  async read(client, _instance, opts) {
    return { kind: 'webitel', licenses: await client.listLicenses(opts) };
  },
  fold({ instance, licenses, index, at }, reading) {
    instance.snapshot = { at, key: null, summary: `${reading.licenses.length} license(s)` };
    instance.drift = 'none';
    const seen = new Set<string>();
    for (const w of reading.licenses) {
      seen.add(w.id);
      upsertLicense(licenses, index, webitelLicenseRecord(instance, w), at);
    }
    // A license the registry no longer lists was replaced or removed.
    for (const i of positionsOf(index, instance.id)) {
      const l = licenses[i]!;
      if (l.vendor === 'webitel' && l.instanceId === instance.id && !seen.has(l.key) && l.status === 'active') licenses[i] = { ...l, status: 'superseded', updatedAt: at };
    }
  },
  async testConnection(client) {
    const r = await client.testConnection();
    return { ok: true, summary: `Webitel answered; customer ${r.organization || '(no certificate loaded)'}`, certSha256: r.certSha256 ?? null };
  },
  describe: (reading) => `${reading.licenses.length} license(s)`,
  reportedFields: REPORTED_FIELDS,
  // The registry lists every license of the domain in full: compared by license id with the recorded ones.
  compare: (records, instance, reading) => compareReported(records, instance, 'webitel', reading.licenses.map((w) => webitelLicenseRecord(instance, w)), REPORTED_FIELDS),
};
