import type { InstanceReconciler } from '../reconciler.ts';
import { compareReported } from '../reconciler.ts';
import { webitelLicenseRecord, type WebitelReading } from './driver.ts';

/**
 * What a registry license can change behind Keyfleet's back. `limits.used` is left out: it moves
 * with every login and is not a fact of the license.
 */
const COMPARED_FIELDS = ['expiresAt', 'validFrom', 'limits.seats', 'limits.competitive', 'product', 'status'] as const;

/** The registry lists every license of the domain in full: compared by license id with the recorded ones. */
export const webitelReconciler: InstanceReconciler<WebitelReading> = {
  kind: 'webitel',
  compare: (records, instance, reading) =>
    compareReported(records, instance, 'webitel', reading.licenses.map((w) => webitelLicenseRecord(instance, w)), COMPARED_FIELDS),
};
