import { z } from 'zod';
import type { ReconcileReport } from '../services/reconcile.ts';
import { VENDORS } from '../store/schema.ts';
import { read, write } from './define.ts';
import { jobId } from './fields.ts';

/** Reconciliation: what each server holds now against what Keyfleet records, and taking the server's values. */

export type ReconcileView = ReconcileReport;

const input = z.strictObject({ vendor: z.enum(VENDORS).optional(), jobId });

export const reconcileContract = {
  /** Reads every server (progress as jobProgress) and changes nothing. */
  reconcile: read<ReconcileView>()(input),
  /** The same, then takes the server's values into the record; the result lists what remains. */
  reconcileAccept: write<ReconcileView>()(input),
} as const;
