import { z } from 'zod';
import type { License } from '../store/schema.ts';
import { VENDORS } from '../store/schema.ts';
import type { DriftState } from '../vendors/queuemetrics/drift.ts';
import { read, write } from './define.ts';
import { ref, stages } from './fields.ts';

/**
 * `not-running`: a QueueMetrics key recorded on an instance that ran another key when last read
 * (drift); it is no longer what that instance is licensed by.
 */
export type LicenseStatus = 'active' | 'expiring' | 'expired' | 'revoked' | 'superseded' | 'not-running';

/** A license as lists show it: names resolved, days left and status computed for today. */
export interface LicenseView {
  id: string;
  vendor: License['vendor'];
  client: string | null;
  clientId: string | null;
  instance: string | null;
  instanceId: string | null;
  product: string;
  key: string;
  limits: License['limits'];
  validFrom: string | null;
  expiresAt: string | null;
  maintenanceExpiresAt: string | null;
  daysLeft: number | null;
  status: LicenseStatus;
  origin: License['origin'];
  /** Its instance's drift (null when it has none, or the license is on no instance). */
  drift: DriftState | null;
  muted: boolean;
  /** Reminders are quiet until this date (in the user's zone). */
  snoozedUntil: string | null;
  /** The license's own reminder stages, when it overrides its client's and the global ones. */
  reminderStages: number[] | null;
}

export const LicenseFilterSchema = z.strictObject({
  expiringWithin: z.number().int().min(0).max(100_000).optional(),
  vendor: z.enum(VENDORS).optional(),
  clientId: z.string().max(64).optional(),
  instanceId: z.string().max(64).optional(),
  includeSuperseded: z.boolean().optional(),
});

/** A license's own settings: reminders muted or snoozed, its stages, the client it belongs to (null: none). */
export const LicenseSettingsSchema = z.strictObject({
  id: z.string().min(1).max(64),
  muted: z.boolean().optional(),
  snoozeDays: z.number().int().min(0).max(3650).optional(),
  reminderStages: stages.nullable().optional(),
  client: ref.nullable().optional(),
});

export const licensesContract = {
  listLicenses: read<LicenseView[]>()(LicenseFilterSchema),
  updateLicense: write<LicenseView>()(LicenseSettingsSchema),
} as const;
