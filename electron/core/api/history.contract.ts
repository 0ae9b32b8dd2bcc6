import { z } from 'zod';
import type { KeyfleetEvent } from '../store/journal.ts';
import { read } from './define.ts';
import { optionalText, ref } from './fields.ts';

export const historyContract = {
  listHistory: read<{ events: KeyfleetEvent[]; warnings: string[] }>()(
    z.strictObject({ instance: ref.optional(), action: optionalText(100), limit: z.number().int().min(1).max(100_000).optional() }),
  ),
} as const;
