import type { InstanceReconciler } from '../reconciler.ts';
import { compareReported } from '../reconciler.ts';
import { iSymphonyLicenseRecord, type ISymphonyReading } from './driver.ts';

/** What a core server's license can change behind Keyfleet's back. */
const COMPARED_FIELDS = ['expiresAt', 'maintenanceExpiresAt', 'limits.connections', 'limits.users', 'product', 'status'] as const;

/** Each core server reports its one license in full: compared by serial with the recorded ones. */
export const iSymphonyReconciler: InstanceReconciler<ISymphonyReading> = {
  kind: 'isymphony',
  compare: (records, instance, reading) =>
    compareReported(records, instance, 'isymphony', reading.licenses.map(({ slug, license }) => iSymphonyLicenseRecord(instance, slug, license)), COMPARED_FIELDS),
};
