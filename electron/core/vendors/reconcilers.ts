import type { InstanceKind, KeySource } from '../store/schema.ts';
import type { ReadingOf } from './instance-driver.ts';
import type { InstanceReconciler, SourceReconciler } from './reconciler.ts';
import { queueMetricsReconciler } from './queuemetrics/reconcile.ts';
import { iSymphonyReconciler } from './isymphony/reconcile.ts';
import { webitelReconciler } from './webitel/reconcile.ts';
import { qlmSourceReconciler } from './qlm/source-reconciler.ts';

/** One comparison per instance kind: what reconciliation looks up by `instance.kind`. */
export const instanceReconcilers: Record<InstanceKind, InstanceReconciler> = {
  queuemetrics: queueMetricsReconciler,
  isymphony: iSymphonyReconciler,
  webitel: webitelReconciler,
} satisfies { [K in InstanceKind]: InstanceReconciler<ReadingOf<K>> };

/** One comparison per kind of key source that can list what it holds (a Loway key server cannot). */
export const sourceReconcilers: Partial<Record<KeySource['kind'], SourceReconciler>> = {
  qlm: qlmSourceReconciler,
};
