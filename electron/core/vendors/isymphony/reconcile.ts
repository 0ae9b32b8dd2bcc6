import type { InstanceReconciler } from '../reconciler.ts';
import { compareReported } from '../reconciler.ts';
import { iSymphonyDriver, iSymphonyLicenseRecord, type ISymphonyReading } from './driver.ts';

const COMPARED_FIELDS = iSymphonyDriver.reportedFields ?? [];

/** Each core server reports its one license in full: compared by serial with the recorded ones. */
export const iSymphonyReconciler: InstanceReconciler<ISymphonyReading> = {
  kind: 'isymphony',
  compare: (records, instance, reading) =>
    compareReported(records, instance, 'isymphony', reading.licenses.map(({ slug, license }) => iSymphonyLicenseRecord(instance, slug, license)), COMPARED_FIELDS),
};
