import { z } from 'zod';
import type { Client } from '../store/schema.ts';
import { read, write } from './define.ts';
import { csvText, email, empty, name, optionalText, ref, stages, tagList } from './fields.ts';

export const ClientInputSchema = z.strictObject({
  name,
  email: email.optional().or(z.literal('')),
  notes: optionalText(10_000),
  tags: tagList.optional(),
});

export const clientsContract = {
  listClients: read<Client[]>()(empty),
  addClient: write<Client>()(ClientInputSchema),
  updateClient: write<Client>()(z.strictObject({ ref, patch: ClientInputSchema.partial().extend({ reminderStages: stages.nullable().optional() }) })),
  removeClient: write<{ removed: true }>()(z.strictObject({ ref })),
  importClientsCsv: write<{ imported: number; errors: Array<{ line: number; message: string }> }>()(
    z.strictObject({ csv: csvText, validOnly: z.boolean().optional(), fileName: optionalText(300) }),
  ),
} as const;
