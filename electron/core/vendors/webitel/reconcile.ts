import type { InstanceReconciler } from '../reconciler.ts';
import { compareReported } from '../reconciler.ts';
import { webitelDriver, webitelLicenseRecord, type WebitelReading } from './driver.ts';

const COMPARED_FIELDS = webitelDriver.reportedFields ?? [];

/** The registry lists every license of the domain in full: compared by license id with the recorded ones. */
export const webitelReconciler: InstanceReconciler<WebitelReading> = {
  kind: 'webitel',
  compare: (records, instance, reading) =>
    compareReported(records, instance, 'webitel', reading.licenses.map((w) => webitelLicenseRecord(instance, w)), COMPARED_FIELDS),
};
