import { z } from 'zod';
import type { Settings } from '../store/schema.ts';
import { read, write } from './define.ts';
import { empty, stages } from './fields.ts';

/** The application itself: what it is, the dashboard's counts, settings, and cancelling a running job. */

export interface AppInfo {
  version: string;
  dataDir: string;
  platform: string;
  keychainService: string;
  timeZone: string;
}

export interface DashboardSummary {
  instances: number;
  clients: number;
  licenses: number;
  expiringWithin7: number;
  expiringWithin30: number;
  expiringWithin90: number;
  expired: number;
  /** Instances whose key changed or is unknown (unknownKeys among them). */
  drifted: number;
  /** QueueMetrics instances running a key no license has: counted until adopted, never dropped. */
  unknownKeys: number;
  unreachable: number;
  ppksInStock: number;
}

export const SettingsPatchSchema = z.strictObject({
  reminderStages: stages.optional(),
  lowStockThreshold: z.number().int().min(0).max(100_000).optional(),
  refreshConcurrency: z.number().int().min(1).max(256).optional(),
  perHostConcurrency: z.number().int().min(1).max(64).optional(),
  keepRunningInTray: z.boolean().optional(),
  startAtLogin: z.boolean().optional(),
  scheduledRefreshHours: z.number().int().min(0).max(168).optional(),
});

export const appContract = {
  getAppInfo: read<AppInfo>()(empty),
  getDashboard: read<DashboardSummary>()(empty),
  getSettings: read<Settings>()(empty),
  updateSettings: write<Settings>()(SettingsPatchSchema),
  // Cancelling stops a job; the job itself reports what it changed.
  cancelJob: read<{ cancelled: boolean }>()(z.strictObject({ jobId: z.string().min(1).max(64) })),
} as const;
