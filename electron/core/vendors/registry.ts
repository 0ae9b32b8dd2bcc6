import type { InstanceKind } from '../store/schema.ts';
import type { InstanceDriver, ReadingOf } from './instance-driver.ts';
import { queueMetricsDriver } from './queuemetrics/driver.ts';
import { iSymphonyDriver } from './isymphony/driver.ts';
import { webitelDriver } from './webitel/driver.ts';

/** One driver per instance kind: what check, refresh and the connection test look up. */
export const instanceDrivers: Record<InstanceKind, InstanceDriver> = {
  queuemetrics: queueMetricsDriver,
  isymphony: iSymphonyDriver,
  webitel: webitelDriver,
} satisfies { [K in InstanceKind]: InstanceDriver<ReadingOf<K>> };
