import { z } from 'zod';
import { read } from './define.ts';
import { empty, exportFormat, ref } from './fields.ts';

export interface ExportResult {
  fileName: string;
  mimeType: string;
  content: string;
}

/** Exports only build a file's content: saving it is the window's business. */
export const exportsContract = {
  exportCalendar: read<ExportResult>()(empty),
  exportClients: read<ExportResult>()(z.strictObject({ format: exportFormat })),
  exportInstances: read<ExportResult>()(z.strictObject({ format: exportFormat })),
  exportLicenses: read<ExportResult>()(z.strictObject({ format: exportFormat, ids: z.array(z.string().max(64)).max(100_000).optional() })),
  exportHistory: read<ExportResult>()(z.strictObject({ format: exportFormat, instance: ref.optional() })),
} as const;
