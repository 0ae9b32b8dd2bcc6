import type { InstanceKind } from '../store/schema.ts';
import type { InstanceDriver } from './instance-driver.ts';
import { queueMetricsDriver } from './queuemetrics/driver.ts';
import { iSymphonyDriver } from './isymphony/driver.ts';
import { webitelDriver } from './webitel/driver.ts';

/** One driver per instance kind, by kind: a new kind is one folder and one line here. */
const drivers = {
  queuemetrics: queueMetricsDriver,
  isymphony: iSymphonyDriver,
  webitel: webitelDriver,
};

type ReadingOfDriver<D> = D extends { describe(reading: infer R): string } ? R : never;

/** What reading an instance returns (plain data, folded into the store without I/O): one shape per driver. */
export type InstanceReading = { [K in keyof typeof drivers]: ReadingOfDriver<(typeof drivers)[K]> }[keyof typeof drivers];

export type ReadingOf<K extends InstanceKind> = Extract<InstanceReading, { kind: K }>;

/** What check, refresh, reconciliation, onboarding and the connection test look up by `instance.kind`. */
export const instanceDrivers: Record<InstanceKind, InstanceDriver> = drivers satisfies { [K in InstanceKind]: InstanceDriver<ReadingOf<K>> };
