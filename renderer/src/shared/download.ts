import type { ExportResult } from './types.ts';

/** An object URL for an export; the caller revokes it when the link goes away. */
export function exportUrl(r: ExportResult): string {
  return URL.createObjectURL(new Blob([r.content], { type: r.mimeType || 'application/octet-stream' }));
}
