import { z } from 'zod';
import { read } from './define.ts';

export interface DueReminderView {
  licenseId: string;
  stage: number;
  daysLeft: number;
  expiresAt: string;
  title: string;
  body: string;
}

export const remindersContract = {
  // A dry run (the default) records nothing; the app asks only to show what is due.
  dueReminders: read<DueReminderView[]>()(z.strictObject({ dryRun: z.boolean().optional() })),
} as const;
