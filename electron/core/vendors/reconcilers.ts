import type { KeySource } from '../store/schema.ts';
import type { SourceReconciler } from './reconciler.ts';
import { qlmSourceReconciler } from './qlm/source-reconciler.ts';

/**
 * One comparison per kind of key source that can list what it holds (a Loway key server cannot).
 * Instances are compared by their driver (`InstanceDriver.compare`, registry.ts).
 */
export const sourceReconcilers: Partial<Record<KeySource['kind'], SourceReconciler>> = {
  qlm: qlmSourceReconciler,
};
