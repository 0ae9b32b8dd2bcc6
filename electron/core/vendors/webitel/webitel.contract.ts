import { z } from 'zod';
import { read, write } from '../../api/define.ts';
import { optionalText, ref } from '../../api/fields.ts';
import type { LicenseView } from '../../api/licenses.contract.ts';

export interface CapacityRow {
  product: string;
  capacity: number;
  licenses: number;
  counted: number;
  rule: 'sum' | 'largest';
  warnings: string[];
}

export interface WebitelHolder {
  id: string;
  name: string;
  domain: string;
  domainId: string | null;
  sessions: number;
  canLogout: boolean;
  reason: string | null;
}

const licenseId = z.string().trim().min(1).max(200);

export const webitelContract = {
  webitelImport: write<{ licenses: LicenseView[] }>()(z.strictObject({ instance: ref, certificate: z.string().min(1, 'is required').max(64 * 1024) })),
  webitelUsers: read<WebitelHolder[]>()(z.strictObject({ instance: ref, licenseId, q: optionalText(200) })),
  webitelLogout: write<{ loggedOut: true }>()(z.strictObject({ instance: ref, licenseId, userId: z.string().trim().min(1).max(64) })),
  webitelCapacity: read<CapacityRow[]>()(z.strictObject({ instance: ref })),
} as const;
